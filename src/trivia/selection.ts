import { episodeOrder, type Category, type Difficulty, type Question } from '../content/index.js';

export interface PoolFilter {
  category?: Category;
  difficulty?: Difficulty;
  /** Only questions about this episode (their source's episode). */
  episode?: string;
  /** When set, questions that spoil an episode after this one are left out (spoiler guard). */
  watchedThrough?: string | null;
}

export function filterPool(questions: readonly Question[], filter: PoolFilter): Question[] {
  const limit = filter.watchedThrough === undefined || filter.watchedThrough === null ? null : episodeOrder(filter.watchedThrough);
  return questions.filter(
    (q) =>
      (!filter.category || q.category === filter.category) &&
      (!filter.difficulty || q.difficulty === filter.difficulty) &&
      (!filter.episode || q.source?.episode === filter.episode) &&
      (limit === null || episodeOrder(q.spoils) <= limit),
  );
}

export interface PickOptions {
  /** Questions to draw first, up to `featuredShare` of the game (the rewatch's newest episode). */
  featured?: (question: Question) => boolean;
  featuredShare?: number;
}

/**
 * Picks `count` questions for one game:
 * - a server sees every question in its pool before any repeats: the least-asked come first, in random order
 *   among equals;
 * - two related questions (one gives the other away) are never in the same game;
 * - true/false answers stay balanced within the game (trues and falses differ by at most one while the pool
 *   allows it), so "always True" is not a strategy;
 * - with `featured`, up to `featuredShare` of the game comes from the featured questions first.
 */
export function pickQuestions(
  pool: readonly Question[],
  timesAsked: ReadonlyMap<string, number>,
  count: number,
  random: () => number,
  options: PickOptions = {},
): Question[] {
  const tiers = byTimesAsked(shuffle([...pool], random), timesAsked);
  const game = new GameDraw();
  if (options.featured) {
    const wanted = Math.min(count, Math.ceil(count * (options.featuredShare ?? 0.5)));
    for (const tier of tiers) game.fill(tier.filter(options.featured), wanted);
  }
  for (const tier of tiers) game.fill(tier, count);
  return game.picked;
}

/** The questions grouped by how often the server was asked them, least-asked group first; order kept within a group. */
function byTimesAsked(questions: readonly Question[], timesAsked: ReadonlyMap<string, number>): Question[][] {
  const groups = new Map<number, Question[]>();
  for (const question of questions) {
    const times = timesAsked.get(question.id) ?? 0;
    const group = groups.get(times);
    if (group) group.push(question);
    else groups.set(times, [question]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/** The questions of one game as they are drawn, with the rules that keep it fair. */
class GameDraw {
  readonly picked: Question[] = [];
  private readonly ids = new Set<string>();
  private readonly excluded = new Set<string>();
  private trues = 0;
  private falses = 0;

  /**
   * Adds questions from `candidates` (equally often asked), in order, until the game has `target`. A true/false
   * question that would tip the balance waits until the rest of the group is used.
   */
  fill(candidates: readonly Question[], target: number): void {
    const waiting: Question[] = [];
    for (const question of candidates) {
      if (this.picked.length >= target) return;
      if (!this.allowed(question)) continue;
      if (this.unbalances(question)) waiting.push(question);
      else this.add(question);
    }
    // The group is used up: take the waiting ones, still the balancing kind first while there is one.
    for (;;) {
      const usable = waiting.filter((question) => this.allowed(question));
      if (this.picked.length >= target || usable.length === 0) return;
      this.add(usable.find((question) => !this.unbalances(question)) ?? usable[0]!);
    }
  }

  private allowed(question: Question): boolean {
    return !this.ids.has(question.id) && !this.excluded.has(question.id) && !(question.related ?? []).some((id) => this.ids.has(id));
  }

  private unbalances(question: Question): boolean {
    if (question.type !== 'true-false') return false;
    return question.answer ? this.trues > this.falses : this.falses > this.trues;
  }

  private add(question: Question): void {
    this.picked.push(question);
    this.ids.add(question.id);
    for (const id of question.related ?? []) this.excluded.add(id);
    if (question.type === 'true-false') {
      if (question.answer) this.trues++;
      else this.falses++;
    }
  }
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
