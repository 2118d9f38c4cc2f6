// Which myth to post: the spoiler guard, "one the server has not seen recently", and resolving a typed claim.
import { episodeOrder, type Myth } from '../content/index.js';
import { closestTitles, normalizeText, rankByQuery } from '../text/match.js';

/**
 * The spoiler guard's view of a server's rewatch:
 * - `undefined`: no guard applies (the guard is off, or the server runs no rewatch);
 * - `null`: a rewatch runs but no episode thread is up yet, so nothing counts as watched;
 * - an episode code: everything up to and including that episode has been watched.
 */
export type WatchedThrough = string | null | undefined;

/** True when the myth would spoil an episode the server has not reached yet. */
export function isHiddenBySpoilerGuard(myth: Pick<Myth, 'spoils'>, watchedThrough: WatchedThrough): boolean {
  if (watchedThrough === undefined) return false;
  if (watchedThrough === null) return true;
  return episodeOrder(myth.spoils) > episodeOrder(watchedThrough);
}

/**
 * A myth the server has not seen recently: one never posted there if any (random among them), otherwise
 * a random one from the older half by last posting, so the latest few never come straight back.
 * Returns null for an empty list.
 */
export function pickMyth<M extends Pick<Myth, 'id'>>(myths: readonly M[], lastPostedAt: ReadonlyMap<string, Date>, random: () => number): M | null {
  if (myths.length === 0) return null;
  const unseen = myths.filter((m) => !lastPostedAt.has(m.id));
  if (unseen.length > 0) return pickOne(unseen, random);
  const oldestFirst = [...myths].sort((a, b) => lastPostedAt.get(a.id)!.getTime() - lastPostedAt.get(b.id)!.getTime());
  return pickOne(oldestFirst.slice(0, Math.ceil(oldestFirst.length / 2)), random);
}

function pickOne<T>(items: readonly T[], random: () => number): T {
  const index = Math.min(Math.floor(random() * items.length), items.length - 1);
  return items[index]!;
}

export type ClaimMatch =
  | { kind: 'found'; myth: Myth }
  | { kind: 'ambiguous'; titles: string[] }
  | { kind: 'none'; suggestions: string[] };

/**
 * Resolves what a member put in the claim option: the myth id that autocomplete submits, a title typed in
 * full (forgivingly normalised), or a query that the forgiving title search narrows to one myth.
 */
export function findMythByClaim(claim: string, myths: readonly Myth[]): ClaimMatch {
  const text = claim.trim();
  const byId = myths.find((m) => m.id === text);
  if (byId) return { kind: 'found', myth: byId };
  const wanted = normalizeText(text);
  const byTitle = myths.find((m) => normalizeText(m.title) === wanted);
  if (byTitle) return { kind: 'found', myth: byTitle };
  const titles = myths.map((m) => m.title);
  const ranked = wanted === '' ? [] : rankByQuery(text, titles, 5);
  if (ranked.length === 1) return { kind: 'found', myth: myths.find((m) => m.title === ranked[0])! };
  if (ranked.length > 1) return { kind: 'ambiguous', titles: ranked };
  return { kind: 'none', suggestions: closestTitles(text, titles, 3) };
}
