// Which episode a due schedule posts, and when it tries again: pure decisions over instants.
import { addWeeks, nextWeeklyRun, previousWeeklyRun, type WeeklySlot } from '../time/schedule-time.js';

const MINUTE_MS = 60_000;
const WEEK_MS = 7 * 24 * 60 * MINUTE_MS;

/** A thread that opens this long after its slot is marked late. Ticks run every minute, so on time means within a few. */
export const LATE_AFTER_MS = 10 * MINUTE_MS;
/** Retries after a temporary Discord failure wait at least this long... */
export const MIN_RETRY_DELAY_MS = MINUTE_MS;
/** ...and at most this long. */
export const MAX_RETRY_DELAY_MS = 30 * MINUTE_MS;

export interface RunDecision {
  /** The one episode to post now. */
  episodeIndex: number;
  /** The slot that episode belonged to. */
  dueAt: Date;
  /** Regular slots that passed after `nextRunAt` without a post (the bot was down, or Discord kept failing). */
  missedRuns: number;
  /** Episodes passed over without a thread, in plan order. */
  skipped: number[];
  late: boolean;
}

/**
 * A due schedule posts exactly one episode. Normally that is `nextIndex`. If later slots have passed as
 * well, it posts the episode of the most recent overdue slot (never past the plan's last), marked late,
 * and the episodes of the slots in between are skipped: a single thread after an outage, not a burst.
 */
export function decideScheduledRun(input: {
  slot: WeeklySlot;
  nextRunAt: Date;
  nextIndex: number;
  planLength: number;
  now: Date;
}): RunDecision {
  const { slot, nextRunAt, nextIndex, planLength, now } = input;
  if (nextIndex < 0 || nextIndex >= planLength) throw new RangeError(`nextIndex ${nextIndex} outside a plan of ${planLength}`);
  const missedRuns = countMissedRuns(slot, nextRunAt, now);
  const episodeIndex = Math.min(nextIndex + missedRuns, planLength - 1);
  const weeksLate = episodeIndex - nextIndex;
  const dueAt = weeksLate === 0 ? nextRunAt : addWeeks(slot, nextRunAt, weeksLate);
  return {
    episodeIndex,
    dueAt,
    missedRuns,
    skipped: Array.from({ length: weeksLate }, (_, i) => nextIndex + i),
    late: now.getTime() - dueAt.getTime() > LATE_AFTER_MS,
  };
}

/** Regular slots strictly after `nextRunAt` and at or before `now`. */
export function countMissedRuns(slot: WeeklySlot, nextRunAt: Date, now: Date): number {
  if (nextWeeklyRun(slot, nextRunAt).getTime() > now.getTime()) return 0;
  // Whole weeks between the run and the latest slot; rounding absorbs the hour a DST change adds or removes.
  const latest = previousWeeklyRun(slot, now);
  return Math.max(1, Math.round((latest.getTime() - nextRunAt.getTime()) / WEEK_MS));
}

/** Threads posted on request ("now") keep at least this much room before the next scheduled one. */
export const MANUAL_POST_GAP_MS = WEEK_MS / 2;

/**
 * When the next regular run comes after a thread was posted at `postedAt`. A scheduled post is followed
 * by the next slot. A post made on request is followed by the first slot at least half a week later: an
 * early thread takes the place of a slot that was only days away, while one posted right after a
 * scheduled thread leaves the coming week's slot alone. Either way two threads never open hours apart.
 */
export function nextRunAfterPost(slot: WeeklySlot, postedAt: Date, manual = false): Date {
  return nextWeeklyRun(slot, manual ? new Date(postedAt.getTime() + MANUAL_POST_GAP_MS) : postedAt);
}

/**
 * Backoff for temporary failures without an attempt counter: wait as long as the post has already been
 * overdue at the last attempt, between 1 and 30 minutes. Ticks every minute give attempts at about
 * 0, 1, 2, 4, 8, 16, 32 minutes after the slot, then every half hour.
 */
export function retryDelayMs(dueAt: Date, lastAttemptAt: Date): number {
  const overdue = lastAttemptAt.getTime() - dueAt.getTime();
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(MIN_RETRY_DELAY_MS, overdue));
}

export function retryAt(dueAt: Date, lastAttemptAt: Date): Date {
  return new Date(lastAttemptAt.getTime() + retryDelayMs(dueAt, lastAttemptAt));
}
