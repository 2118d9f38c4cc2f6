// What the /rewatch-thread command asks of the domain: set a schedule up, look at it, change it.
// Returns plain results; the command adapter renders them. Expected problems are refusals (./problems.ts).
import type { Episode, RewatchPlan } from '../content/index.js';
import type { RewatchRepository, ScheduleChange, ScheduleRecord } from '../db/repositories/rewatch.js';
import { addWeeks, canonicalTimeZone, clockChangeAt, nextWeeklyRun, parseTimeOfDay, type ClockChange, type Weekday, type WeeklySlot } from '../time/schedule-time.js';
import type { ChannelKind } from './channel-kinds.js';
import type { EpisodePublisher, RunOutcome } from './episode-publisher.js';
import type { WatchPartyKeeper, WatchPartyView } from './watch-party-keeper.js';
import type { WatchPartyPlace } from './watch-party.js';
import { episodeAt, episodeIndexInPlan, findPlan, slotOf } from './plans.js';
import { rewatchRefusal, type RewatchProblem } from './problems.js';
import { retryAt } from './run-decision.js';
import type { RewatchTexts } from './texts.js';

export const MAX_DELAY_WEEKS = 8;

export interface SetupInput {
  guildId: string;
  channelId: string;
  channelKind: ChannelKind;
  weekday: number;
  time: string;
  timeZone: string;
  planId?: string | null;
  startCode?: string | null;
  /** Where the watch-party events take place; null or absent: no events. */
  watchParty?: WatchPartyPlace | null;
  userId: string;
  now: Date;
}

export interface SetupResult {
  schedule: ScheduleRecord;
  plan: RewatchPlan;
  firstEpisode: Episode;
  firstIndex: number;
  nextRunAt: Date;
  replaced: boolean;
  clockChanges: ClockChangeNote[];
  /** The watch parties, when setup turned them on. */
  watchParty?: WatchPartyView | null;
}

/** A coming thread whose slot falls where the clocks change: it opens at `at` (see ClockChange). */
export interface ClockChangeNote {
  episodeCode: string;
  at: Date;
  change: ClockChange;
  slot: WeeklySlot;
}

export interface StatusView {
  schedule: ScheduleRecord;
  plan: RewatchPlan | undefined;
  total: number;
  /** Threads posted so far in this run. */
  postedCount: number;
  /** The episode the next thread is for, or null when the run is finished. */
  nextEpisode: Episode | null;
  /** When it will be posted; null when paused or finished. */
  nextRunAt: Date | null;
  lastThread: { threadId: string } | null;
  skippedCodes: string[];
  lateCodes: string[];
  /** Set while a temporary Discord failure is being retried. */
  retryingAt: Date | null;
  clockChanges: ClockChangeNote[];
  /** The watch parties, when they are on. */
  watchParty?: WatchPartyView | null;
}

export interface UpcomingEpisode {
  index: number;
  episode: Episode;
  at: Date;
}

export class RewatchService {
  constructor(
    private readonly deps: {
      repository: RewatchRepository;
      publisher: EpisodePublisher;
      plans: readonly RewatchPlan[];
      defaultPlan: RewatchPlan;
      texts: RewatchTexts;
      /** Keeps the watch-party events in step; absent, setup's event option has no effect. */
      watchParty?: WatchPartyKeeper;
    },
  ) {}

  get plans(): readonly RewatchPlan[] {
    return this.deps.plans;
  }

  planFor(planId: string | null | undefined): RewatchPlan | undefined {
    return planId ? findPlan(this.deps.plans, planId) : this.deps.defaultPlan;
  }

  async setup(input: SetupInput): Promise<SetupResult> {
    const time = parseTimeOfDay(input.time);
    if (!time) throw rewatchRefusal({ code: 'unreadable-time', input: input.time });
    const timeZone = canonicalTimeZone(input.timeZone);
    if (!timeZone) throw rewatchRefusal({ code: 'unknown-time-zone', input: input.timeZone });
    if (!Number.isInteger(input.weekday) || input.weekday < 0 || input.weekday > 6) throw rewatchRefusal({ code: 'no-such-weekday' });
    const plan = this.planFor(input.planId);
    if (!plan) throw rewatchRefusal({ code: 'unknown-plan', planId: String(input.planId), planIds: this.deps.plans.map((p) => p.id) });
    let firstIndex = 0;
    if (input.startCode) {
      firstIndex = episodeIndexInPlan(plan, input.startCode);
      if (firstIndex < 0) {
        throw rewatchRefusal({ code: 'episode-not-in-plan', episodeCode: input.startCode, planName: plan.name, planCodes: plan.episodes.map((e) => e.code) });
      }
    }
    const slot = { weekday: input.weekday as Weekday, hour: time.hour, minute: time.minute, timeZone };
    const nextRunAt = nextWeeklyRun(slot, input.now);
    const saved = await this.deps.repository.saveSchedule(
      {
        guildId: input.guildId,
        channelId: input.channelId,
        channelKind: input.channelKind,
        planId: plan.id,
        weekday: slot.weekday,
        hour: slot.hour,
        minute: slot.minute,
        timeZone,
        nextIndex: firstIndex,
        nextRunAt,
        createdBy: input.userId,
      },
      input.now,
    );
    if (!saved) throw rewatchRefusal({ code: 'busy' });
    const watchParty = (await this.deps.watchParty?.configure(input.guildId, input.watchParty ?? null, input.now)) ?? null;
    return {
      schedule: saved.schedule,
      plan,
      firstEpisode: plan.episodes[firstIndex]!,
      firstIndex,
      nextRunAt,
      replaced: saved.replaced,
      clockChanges: this.clockChanges(saved.schedule, plan),
      watchParty,
    };
  }

  async status(guildId: string, now: Date): Promise<StatusView> {
    const schedule = await this.requireSchedule(guildId);
    const plan = findPlan(this.deps.plans, schedule.planId);
    const posts = await this.deps.repository.posts(schedule.id, schedule.generation);
    const posted = posts.filter((p) => p.state === 'posted');
    const accounted = new Set(posts.map((p) => p.episodeIndex));
    const total = plan?.episodes.length ?? 0;
    const skippedCodes: string[] = [];
    // Episodes before the run's start were never part of it: only those it moved past without a thread count.
    for (let i = schedule.startIndex; i < Math.min(schedule.nextIndex, total); i++) {
      if (!accounted.has(i)) skippedCodes.push(plan!.episodes[i]!.code);
    }
    const pending = posts.find((p) => p.state === 'intent');
    const latest = [...posted].sort((a, b) => (b.postedAt?.getTime() ?? 0) - (a.postedAt?.getTime() ?? 0) || b.episodeIndex - a.episodeIndex)[0];
    const finished = schedule.status === 'finished';
    return {
      schedule,
      plan,
      total,
      postedCount: posted.length,
      nextEpisode: finished || !plan ? null : (episodeAt(plan, schedule.nextIndex) ?? null),
      nextRunAt: schedule.status === 'active' ? schedule.nextRunAt : null,
      lastThread: latest?.threadId ? { threadId: latest.threadId } : null,
      skippedCodes,
      lateCodes: posted.filter((p) => p.late).map((p) => p.episodeCode),
      retryingAt:
        pending && schedule.status === 'active' && schedule.nextRunAt <= now ? retryAt(schedule.nextRunAt, pending.createdAt) : null,
      clockChanges: plan ? this.clockChanges(schedule, plan) : [],
      watchParty: (await this.deps.watchParty?.view(guildId)) ?? null,
    };
  }

  /**
   * Posts the next episode's thread right away. The schedule continues from it at the first regular slot
   * at least half a week later (see `nextRunAfterPost`).
   */
  async postNow(guildId: string, now: Date): Promise<Extract<RunOutcome, { kind: 'posted' }>> {
    const claimed = await this.deps.repository.claimForManualPost(guildId, now);
    if (!claimed) {
      const schedule = await this.requireSchedule(guildId);
      throw rewatchRefusal(notPostable(schedule) ?? { code: 'busy' });
    }
    const outcome = await this.deps.publisher.publish(claimed, now, 'manual');
    switch (outcome.kind) {
      case 'posted':
        await this.deps.watchParty?.sync(guildId, now);
        return outcome;
      case 'retry-later':
        throw rewatchRefusal({ code: 'post-not-taken', detail: outcome.detail });
      case 'paused':
        throw rewatchRefusal({ code: 'post-paused', reason: outcome.reason });
      default:
        throw rewatchRefusal({ code: 'busy' });
    }
  }

  /** Moves past the next episode without a thread. Skipping the last one ends the run. */
  async skip(guildId: string, now: Date): Promise<{ skipped: Episode; next: Episode | null; nextRunAt: Date | null; schedule: ScheduleRecord }> {
    const schedule = await this.requireSchedule(guildId);
    if (schedule.status === 'finished') throw rewatchRefusal({ code: 'finished' });
    const plan = this.requirePlan(schedule);
    const skipped = episodeAt(plan, schedule.nextIndex);
    if (!skipped) throw rewatchRefusal({ code: 'finished' });
    const next = episodeAt(plan, schedule.nextIndex + 1) ?? null;
    const change: ScheduleChange = { nextIndex: schedule.nextIndex + 1, ...(next ? {} : { status: 'finished' as const }) };
    const updated = await this.change(schedule, change, now);
    return { skipped, next, nextRunAt: next && updated.status === 'active' ? updated.nextRunAt : null, schedule: updated };
  }

  async pause(guildId: string, userId: string, now: Date): Promise<ScheduleRecord> {
    const schedule = await this.requireSchedule(guildId);
    if (schedule.status === 'paused') throw rewatchRefusal({ code: 'already-paused' });
    if (schedule.status === 'finished') throw rewatchRefusal({ code: 'finished' });
    return this.change(schedule, { status: 'paused', pauseReason: this.deps.texts.scheduleNote({ code: 'paused-by-member', userId }) }, now);
  }

  /** Continues a paused run at its next slot; weeks spent paused never turn into late or skipped threads. */
  async resume(guildId: string, now: Date): Promise<{ schedule: ScheduleRecord; next: Episode | null }> {
    const schedule = await this.requireSchedule(guildId);
    if (schedule.status === 'active') throw rewatchRefusal({ code: 'not-paused' });
    if (schedule.status === 'finished') throw rewatchRefusal({ code: 'finished' });
    const plan = this.requirePlan(schedule);
    const nextRunAt = schedule.nextRunAt > now ? schedule.nextRunAt : nextWeeklyRun(slotOf(schedule), now);
    const updated = await this.change(schedule, { status: 'active', pauseReason: null, lastError: null, nextRunAt }, now);
    return { schedule: updated, next: episodeAt(plan, updated.nextIndex) ?? null };
  }

  /** Pushes the next thread (and so all later ones) back by whole weeks. */
  async delay(guildId: string, weeks: number, now: Date): Promise<ScheduleRecord> {
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_DELAY_WEEKS) throw rewatchRefusal({ code: 'delay-out-of-range', maxWeeks: MAX_DELAY_WEEKS });
    const schedule = await this.requireSchedule(guildId);
    if (schedule.status === 'finished') throw rewatchRefusal({ code: 'finished' });
    const slot = slotOf(schedule);
    const base = schedule.nextRunAt > now ? schedule.nextRunAt : nextWeeklyRun(slot, now);
    return this.change(schedule, { nextRunAt: addWeeks(slot, base, weeks) }, now);
  }

  /** Ends the server's rewatch and forgets its schedule (threads already posted stay on Discord). */
  async stop(guildId: string, now: Date): Promise<void> {
    if (await this.deps.repository.deleteSchedule(guildId, now)) {
      await this.deps.watchParty?.sync(guildId, now);
      return;
    }
    await this.requireSchedule(guildId);
    throw rewatchRefusal({ code: 'busy' });
  }

  /** The episodes still to come, with the dates they are due (as if resumed now, when paused). */
  async upcoming(guildId: string, now: Date): Promise<{ schedule: ScheduleRecord; plan: RewatchPlan; episodes: UpcomingEpisode[] }> {
    const schedule = await this.requireSchedule(guildId);
    const plan = this.requirePlan(schedule);
    if (schedule.status === 'finished') return { schedule, plan, episodes: [] };
    const slot = slotOf(schedule);
    const base = schedule.nextRunAt > now ? schedule.nextRunAt : nextWeeklyRun(slot, now);
    const episodes = plan.episodes.slice(schedule.nextIndex).map((episode, i) => ({
      index: schedule.nextIndex + i,
      episode,
      at: i === 0 ? base : addWeeks(slot, base, i),
    }));
    return { schedule, plan, episodes };
  }

  /** The coming runs that fall where the clocks change (a DST gap or overlap), for setup's reply and status. */
  private clockChanges(schedule: ScheduleRecord, plan: RewatchPlan): ClockChangeNote[] {
    if (schedule.status !== 'active') return [];
    const slot = slotOf(schedule);
    return plan.episodes.slice(schedule.nextIndex).flatMap((episode, i) => {
      const at = i === 0 ? schedule.nextRunAt : addWeeks(slot, schedule.nextRunAt, i);
      const change = clockChangeAt(slot, at);
      return change ? [{ episodeCode: episode.code, at, change, slot }] : [];
    });
  }

  private async change(schedule: ScheduleRecord, change: ScheduleChange, now: Date): Promise<ScheduleRecord> {
    const updated = await this.deps.repository.updateIfUnchanged(schedule, change, now);
    if (updated) {
      await this.deps.watchParty?.sync(updated.guildId, now);
      return updated;
    }
    throw rewatchRefusal({ code: schedule.leaseUntil && schedule.leaseUntil >= now ? 'busy' : 'changed-meanwhile' });
  }

  private async requireSchedule(guildId: string): Promise<ScheduleRecord> {
    const schedule = await this.deps.repository.scheduleForGuild(guildId);
    if (!schedule) throw rewatchRefusal({ code: 'no-schedule' });
    return schedule;
  }

  private requirePlan(schedule: ScheduleRecord): RewatchPlan {
    const plan = findPlan(this.deps.plans, schedule.planId);
    if (!plan) throw rewatchRefusal({ code: 'plan-gone', planId: schedule.planId });
    return plan;
  }
}

/** Why a schedule posts nothing now, or null when it is active. */
function notPostable(schedule: Pick<ScheduleRecord, 'status'>): RewatchProblem | null {
  return schedule.status === 'active' ? null : { code: schedule.status };
}
