import type { Episode, Question } from '../content/index.js';
import { triviaRefusal } from './problems.js';

/** How an episode is offered and shown: "7x20 The Changing Face of Evil". */
export function episodeLabel(episode: Pick<Episode, 'code' | 'title'>): string {
  return `${episode.code} ${episode.title}`;
}

/** Lowercase letters and digits only, so "til death" finds "'Til Death Do Us Part" and "7x20" finds "7x20 ...". */
function squeeze(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** The episodes a game can be about: those with trivia of their own, in airing order. */
export class TriviaEpisodes {
  readonly episodes: readonly Episode[];

  constructor(episodes: readonly Episode[], questions: readonly Question[]) {
    const covered = new Set(questions.map((q) => q.source?.episode));
    this.episodes = episodes.filter((episode) => covered.has(episode.code));
  }

  /** Autocomplete: the episodes whose label contains what the member typed (all of them while nothing is typed). */
  matching(typed: string): Episode[] {
    const wanted = squeeze(typed);
    return this.episodes.filter((episode) => squeeze(episodeLabel(episode)).includes(wanted));
  }

  byCode(code: string | undefined): Episode | undefined {
    return this.episodes.find((episode) => episode.code === code);
  }

  /**
   * The episode a member meant: a code ("7x20"), a label picked from autocomplete, or a title typed out
   * ("the changing face of evil"), exactly or as the only partial match.
   */
  find(text: string): Episode {
    const wanted = squeeze(text);
    const exact = this.episodes.find(
      (episode) => squeeze(episode.code) === wanted || squeeze(episodeLabel(episode)) === wanted || squeeze(episode.title) === wanted,
    );
    const partial = this.matching(text);
    const found = wanted === '' ? undefined : (exact ?? (partial.length === 1 ? partial[0] : undefined));
    if (!found) throw triviaRefusal({ code: 'unknown-episode', text });
    return found;
  }
}
