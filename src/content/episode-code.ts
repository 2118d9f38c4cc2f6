/** Episode codes look like "7x20": season, "x", two-digit episode number. */
export const EPISODE_CODE_PATTERN = /^([1-9]\d?)x(\d{2})$/;

export function isEpisodeCode(code: string): boolean {
  return EPISODE_CODE_PATTERN.test(code);
}

/**
 * A number that sorts episodes in airing order (season * 100 + episode), for spoiler checks:
 * an item that spoils `a` is safe for someone who has watched up to `b` when episodeOrder(a) <= episodeOrder(b).
 */
export function episodeOrder(code: string): number {
  const match = EPISODE_CODE_PATTERN.exec(code);
  if (!match) throw new RangeError(`"${code}" is not an episode code like "7x20"`);
  return Number(match[1]) * 100 + Number(match[2]);
}
