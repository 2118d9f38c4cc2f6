// What a rewatch community gets from the shipped bank: enough trivia for every episode of the Final Chapter,
// balanced answers, sources for every fact, and a spoiler guard with something to serve every week.
import { describe, expect, it } from 'vitest';
import { episodeOrder, loadContent, type Question } from '../../src/content/index.js';
import { coverageByEpisode } from '../../src/content/coverage.js';
import { filterPool } from '../../src/trivia/selection.js';
import { episodeBefore } from '../../src/rewatch/spoiler-limit.js';

const content = loadContent();
const coverage = new Map(coverageByEpisode(content).map((c) => [c.code, c]));
const FINAL_CHAPTER = ['7x17', '7x18', '7x19', '7x20', '7x21', '7x22', '7x23', '7x24'];

describe('GIVEN the shipped question bank', () => {
  it.each(FINAL_CHAPTER)('THEN %s has at least 15 questions of its own, every type and difficulty', (code) => {
    const episode = coverage.get(code)!;
    expect(episode.questions).toBeGreaterThanOrEqual(15);
    for (const [type, count] of Object.entries(episode.byType)) expect(count, `${code} ${type}`).toBeGreaterThanOrEqual(2);
    for (const [difficulty, count] of Object.entries(episode.byDifficulty)) expect(count, `${code} ${difficulty}`).toBeGreaterThanOrEqual(2);
  });

  it('THEN the finale has at least 40 questions, every type and difficulty', () => {
    const finale = coverage.get('7x25')!;
    expect(finale.questions).toBeGreaterThanOrEqual(40);
    for (const count of [...Object.values(finale.byType), ...Object.values(finale.byDifficulty)]) expect(count).toBeGreaterThanOrEqual(5);
    expect(content.questions.length).toBeGreaterThanOrEqual(180);
  });

  it('THEN true/false answers are 40-60% false, in the bank and for every episode with enough of them', () => {
    const share = (questions: readonly Question[]) => {
      const answers = questions.flatMap((q) => (q.type === 'true-false' ? [q.answer] : []));
      return answers.filter((a) => !a).length / answers.length;
    };
    expect(share(content.questions)).toBeGreaterThanOrEqual(0.4);
    expect(share(content.questions)).toBeLessThanOrEqual(0.6);
    for (const [code, episode] of coverage) {
      const total = episode.trueFalse.true + episode.trueFalse.false;
      if (total < 5) continue;
      expect(episode.trueFalse.false / total, code).toBeGreaterThanOrEqual(0.4);
      expect(episode.trueFalse.false / total, code).toBeLessThanOrEqual(0.6);
    }
  });

  it('THEN every question names what settles it, and never spoils less than the episode that settles its plot', () => {
    for (const q of content.questions) {
      expect(q.source, q.id).toBeDefined();
      // A question settled by an episode's story gives that episode away (one settled by its credits need not).
      if (q.source?.episode && q.category !== 'production') {
        expect(episodeOrder(q.spoils), q.id).toBeGreaterThanOrEqual(episodeOrder(q.source.episode));
      }
    }
  });

  it('THEN related questions point both ways', () => {
    const byId = new Map(content.questions.map((q) => [q.id, q]));
    for (const q of content.questions) {
      for (const other of q.related ?? []) expect(byId.get(other)?.related, `${q.id} -> ${other}`).toContain(q.id);
    }
  });

  it('THEN the myths cover the Final Chapter: at least 15, both verdicts, each with a source', () => {
    expect(content.myths.length).toBeGreaterThanOrEqual(15);
    expect(content.myths.filter((m) => m.verdict === 'fact').length).toBeGreaterThanOrEqual(4);
    expect(content.myths.filter((m) => m.verdict === 'myth').length).toBeGreaterThanOrEqual(4);
    for (const m of content.myths) expect(m.source.scene, m.id).toMatch(/\S/);
    expect(new Set(content.myths.map((m) => m.spoils)).size).toBeGreaterThanOrEqual(4);
  });
});

describe('GIVEN a server following a rewatch plan with the spoiler guard on', () => {
  it.each(content.plans.filter((p) => p.id !== 'bookends').map((p) => [p.id, p] as const))(
    'THEN every week of %s has at least 15 eligible questions, and the week\'s episode has its own',
    (_id, plan) => {
      const weeks = [episodeBefore(plan.episodes[0]!.code), ...plan.episodes.map((e) => e.code)];
      for (const [week, watchedThrough] of weeks.entries()) {
        const pool = filterPool(content.questions, { watchedThrough });
        expect(pool.length, `${plan.id} week ${week} (through ${watchedThrough})`).toBeGreaterThanOrEqual(15);
        if (week > 0) expect(filterPool(pool, { episode: watchedThrough }).length, watchedThrough).toBeGreaterThanOrEqual(15);
      }
    },
  );
});
