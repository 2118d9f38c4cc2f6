// Posts one episode's thread for a schedule this process holds the lease on, exactly once.
//
// The order is what makes it safe: the intent row is written before Discord is called, the thread id is
// recorded after. A process that dies in between leaves an intent behind; whoever works on the schedule
// next looks for the thread by its exact name before creating anything, so nothing is lost and nothing
// is posted twice.
import type { Episode, RewatchPlan } from '../content/index.js';
import type { PostRecord, RewatchRepository, ScheduleChange, ScheduleRecord } from '../db/repositories/rewatch.js';
import type { Logger } from '../logger.js';
import { closingMessageTarget, noticeTarget } from './channel-kinds.js';
import { DeliveryError, type DeliveryFailure, type ThreadPoster, type ThreadStarter } from './delivery.js';
import { rewatchNonce } from './nonces.js';
import { episodeAt, findPlan, slotOf } from './plans.js';
import { decideScheduledRun, nextRunAfterPost, retryAt, type RunDecision } from './run-decision.js';
import type { RewatchTexts, ScheduleNote } from './texts.js';
import type { WatchPartyKeeper } from './watch-party-keeper.js';

export type RunMode = 'scheduled' | 'manual';

interface RunBase {
  scheduleId: number;
  guildId: string;
}

export type RunOutcome =
  | (RunBase & {
      kind: 'posted';
      episode: Episode;
      episodeIndex: number;
      total: number;
      threadId: string;
      late: boolean;
      /** Episodes passed over because their slots went by while the bot could not post. */
      skipped: Episode[];
      finished: boolean;
      nextRunAt: Date | null;
      /** The thread already existed (an earlier attempt reached Discord) and was only recorded now. */
      reconciled: boolean;
    })
  | (RunBase & { kind: 'retry-later'; detail: string; retryAt: Date })
  | (RunBase & { kind: 'waiting'; retryAt: Date })
  | (RunBase & { kind: 'paused'; reason: string; notified: boolean })
  /** Another process took the schedule over (this one's lease had run out); it changed nothing. */
  | (RunBase & { kind: 'lost-lease' })
  /** The schedule had already passed its plan's last episode; it is now marked finished. */
  | (RunBase & { kind: 'nothing-left' });

export interface PublisherDeps {
  repository: RewatchRepository;
  poster: ThreadPoster;
  plans: readonly RewatchPlan[];
  texts: RewatchTexts;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told when a thread is up (or the schedule pauses itself): the tick then brings the watch-party event in step. */
  watchParty?: Pick<WatchPartyKeeper, 'soon'>;
}

type Claimed = ScheduleRecord & { leaseUntil: Date };

export class EpisodePublisher {
  constructor(private readonly deps: PublisherDeps) {}

  /** Works on a schedule claimed by the caller and always gives the lease back (unless the process dies). */
  async publish(schedule: ScheduleRecord, now: Date, mode: RunMode): Promise<RunOutcome> {
    if (!schedule.leaseUntil) throw new Error('publish() needs a claimed schedule');
    const claimed = schedule as Claimed;
    const base = { scheduleId: claimed.id, guildId: claimed.guildId };
    const plan = findPlan(this.deps.plans, claimed.planId);
    if (!plan || plan.episodes.length === 0) {
      return this.pause(claimed, this.deps.texts.scheduleNote({ code: 'plan-unavailable', planId: claimed.planId }), now);
    }
    if (claimed.nextIndex >= plan.episodes.length) {
      await this.deps.repository.release(claimed, { status: 'finished' }, now);
      return { ...base, kind: 'nothing-left' };
    }
    const decision: RunDecision =
      mode === 'manual'
        ? { episodeIndex: claimed.nextIndex, dueAt: now, missedRuns: 0, skipped: [], late: false }
        : decideScheduledRun({ slot: slotOf(claimed), nextRunAt: claimed.nextRunAt, nextIndex: claimed.nextIndex, planLength: plan.episodes.length, now });

    try {
      return await this.post(claimed, plan, decision, now, mode);
    } catch (error) {
      if (error instanceof DeliveryError) return this.failed(claimed, decision, error.failure, now);
      // A bug or the database: give the lease back if we can; otherwise it expires on its own.
      await this.deps.repository.release(claimed, {}, now).catch(() => {});
      throw error;
    }
  }

  private async post(claimed: Claimed, plan: RewatchPlan, decision: RunDecision, now: Date, mode: RunMode): Promise<RunOutcome> {
    const repo = this.deps.repository;
    let pending = await repo.pendingIntent(claimed.id, claimed.generation);
    if (pending) {
      if (mode === 'scheduled') {
        const next = retryAt(claimed.nextRunAt, pending.createdAt);
        if (now < next) {
          await repo.release(claimed, {}, now);
          return { scheduleId: claimed.id, guildId: claimed.guildId, kind: 'waiting', retryAt: next };
        }
      }
      await repo.touchIntent(pending.id, now);
      const found = await this.findOwnThread(claimed, plan, pending);
      if (found) {
        if (!found.hasMessages) {
          await this.deps.poster.postStarter(found.threadId, this.starterFor(claimed, plan, pending.episodeIndex, pending.late ? claimed.nextRunAt : null, []));
        }
        return this.finish(claimed, plan, pending, found.threadId, now, { late: pending.late, skipped: [], missedRuns: 0, reconciled: true, mode });
      }
      if (pending.episodeIndex !== decision.episodeIndex) {
        // That attempt never reached Discord, and time has moved on to another episode.
        await repo.discardIntent(pending.id);
        pending = null;
      }
    }

    let post = pending;
    if (!post) {
      const episode = episodeAt(plan, decision.episodeIndex)!;
      const recorded = await repo.recordIntent({
        scheduleId: claimed.id,
        generation: claimed.generation,
        episodeIndex: decision.episodeIndex,
        episodeCode: episode.code,
        channelId: claimed.channelId,
        late: decision.late,
        now,
      });
      post = recorded.post;
      if (!recorded.created && post.state === 'posted' && post.threadId) {
        // Posted and recorded before, but the schedule never moved on: move it now, post nothing.
        return this.finish(claimed, plan, post, post.threadId, now, { late: post.late, skipped: [], missedRuns: 0, reconciled: true, mode });
      }
    }

    const skipped = decision.episodeIndex === post.episodeIndex ? decision.skipped : [];
    const late = decision.episodeIndex === post.episodeIndex ? decision.late : post.late;
    const starter = this.starterFor(claimed, plan, post.episodeIndex, late ? decision.dueAt : null, skipped);
    const episode = episodeAt(plan, post.episodeIndex)!;
    const { threadId } = await this.deps.poster.createThread({
      guildId: claimed.guildId,
      channelId: post.channelId,
      kind: claimed.channelKind,
      name: this.deps.texts.threadName(episode, post.episodeIndex, plan.episodes.length),
      starter,
      tagName: this.deps.texts.forumTagName(plan.name),
      auditReason: this.deps.texts.threadAuditReason(episode),
    });
    return this.finish(claimed, plan, post, threadId, now, { late, skipped, missedRuns: decision.missedRuns, reconciled: false, mode });
  }

  private starterFor(claimed: Claimed, plan: RewatchPlan, index: number, lateSince: Date | null, skipped: readonly number[]): ThreadStarter {
    const episode = episodeAt(plan, index)!;
    const content = this.deps.texts.starterMessage({
      episode,
      index,
      total: plan.episodes.length,
      planName: plan.name,
      previousThreadId: claimed.lastThreadId,
      lateSince,
      skipped: skipped.map((i) => episodeAt(plan, i)!),
    });
    return { content, episodeCode: episode.code, nonce: this.nonce(claimed, index, 'starter') };
  }

  private nonce(claimed: Claimed, episodeIndex: number, purpose: Parameters<typeof rewatchNonce>[0]['purpose'], detail?: string): string {
    return rewatchNonce({ scheduleId: claimed.id, generation: claimed.generation, episodeIndex, purpose, ...(detail === undefined ? {} : { detail }) });
  }

  /** An active thread with the episode's exact name that no earlier post of this schedule owns. */
  private async findOwnThread(claimed: Claimed, plan: RewatchPlan, post: PostRecord) {
    const episode = episodeAt(plan, post.episodeIndex);
    if (!episode) return null;
    const threads = await this.deps.poster.findThreads({
      guildId: claimed.guildId,
      channelId: post.channelId,
      name: this.deps.texts.threadName(episode, post.episodeIndex, plan.episodes.length),
    });
    if (threads.length === 0) return null;
    const known = await this.deps.repository.knownThreadIds(claimed.id);
    return threads.find((t) => !known.has(t.threadId)) ?? null;
  }

  private async finish(
    claimed: Claimed,
    plan: RewatchPlan,
    post: PostRecord,
    threadId: string,
    now: Date,
    how: { late: boolean; skipped: readonly number[]; missedRuns: number; reconciled: boolean; mode: RunMode },
  ): Promise<RunOutcome> {
    const total = plan.episodes.length;
    const episode = episodeAt(plan, post.episodeIndex)!;
    const finished = post.episodeIndex + 1 >= total;
    const nextRunAt = finished ? null : nextRunAfterPost(slotOf(claimed), now, how.mode === 'manual');
    const note = catchUpNote(plan, post.episodeIndex, how.skipped, how.missedRuns, how.late);
    const change: ScheduleChange = {
      nextIndex: post.episodeIndex + 1,
      status: finished ? 'finished' : 'active',
      lastThreadId: threadId,
      lastError: note && this.deps.texts.scheduleNote(note),
      ...(nextRunAt ? { nextRunAt } : {}),
    };
    const { scheduleMoved } = await this.deps.repository.completePost({ postId: post.id, threadId, late: how.late, claimed, change, now });
    if (!scheduleMoved) {
      this.deps.logger?.warn({ scheduleId: claimed.id, threadId }, 'rewatch thread recorded, but the schedule lease had been taken over');
      return { scheduleId: claimed.id, guildId: claimed.guildId, kind: 'lost-lease' };
    }
    this.deps.logger?.info(
      { scheduleId: claimed.id, guildId: claimed.guildId, episode: episode.code, threadId, late: how.late, reconciled: how.reconciled },
      'rewatch thread posted',
    );
    await this.followUps(claimed, plan, post.episodeIndex, threadId, finished);
    await this.deps.watchParty?.soon(claimed.guildId, now);
    return {
      scheduleId: claimed.id,
      guildId: claimed.guildId,
      kind: 'posted',
      episode,
      episodeIndex: post.episodeIndex,
      total,
      threadId,
      late: how.late,
      skipped: how.skipped.map((i) => episodeAt(plan, i)!),
      finished,
      nextRunAt,
      reconciled: how.reconciled,
    };
  }

  /** The hand-over link in the previous thread and, at the end, the closing message. Best effort: the thread is already recorded. */
  private async followUps(claimed: Claimed, plan: RewatchPlan, index: number, threadId: string, finished: boolean): Promise<void> {
    const { poster, logger, texts } = this.deps;
    const episode = episodeAt(plan, index)!;
    if (claimed.lastThreadId && claimed.lastThreadId !== threadId) {
      const notice = { content: texts.nextThreadNotice(threadId, episode), nonce: this.nonce(claimed, index, 'next-thread'), routine: true };
      await poster.postMessage(claimed.lastThreadId, notice).catch((error: unknown) => {
        logger?.warn({ scheduleId: claimed.id, err: String(error) }, 'could not link the previous rewatch thread');
      });
    }
    if (finished) {
      const closing = { content: texts.closingMessage(plan.name, plan.episodes.length, threadId), nonce: this.nonce(claimed, index, 'closing') };
      await poster.postMessage(closingMessageTarget(claimed, threadId), closing).catch((error: unknown) => {
        logger?.warn({ scheduleId: claimed.id, err: String(error) }, 'could not post the rewatch closing message');
      });
    }
  }

  private async failed(claimed: Claimed, decision: RunDecision, failure: DeliveryFailure, now: Date): Promise<RunOutcome> {
    if (failure.kind === 'channel-unusable') return this.pause(claimed, failure.reason, now);
    const next = retryAt(claimed.nextRunAt > now ? now : claimed.nextRunAt, now);
    await this.deps.repository.release(claimed, { lastError: this.deps.texts.scheduleNote({ code: 'retrying', detail: failure.detail }) }, now);
    this.deps.logger?.warn({ scheduleId: claimed.id, detail: failure.detail, episodeIndex: decision.episodeIndex }, 'rewatch post failed; will retry');
    return { scheduleId: claimed.id, guildId: claimed.guildId, kind: 'retry-later', detail: failure.detail, retryAt: next };
  }

  private async pause(claimed: Claimed, reason: string, now: Date): Promise<RunOutcome> {
    await this.deps.repository.release(claimed, { status: 'paused', pauseReason: reason, lastError: reason }, now);
    this.deps.logger?.warn({ scheduleId: claimed.id, guildId: claimed.guildId, reason }, 'rewatch schedule paused');
    await this.deps.watchParty?.soon(claimed.guildId, now); // a paused rewatch keeps no watch-party event
    const notified = await this.deps.poster.notifyProblem({
      guildId: claimed.guildId,
      channelId: noticeTarget(claimed),
      message: { content: this.deps.texts.pausedNotice(reason), nonce: this.nonce(claimed, claimed.nextIndex, 'paused', reason) },
    });
    return { scheduleId: claimed.id, guildId: claimed.guildId, kind: 'paused', reason, notified };
  }
}

/** What status shows after a catch-up; null clears an earlier problem once a thread went out normally. */
function catchUpNote(plan: RewatchPlan, index: number, skipped: readonly number[], missedRuns: number, late: boolean): ScheduleNote | null {
  const episodeCode = episodeAt(plan, index)!.code;
  if (skipped.length > 0) {
    return { code: 'caught-up', slotsPassed: missedRuns + 1, skippedCodes: skipped.map((i) => episodeAt(plan, i)!.code), episodeCode };
  }
  return late ? { code: 'opened-late', episodeCode } : null;
}
