// Keeps each server's watch-party event in step with its rewatch schedule: after setup, after every thread and
// every schedule change, and on the minute tick for what falls due later (the next event a week ahead, retries).
//
// Exactly once: the row is leased while the keeper works on it, and before a create call the row records
// 'creating' with the event's start. If the answer is lost (a timeout, a 500 after Discord stored the event),
// the next attempt first looks for an event the bot made with that start and adopts it instead of making another.
import type { Episode, RewatchPlan } from '../content/index.js';
import { NO_EVENT, type ClaimedWatchParty, type RewatchEventsRepository, type WatchPartyChange, type WatchPartyRecord } from '../db/repositories/rewatch-events.js';
import type { RewatchRepository, ScheduleRecord } from '../db/repositories/rewatch.js';
import type { Logger } from '../logger.js';
import { rewatchNonce } from './nonces.js';
import { episodeAt, findPlan } from './plans.js';
import {
  WATCH_PARTY_RETRY_MS,
  planWatchParty,
  wantedWatchParty,
  type EventTiming,
  type RecordedEvent,
  type WatchPartyPlace,
  type WatchPartyStep,
} from './watch-party.js';
import { WatchPartyError, type EventDesk, type EventSpec, type WatchPartyTexts } from './watch-party-desk.js';

export interface WatchPartyKeeperDeps {
  events: RewatchEventsRepository;
  schedules: Pick<RewatchRepository, 'scheduleForGuild' | 'posts'>;
  plans: readonly RewatchPlan[];
  desk: EventDesk;
  texts: WatchPartyTexts;
  /**
   * Best effort: tells the server about a problem in the rewatch channel (or its system channel); never throws.
   * `nonce` makes a retried notice come back as the same message.
   */
  notify(input: { guildId: string; channelId: string; content: string; nonce: string }): Promise<boolean>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What /rewatch-thread status shows of the watch parties. */
export interface WatchPartyView {
  guildId: string;
  place: WatchPartyPlace;
  /** The event kept for the next episode (its id is null while a create call's answer is outstanding). */
  event: { eventId: string | null; startAt: Date; episode: Pick<Episode, 'code' | 'title'> | null } | null;
  /** When the next event will be created, if it does not exist yet. */
  createsAt: Date | null;
  /** Set while Discord refuses events: what a moderator has to do. */
  paused: string | null;
  lastError: string | null;
}

interface Situation {
  claimed: ClaimedWatchParty;
  schedule: ScheduleRecord | null;
  plan: RewatchPlan | undefined;
  place: WatchPartyPlace;
  now: Date;
}

export function placeOf(record: Pick<WatchPartyRecord, 'placeKind' | 'placeChannelId'>): WatchPartyPlace {
  return record.placeKind !== 'external' && record.placeChannelId ? { kind: record.placeKind, channelId: record.placeChannelId } : { kind: 'external' };
}

function recordedOf(row: WatchPartyRecord): RecordedEvent | null {
  if (row.state === 'none' || row.generation === null || row.episodeIndex === null || !row.startAt || !row.endAt) return null;
  return { state: row.state, eventId: row.eventId, generation: row.generation, episodeIndex: row.episodeIndex, startAt: row.startAt, endAt: row.endAt };
}

export class WatchPartyKeeper {
  constructor(private readonly deps: WatchPartyKeeperDeps) {}

  /** Turns the server's watch parties on (`place`) or off (null) and brings its event in step at once. */
  async configure(guildId: string, place: WatchPartyPlace | null, now: Date): Promise<WatchPartyView | null> {
    const changed = await this.deps.events.configure(guildId, place && { kind: place.kind, channelId: place.kind === 'external' ? null : place.channelId }, now);
    if (changed) await this.sync(guildId, now);
    return place ? this.view(guildId) : null;
  }

  /**
   * Brings the server's event in step with its schedule. Never throws: a failure is recorded (and retried on a
   * later tick), and the caller's thread or command goes on regardless.
   */
  async sync(guildId: string, now: Date): Promise<void> {
    try {
      await this.syncOnce(guildId, now);
    } catch (error) {
      this.deps.logger?.error({ err: error, guildId }, 'watch-party sync failed');
      await this.deps.events.requestSync(guildId, new Date(now.getTime() + WATCH_PARTY_RETRY_MS)).catch(() => {});
    }
  }

  /** Asks the tick to bring the server's event in step (after a thread: the threads of a busy minute go first). */
  async soon(guildId: string, now: Date): Promise<void> {
    await this.deps.events.requestSync(guildId, now).catch((error: unknown) => this.deps.logger?.error({ err: error, guildId }, 'could not ask for a watch-party sync'));
  }

  /** The minute tick: every server whose next event falls due or whose last attempt is to be retried. */
  async tick(now: Date): Promise<void> {
    const seen = new Set<string>();
    for (;;) {
      const due = (await this.deps.events.due(now)).filter((id) => !seen.has(id));
      if (due.length === 0) return;
      for (const guildId of due) {
        seen.add(guildId);
        await this.sync(guildId, now);
      }
    }
  }

  async view(guildId: string): Promise<WatchPartyView | null> {
    const row = await this.deps.events.forGuild(guildId);
    if (!row || !row.enabled) return null;
    const recorded = recordedOf(row);
    let episode: Pick<Episode, 'code' | 'title'> | null = null;
    if (recorded) {
      const schedule = await this.deps.schedules.scheduleForGuild(guildId);
      const plan = schedule ? findPlan(this.deps.plans, schedule.planId) : undefined;
      episode = plan ? (episodeAt(plan, recorded.episodeIndex) ?? null) : null;
    }
    return {
      guildId,
      place: placeOf(row),
      event: recorded ? { eventId: row.eventId, startAt: recorded.startAt, episode } : null,
      createsAt: recorded || row.pausedReason ? null : row.syncAt,
      paused: row.pausedReason,
      lastError: row.lastError,
    };
  }

  private async syncOnce(guildId: string, now: Date): Promise<void> {
    const { events, schedules } = this.deps;
    const claimed = await events.claim(guildId, now);
    if (!claimed) {
      // Another process is on it (maybe with what the schedule looked like a moment ago): look again soon.
      await events.requestSync(guildId, new Date(now.getTime() + 60_000));
      return;
    }
    const schedule = await schedules.scheduleForGuild(guildId);
    const plan = schedule ? findPlan(this.deps.plans, schedule.planId) : undefined;
    const situation: Situation = { claimed, schedule, plan, place: placeOf(claimed), now };
    try {
      const recorded = recordedOf(claimed);
      const facts = schedule && plan ? { generation: schedule.generation, status: schedule.status, nextIndex: schedule.nextIndex, nextRunAt: schedule.nextRunAt, planLength: plan.episodes.length } : null;
      const wanted = wantedWatchParty(facts, recorded, now);
      const recordedThreadId = await this.threadOf(recorded, schedule);
      const { steps, syncAt } = planWatchParty({ enabled: claimed.enabled, recorded, wanted, recordedThreadId });
      for (const step of steps) await this.run(step, situation);
      if (!claimed.enabled) {
        await events.remove(claimed);
        return;
      }
      await events.release(claimed, { pausedReason: null, lastError: null, syncAt }, now);
      if (claimed.pausedReason) this.deps.logger?.info({ guildId }, 'watch-party events work again');
    } catch (error) {
      if (!(error instanceof WatchPartyError)) {
        await events.release(claimed, { syncAt: new Date(now.getTime() + WATCH_PARTY_RETRY_MS) }, now).catch(() => {});
        throw error;
      }
      await this.failed(situation, error);
    }
  }

  /** The thread of the recorded event's episode, if it has been posted in the same run. */
  private async threadOf(recorded: RecordedEvent | null, schedule: ScheduleRecord | null): Promise<string | null> {
    if (!recorded || !schedule || recorded.generation !== schedule.generation) return null;
    const posts = await this.deps.schedules.posts(schedule.id, schedule.generation);
    return posts.find((p) => p.episodeIndex === recorded.episodeIndex && p.state === 'posted')?.threadId ?? null;
  }

  private async run(step: WatchPartyStep, s: Situation): Promise<void> {
    const { desk } = this.deps;
    const guildId = s.claimed.guildId;
    switch (step.kind) {
      case 'hand-over': {
        // A party that is already over keeps what it showed; Discord takes no changes to an ended event.
        if (s.now < step.event.endAt && s.schedule && s.plan) {
          const eventId = step.event.eventId ?? (await desk.findOwn(guildId, step.event.startAt, this.nameOf(s, step.event.episodeIndex)));
          const spec = this.specFor(s, step.event, this.deps.texts.channelLink(guildId, step.threadId));
          if (eventId) await this.bestEffort(desk.update(guildId, eventId, { link: spec.link, description: spec.description, place: spec.place }));
        }
        await this.record(s, NO_EVENT);
        return;
      }
      case 'remove': {
        const eventId = step.event.eventId ?? (await desk.findOwn(guildId, step.event.startAt, this.nameOf(s, step.event.episodeIndex)));
        if (eventId) await desk.remove(guildId, eventId);
        await this.record(s, NO_EVENT);
        return;
      }
      case 'move': {
        const spec = this.specFor(s, step.timing, this.channelLinkOf(s));
        const moved = step.event.eventId ? await desk.update(guildId, step.event.eventId, { startAt: spec.startAt, endAt: spec.endAt }) : false;
        if (moved) await this.record(s, { startAt: step.timing.startAt, endAt: step.timing.endAt });
        else await this.create(s, step.timing, false); // someone deleted it by hand: make it again
        return;
      }
      case 'create':
        await this.create(s, step.timing, step.resume);
        return;
    }
  }

  /** Records 'creating' first, then calls Discord; a resumed attempt adopts the event an unanswered call made. */
  private async create(s: Situation, timing: EventTiming, resume: boolean): Promise<void> {
    const guildId = s.claimed.guildId;
    const spec = this.specFor(s, timing, this.channelLinkOf(s));
    const found = resume ? await this.deps.desk.findOwn(guildId, spec.startAt, spec.name) : null;
    if (found) {
      await this.record(s, { state: 'created', eventId: found });
      return;
    }
    await this.record(s, {
      state: 'creating',
      eventId: null,
      generation: timing.generation,
      episodeIndex: timing.episodeIndex,
      startAt: timing.startAt,
      endAt: timing.endAt,
      link: spec.link,
      // If this process dies before the answer, the tick looks again once the lease has run out.
      syncAt: s.now,
    });
    let eventId: string;
    try {
      eventId = await this.deps.desk.create(guildId, spec);
    } catch (error) {
      // A refusal means Discord made nothing; only a lost answer leaves 'creating' behind to look for.
      if (error instanceof WatchPartyError && error.failure.kind !== 'retryable') await this.record(s, NO_EVENT);
      throw error;
    }
    await this.record(s, { state: 'created', eventId });
    this.deps.logger?.info({ guildId, eventId, episodeIndex: timing.episodeIndex }, 'watch-party event created');
  }

  /** A refusal of a change that only polishes an event (its link once the thread is up) is not worth a problem. */
  private async bestEffort(call: Promise<unknown>): Promise<void> {
    try {
      await call;
    } catch (error) {
      if (!(error instanceof WatchPartyError) || error.failure.kind !== 'refused') throw error;
      this.deps.logger?.warn({ detail: error.message }, 'Discord refused to point the watch-party event at its thread');
    }
  }

  private async record(s: Situation, change: WatchPartyChange): Promise<void> {
    if (!(await this.deps.events.update(s.claimed, change, s.now))) throw new Error('watch-party lease lost while working');
  }

  private async failed(s: Situation, error: WatchPartyError): Promise<void> {
    const { events, texts, logger } = this.deps;
    const { claimed, now } = s;
    const failure = error.failure;
    switch (failure.kind) {
      case 'retryable':
        await events.release(claimed, { lastError: texts.note({ code: 'retrying', detail: failure.detail }), syncAt: new Date(now.getTime() + WATCH_PARTY_RETRY_MS) }, now);
        logger?.warn({ guildId: claimed.guildId, detail: failure.detail }, 'watch-party event call failed; will retry');
        return;
      case 'refused':
        await events.release(claimed, { lastError: texts.note({ code: 'refused', detail: failure.detail }), syncAt: null }, now);
        logger?.warn({ guildId: claimed.guildId, detail: failure.detail }, 'Discord refused the watch-party event');
        return;
      case 'not-allowed': {
        const note = { code: 'not-allowed', place: s.place } as const;
        await events.release(claimed, { pausedReason: texts.note(note), lastError: null, syncAt: null }, now);
        logger?.warn({ guildId: claimed.guildId }, 'watch-party events paused: the bot may not manage events');
        // Said once, when the events pause; the threads go on regardless.
        if (!claimed.pausedReason && s.schedule) {
          const nonce = rewatchNonce({ scheduleId: s.schedule.id, generation: s.schedule.generation, episodeIndex: s.schedule.nextIndex, purpose: 'paused', detail: 'watch-party events' });
          await this.deps.notify({ guildId: claimed.guildId, channelId: s.schedule.channelId, content: texts.pausedNotice(note), nonce });
        }
        return;
      }
    }
  }

  /** The event's name, when the schedule's plan still says which episode it was for. */
  private nameOf(s: Situation, index: number): string | undefined {
    const episode = s.plan ? episodeAt(s.plan, index) : undefined;
    return episode && s.plan ? this.deps.texts.eventName({ episode, index, total: s.plan.episodes.length }) : undefined;
  }

  private channelLinkOf(s: Situation): string {
    return this.deps.texts.channelLink(s.claimed.guildId, s.schedule?.channelId ?? s.claimed.guildId);
  }

  private specFor(s: Situation, timing: Pick<EventTiming, 'episodeIndex' | 'startAt' | 'endAt'>, link: string): EventSpec {
    const plan = s.plan;
    const episode = plan ? episodeAt(plan, timing.episodeIndex) : undefined;
    if (!plan || !episode) throw new Error(`no episode ${timing.episodeIndex} to make a watch party for`);
    const input = { episode, index: timing.episodeIndex, total: plan.episodes.length, planName: plan.name, link };
    return {
      name: this.deps.texts.eventName(input),
      description: this.deps.texts.eventDescription(input),
      startAt: timing.startAt,
      endAt: timing.endAt,
      place: s.place,
      link,
    };
  }
}
