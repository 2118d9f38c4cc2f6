// The numbers a reveal shows, as plain text: the vote split, its small bar, and the cross-server share.
import type { RunningTotals, VoteCount } from '../db/repositories/myth.js';

export const BAR_WIDTH = 10;
const FULL = '█';
const EMPTY = '░';

/**
 * `part` of `total` as a bar of `width` cells. Any non-zero share shows at least one cell and any share
 * short of everything leaves at least one empty, so 1 of 30 and 29 of 30 never look like 0 or all.
 */
export function splitBar(part: number, total: number, width = BAR_WIDTH): string {
  const filled = total <= 0 ? 0 : clamp(Math.round((part / total) * width), part, total, width);
  return FULL.repeat(filled) + EMPTY.repeat(width - filled);
}

/** A whole-number percentage with the same honesty rule as the bar: never 0% or 100% unless exactly so. */
export function percent(part: number, total: number): number | null {
  if (total <= 0) return null;
  return clamp(Math.round((part / total) * 100), part, total, 100);
}

function clamp(value: number, part: number, total: number, max: number): number {
  if (part > 0 && value === 0) return 1;
  if (part < total && value === max) return max - 1;
  return value;
}

/** "7 of 10 thought Sisko died": the Fact voters out of everyone, in the myth's own words; null when nobody voted. */
export function believersSentence(votes: VoteCount, believers: string): string | null {
  const total = votes.myth + votes.fact;
  if (total === 0) return null;
  return `${votes.fact} of ${total} ${believers}`;
}

/** The bar line: Fact voters fill it from the left, Myth voters are the rest. */
export function voteBar(votes: VoteCount): string {
  return `Fact ${votes.fact} ${splitBar(votes.fact, votes.fact + votes.myth)} ${votes.myth} Myth`;
}

/** "Across all servers, 64% got this right (250 votes)", or null before anyone anywhere voted. */
export function acrossServersSentence(totals: RunningTotals): string | null {
  const total = totals.rightVotes + totals.wrongVotes;
  const share = percent(totals.rightVotes, total);
  if (share === null) return null;
  return `Across all servers, ${share}% got this right (${total} vote${total === 1 ? '' : 's'})`;
}
