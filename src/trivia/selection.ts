import { episodeOrder, type Category, type Difficulty, type Question } from '../content/index.js';

export interface PoolFilter {
  category?: Category;
  difficulty?: Difficulty;
  /** When set, questions that spoil an episode after this one are left out (spoiler guard). */
  watchedThrough?: string | null;
}

export function filterPool(questions: readonly Question[], filter: PoolFilter): Question[] {
  const limit = filter.watchedThrough === undefined || filter.watchedThrough === null ? null : episodeOrder(filter.watchedThrough);
  return questions.filter(
    (q) =>
      (!filter.category || q.category === filter.category) &&
      (!filter.difficulty || q.difficulty === filter.difficulty) &&
      (limit === null || episodeOrder(q.spoils) <= limit),
  );
}

/**
 * Picks `count` questions so that a server sees every question in its pool before any repeats:
 * the least-asked questions come first, in random order among equals.
 */
export function pickQuestions(
  pool: readonly Question[],
  timesAsked: ReadonlyMap<string, number>,
  count: number,
  random: () => number,
): Question[] {
  const shuffled = shuffle([...pool], random);
  shuffled.sort((a, b) => (timesAsked.get(a.id) ?? 0) - (timesAsked.get(b.id) ?? 0));
  return shuffled.slice(0, count);
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
