import { EPISODE_CODE_PATTERN, type RewatchPlan } from '../content/index.js';
import type { RewatchRepository } from '../db/repositories/rewatch.js';
import { findPlan } from './plans.js';

/**
 * The newest episode a server has watched in its rewatch, for the spoiler guard of trivia and myths:
 * undefined when the server runs no rewatch (no guard applies); the code of the episode just before the
 * plan's first one when no thread is up yet (so only earlier episodes count as watched).
 */
export function spoilerLimit(repo: RewatchRepository, plans: readonly RewatchPlan[]) {
  return async (guildId: string): Promise<string | undefined> => {
    const watched = await repo.watchedThrough(guildId);
    if (watched !== null) return watched;
    const schedule = await repo.scheduleForGuild(guildId);
    const first = schedule ? findPlan(plans, schedule.planId)?.episodes[0] : undefined;
    return first ? episodeBefore(first.code) : undefined;
  };
}

/** "7x20" -> "7x19"; "7x01" -> "7x00", which sorts before every episode of season 7. */
export function episodeBefore(code: string): string {
  const match = EPISODE_CODE_PATTERN.exec(code);
  if (!match) throw new RangeError(`"${code}" is not an episode code like "7x20"`);
  return `${Number(match[1])}x${String(Math.max(Number(match[2]) - 1, 0)).padStart(2, '0')}`;
}
