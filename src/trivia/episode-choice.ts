import type { Episode, Question } from '../content/index.js';

/** How an episode is offered and shown: "7x20 The Changing Face of Evil". */
export function episodeLabel(episode: Pick<Episode, 'code' | 'title'>): string {
  return `${episode.code} ${episode.title}`;
}

/** Lowercase letters and digits only, so "til death" finds "'Til Death Do Us Part" and "7x20" finds "7x20 ...". */
function squeeze(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** The episodes that have trivia of their own, in airing order. */
export function episodesWithTrivia(episodes: readonly Episode[], questions: readonly Question[]): Episode[] {
  const covered = new Set(questions.map((q) => q.source?.episode));
  return episodes.filter((episode) => covered.has(episode.code));
}

/** Autocomplete: the episodes whose label contains what the member typed (all of them while nothing is typed). */
export function matchingEpisodes(episodes: readonly Episode[], typed: string): Episode[] {
  const wanted = squeeze(typed);
  return episodes.filter((episode) => squeeze(episodeLabel(episode)).includes(wanted) || squeeze(episode.title).includes(wanted));
}

/**
 * The episode a member meant: a code ("7x20"), a label picked from autocomplete, or a title typed out
 * ("the changing face of evil"). Undefined when nothing fits exactly one episode.
 */
export function findEpisode(episodes: readonly Episode[], text: string): Episode | undefined {
  const wanted = squeeze(text);
  if (wanted === '') return undefined;
  const exact = episodes.find(
    (episode) => squeeze(episode.code) === wanted || squeeze(episodeLabel(episode)) === wanted || squeeze(episode.title) === wanted,
  );
  if (exact) return exact;
  const partial = matchingEpisodes(episodes, text);
  return partial.length === 1 ? partial[0] : undefined;
}
