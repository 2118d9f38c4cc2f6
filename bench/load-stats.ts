// Pure figures of a click load, timed without coordinated omission: every click is timed from when it was due
// (its scheduled send time), not from when the load generator got round to sending it, so a generator that
// falls behind cannot hide the wait it caused; a click never answered counts as Discord's 3 s window (plus
// however late it was sent) instead of dropping out of the percentiles.
import { percentileOfSorted, round, summarize, type LatencySummary } from './stats.js';

/** Discord shows "This interaction failed" when a bot has not answered within 3 s. */
export const UNANSWERED_MS = 3000;

/** A run whose generator sent at less than this share of the asked rate says it fell behind. */
export const ON_SCHEDULE_SHARE = 0.95;

export interface Click {
  /** when the click was due: start + index / rate (ms, the generator's clock) */
  scheduledAt: number;
  /** when the generator actually sent it */
  sentAt: number;
  /** when the answer came back; null when it never did within Discord's window, or the click could not be made */
  answeredAt: number | null;
}

/** What the member waited: from the click's scheduled time to its answer; an unanswered click as the 3 s window after it was sent. */
export function memberWaitMs(click: Click): number {
  if (click.answeredAt === null) return Math.max(0, click.sentAt - click.scheduledAt) + UNANSWERED_MS;
  return Math.max(0, click.answeredAt - click.scheduledAt);
}

export interface LoadFigures {
  targetRate: number;
  sent: number;
  /** clicks per second actually sent: clicks / (from the start to the last send, at least the planned duration) */
  achievedRate: number;
  /** the generator sent at under 95% of the asked rate, so the bot saw less load than asked */
  fellBehind: boolean;
  /** how late clicks were sent after they were due */
  sendLagMs: { p99: number; max: number };
  answered: number;
  /** clicks with no answer (counted in `waitMs` as 3,000 ms) */
  unanswered: number;
  /** every click, answered or not, from its scheduled time */
  waitMs: LatencySummary;
}

/** Figures of clicks sent at `targetRate` from `startedAt` for `durationMs`. */
export function loadFigures(clicks: readonly Click[], targetRate: number, startedAt: number, durationMs: number): LoadFigures {
  const lastSent = clicks.reduce((last, c) => Math.max(last, c.sentAt), startedAt);
  const sendingMs = Math.max(durationMs, lastSent - startedAt);
  const achievedRate = sendingMs > 0 ? clicks.length / (sendingMs / 1000) : 0;
  const lags = clicks.map((c) => Math.max(0, c.sentAt - c.scheduledAt)).sort((a, b) => a - b);
  const answered = clicks.filter((c) => c.answeredAt !== null).length;
  return {
    targetRate,
    sent: clicks.length,
    achievedRate: round(achievedRate, 1),
    fellBehind: achievedRate < targetRate * ON_SCHEDULE_SHARE,
    sendLagMs: { p99: round(percentileOfSorted(lags, 99) || 0), max: round(lags.at(-1) ?? 0) },
    answered,
    unanswered: clicks.length - answered,
    waitMs: roundSummary(summarize(clicks.map(memberWaitMs))),
  };
}

/** The clicks due in [0, durationMs) at `rate` per second: their scheduled times, `startedAt` first. */
export function scheduledTimes(startedAt: number, rate: number, durationMs: number): number[] {
  const count = Math.round((durationMs * rate) / 1000);
  return Array.from({ length: count }, (_, i) => startedAt + (i * 1000) / rate);
}

/** How many of the scheduled clicks are due `elapsedMs` after the start (at most all of them). */
export function clicksDue(elapsedMs: number, rate: number, durationMs: number): number {
  const count = Math.round((durationMs * rate) / 1000);
  if (elapsedMs < 0) return 0;
  return Math.min(count, Math.floor((elapsedMs * rate) / 1000) + 1);
}

/**
 * Percentile p of ours over the floor's, round by round: round i holds one slice of each bot, run next to each
 * other, so each ratio compares the bots at the same moment. Rounds where either has no samples are skipped.
 */
export function ratioPerRound(ours: readonly (readonly number[])[], floor: readonly (readonly number[])[], p: number): number[] {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(ours.length, floor.length); i++) {
    const o = percentileOfSorted([...ours[i]!].sort((a, b) => a - b), p);
    const f = percentileOfSorted([...floor[i]!].sort((a, b) => a - b), p);
    if (Number.isFinite(o) && Number.isFinite(f) && f > 0) ratios.push(round(o / f));
  }
  return ratios;
}

export interface Spread {
  count: number;
  min: number;
  median: number;
  max: number;
}

/** Lowest, median (the lower middle for an even count) and highest; NaN figures when empty. */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, min: sorted[0] ?? Number.NaN, median: percentileOfSorted(sorted, 50), max: sorted.at(-1) ?? Number.NaN };
}

/** The bots' order in round `round`: each takes each place in turn (A B C, B C A, C A B, ...). */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const shift = round % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}

export function roundSummary(s: LatencySummary): LatencySummary {
  return { count: s.count, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
}
