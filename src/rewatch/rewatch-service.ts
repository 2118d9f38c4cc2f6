// What the /rewatch-thread command asks of the domain: set a schedule up, look at it, change it.
// Returns plain results; the command adapter renders them. Expected problems are `UserError`s.
import type { Episode, RewatchPlan } from '../content/index.js';
import type { RewatchRepository, ScheduleChange, ScheduleRecord } from '../db/repositories/rewatch.js';
import { UserError } from '../errors.js';
import type { EpisodePublisher, RunOutcome } from './episode-publisher.js';
import { episodeAt, episodeIndexInPlan, findPlan, slotOf } from './plans.js';
import { retryAt } from './run-decision.js';
import { addWeeks, canonicalTimeZone, nextWeeklyRun, parseTimeOfDay, type Weekday } from './schedule-time.js';

export const NO_SCHEDULE = 'This server has no rewatch schedule. A moderator can start one with /rewatch-thread setup.';
export const BUSY = 'A rewatch thread is being posted right now. Give it a moment and try again.';
export const CHANGED_MEANWHILE = 'The schedule changed while I was updating it. Please run the command again.';
export const MAX_DELAY_WEEKS = 8;

export interface SetupInput {
  guildId: string;
  channelId: string;
  weekday: number;
  time: string;
  timeZone: string;
  planId?: string | null;
  startCode?: string | null;
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
  lastThread: { threadId: string; episodeCode: string } | null;
  skippedCodes: string[];
  lateCodes: string[];
  /** Set while a temporary Discord failure is being retried. */
  retryingAt: Date | null;
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
    if (!time) {
      throw new UserError(`"${input.time}" is not a time I can read. Use the 24-hour clock as HH:MM, for example 19:30 or 08:00.`);
    }
    const timeZone = canonicalTimeZone(input.timeZone);
    if (!timeZone) {
      throw new UserError(
        `"${input.timeZone}" is not a time zone I know. Use a region name such as Europe/Berlin, America/New_York or Australia/Sydney (or UTC).`,
      );
    }
    if (!Number.isInteger(input.weekday) || input.weekday < 0 || input.weekday > 6) throw new UserError('Pick a day of the week from the list.');
    const plan = this.planFor(input.planId);
    if (!plan) throw new UserError(`There is no plan called "${input.planId}". Choose one from the list: ${this.deps.plans.map((p) => p.id).join(', ')}.`);
    let firstIndex = 0;
    if (input.startCode) {
      firstIndex = episodeIndexInPlan(plan, input.startCode);
      if (firstIndex < 0) {
        throw new UserError(`${input.startCode} is not part of ${plan.name}. It covers ${plan.episodes.map((e) => e.code).join(', ')}.`);
      }
    }
    const slot = { weekday: input.weekday as Weekday, hour: time.hour, minute: time.minute, timeZone };
    const nextRunAt = nextWeeklyRun(slot, input.now);
    const saved = await this.deps.repository.saveSchedule(
      {
        guildId: input.guildId,
        channelId: input.channelId,
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
    if (!saved) throw new UserError(BUSY);
    return { schedule: saved.schedule, plan, firstEpisode: plan.episodes[firstIndex]!, firstIndex, nextRunAt, replaced: saved.replaced };
  }

  async status(guildId: string, now: Date): Promise<StatusView> {
    const schedule = await this.requireSchedule(guildId);
    const plan = findPlan(this.deps.plans, schedule.planId);
    const posts = await this.deps.repository.posts(schedule.id, schedule.generation);
    const posted = posts.filter((p) => p.state === 'posted');
    const accounted = new Set(posts.map((p) => p.episodeIndex));
    const total = plan?.episodes.length ?? 0;
    const skippedCodes: string[] = [];
    for (let i = 0; i < Math.min(schedule.nextIndex, total); i++) {
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
      lastThread: latest?.threadId ? { threadId: latest.threadId, episodeCode: latest.episodeCode } : null,
      skippedCodes,
      lateCodes: posted.filter((p) => p.late).map((p) => p.episodeCode),
      retryingAt:
        pending && schedule.status === 'active' && schedule.nextRunAt <= now ? retryAt(schedule.nextRunAt, pending.createdAt) : null,
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
      throw new UserError(notPostable(schedule) ?? BUSY);
    }
    const outcome = await this.deps.publisher.publish(claimed, now, 'manual');
    switch (outcome.kind) {
      case 'posted':
        return outcome;
      case 'retry-later':
        throw new UserError(
          `Discord did not take the thread just now (${outcome.detail}). Nothing was lost: try again in a minute, or let the schedule post it at its time.`,
        );
      case 'paused':
        throw new UserError(`I could not post the thread: ${outcome.reason} The schedule is paused until that is fixed; then use /rewatch-thread resume.`);
      default:
        throw new UserError(BUSY);
    }
  }

  /** Moves past the next episode without a thread. Skipping the last one ends the run. */
  async skip(guildId: string, now: Date): Promise<{ skipped: Episode; next: Episode | null; nextRunAt: Date | null; schedule: ScheduleRecord }> {
    const schedule = await this.requireSchedule(guildId);
    if (schedule.status === 'finished') throw new UserError(notPostable(schedule)!);
    const plan = this.requirePlan(schedule);
    const skipped = episodeAt(plan, schedule.nextIndex);
    if (!skipped) throw new UserError(notPostable({ ...schedule, status: 'finished' })!);
    const next = episodeAt(plan, schedule.nextIndex + 1) ?? null;
    const change: ScheduleChange = { nextIndex: schedule.nextIndex + 1, ...(next ? {} : { status: 'finished' as const }) };
    const updated = await this.change(schedule, change, now);
    return { skipped, next, nextRunAt: next && updated.status === 'active' ? updated.nextRunAt : null, schedule: updated };
  }

  async pause(guildId: string, userId: string, now: Date): Promise<ScheduleRecord> {
    const schedule = await this.requireSchedule(guildId);
    if (schedule.status === 'paused') throw new UserError('The rewatch is already paused. Use /rewatch-thread resume to continue.');
    if (schedule.status === 'finished') throw new UserError(notPostable(schedule)!);
    return this.change(schedule, { status: 'paused', pauseReason: `paused by <@${userId}>.` }, now);
  }

  /** Continues a paused run at its next slot; weeks spent paused never turn into late or skipped threads. */
  async resume(guildId: string, now: Date): Promise<{ schedule: ScheduleRecord; next: Episode | null }> {
    const schedule = await this.requireSchedule(guildId);
    if (schedule.status === 'active') throw new UserError('The rewatch is not paused.');
    if (schedule.status === 'finished') throw new UserError(notPostable(schedule)!);
    const plan = this.requirePlan(schedule);
    const nextRunAt = schedule.nextRunAt > now ? schedule.nextRunAt : nextWeeklyRun(slotOf(schedule), now);
    const updated = await this.change(schedule, { status: 'active', pauseReason: null, lastError: null, nextRunAt }, now);
    return { schedule: updated, next: episodeAt(plan, updated.nextIndex) ?? null };
  }

  /** Pushes the next thread (and so all later ones) back by whole weeks. */
  async delay(guildId: string, weeks: number, now: Date): Promise<ScheduleRecord> {
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_DELAY_WEEKS) throw new UserError(`Delay by 1 to ${MAX_DELAY_WEEKS} weeks.`);
    const schedule = await this.requireSchedule(guildId);
    if (schedule.status === 'finished') throw new UserError(notPostable(schedule)!);
    const slot = slotOf(schedule);
    const base = schedule.nextRunAt > now ? schedule.nextRunAt : nextWeeklyRun(slot, now);
    return this.change(schedule, { nextRunAt: addWeeks(slot, base, weeks) }, now);
  }

  /** Ends the server's rewatch and forgets its schedule (threads already posted stay on Discord). */
  async stop(guildId: string, now: Date): Promise<void> {
    if (await this.deps.repository.deleteSchedule(guildId, now)) return;
    await this.requireSchedule(guildId);
    throw new UserError(BUSY);
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

  private async change(schedule: ScheduleRecord, change: ScheduleChange, now: Date): Promise<ScheduleRecord> {
    const updated = await this.deps.repository.updateIfUnchanged(schedule, change, now);
    if (updated) return updated;
    if (schedule.leaseUntil && schedule.leaseUntil >= now) throw new UserError(BUSY);
    throw new UserError(CHANGED_MEANWHILE);
  }

  private async requireSchedule(guildId: string): Promise<ScheduleRecord> {
    const schedule = await this.deps.repository.scheduleForGuild(guildId);
    if (!schedule) throw new UserError(NO_SCHEDULE);
    return schedule;
  }

  private requirePlan(schedule: ScheduleRecord): RewatchPlan {
    const plan = findPlan(this.deps.plans, schedule.planId);
    if (!plan) throw new UserError(`This server's plan "${schedule.planId}" is no longer available. Run /rewatch-thread setup to pick another.`);
    return plan;
  }
}

function notPostable(schedule: Pick<ScheduleRecord, 'status'>): string | null {
  if (schedule.status === 'paused') return 'The rewatch is paused. Use /rewatch-thread resume first.';
  if (schedule.status === 'finished') return 'This rewatch has finished: every thread is up. Start a new one with /rewatch-thread setup.';
  return null;
}
