import type { Content, Difficulty, QuestionType, Verdict } from './types.js';

/** What the bank holds for one episode: the questions and myths it settles, by type, difficulty and verdict. */
export interface EpisodeCoverage {
  readonly code: string;
  readonly title: string;
  readonly questions: number;
  readonly byType: Record<QuestionType, number>;
  readonly byDifficulty: Record<Difficulty, number>;
  readonly trueFalse: { readonly true: number; readonly false: number };
  readonly myths: Record<Verdict, number>;
}

/** Per catalogue episode, counted by each entry's `source.episode`; entries settled by a reference are not counted. */
export function coverageByEpisode(content: Content): EpisodeCoverage[] {
  return content.episodes.map((episode) => {
    const questions = content.questions.filter((q) => q.source?.episode === episode.code);
    const myths = content.myths.filter((m) => m.source.episode === episode.code);
    const count = <K extends string>(keys: readonly K[], keyOf: (item: (typeof questions)[number]) => K) =>
      Object.fromEntries(keys.map((key) => [key, questions.filter((q) => keyOf(q) === key).length])) as Record<K, number>;
    const trueFalse = questions.flatMap((q) => (q.type === 'true-false' ? [q.answer] : []));
    return {
      code: episode.code,
      title: episode.title,
      questions: questions.length,
      byType: count(['multiple-choice', 'true-false', 'free-text'], (q) => q.type),
      byDifficulty: count(['easy', 'medium', 'hard'], (q) => q.difficulty),
      trueFalse: { true: trueFalse.filter(Boolean).length, false: trueFalse.filter((a) => !a).length },
      myths: { myth: myths.filter((m) => m.verdict === 'myth').length, fact: myths.filter((m) => m.verdict === 'fact').length },
    };
  });
}
