import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { episodeOrder, loadContent, type Question } from '../../src/content/index.js';
import { filterPool, pickQuestions } from '../../src/trivia/selection.js';
import { BASE_POINTS, pointsForCorrectAnswer, STREAK_BONUS_CAP, STREAK_BONUS_PER_ANSWER, streakBonus } from '../../src/trivia/scoring.js';
import { scoringRules } from '../../src/discord/trivia-render.js';
import { seededRandom } from '../helpers/random.js';

const bank = loadContent().questions;

describe('pickQuestions', () => {
  it('GIVEN a server that keeps playing THEN it sees every question in its pool before any repeats', () => {
    const asked = new Map<string, number>();
    const random = seededRandom(7);
    const seen: string[] = [];
    while (seen.length < bank.length) {
      for (const q of pickQuestions(bank, asked, 7, random)) {
        seen.push(q.id);
        asked.set(q.id, (asked.get(q.id) ?? 0) + 1);
      }
    }
    const firstRound = seen.slice(0, bank.length);
    expect(new Set(firstRound).size).toBe(bank.length);
  });

  it('GIVEN any history THEN picks are distinct and come from the least-asked questions first', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 3 }), { minLength: bank.length, maxLength: bank.length }), fc.integer({ min: 1, max: 20 }), fc.integer(), (counts, n, seed) => {
        const asked = new Map(bank.map((q, i) => [q.id, counts[i]!]));
        const picked = pickQuestions(bank, asked, n, seededRandom(seed));
        expect(new Set(picked.map((q) => q.id)).size).toBe(picked.length);
        expect(picked).toHaveLength(Math.min(n, bank.length));
        const worstPicked = Math.max(...picked.map((q) => asked.get(q.id)!));
        const pickedIds = new Set(picked.map((q) => q.id));
        // Only a question that a picked one gives away (or that gives it away) may be passed over.
        const unpickedBetter = bank.filter(
          (q) => !pickedIds.has(q.id) && asked.get(q.id)! < worstPicked && !(q.related ?? []).some((id) => pickedIds.has(id)),
        );
        expect(unpickedBetter).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('GIVEN related questions THEN no game ever holds two of them, over many games of the real bank', () => {
    const asked = new Map<string, number>();
    const random = seededRandom(21);
    const relatedPairs = bank.flatMap((q) => (q.related ?? []).map((other) => [q.id, other] as const));
    expect(relatedPairs.length).toBeGreaterThan(0);
    for (let game = 0; game < 2_000; game++) {
      const picked = pickQuestions(bank, asked, 10, random);
      const ids = new Set(picked.map((q) => q.id));
      for (const [a, b] of relatedPairs) expect(ids.has(a) && ids.has(b), `${a} and ${b} in game ${game}`).toBe(false);
      for (const q of picked) asked.set(q.id, (asked.get(q.id) ?? 0) + 1);
    }
  });

  it('GIVEN any pool with any related pairs THEN no game holds a related pair and games are as long as the pool allows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.nat({ max: 29 }), fc.nat({ max: 29 })), { maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (size, pairs, count, seed) => {
          const links = new Map<number, Set<number>>();
          for (const [a, b] of pairs) {
            if (a >= size || b >= size || a === b) continue;
            links.set(a, (links.get(a) ?? new Set()).add(b));
            links.set(b, (links.get(b) ?? new Set()).add(a));
          }
          const pool = Array.from({ length: size }, (_, i) => tf(`q${i}`, i % 2 === 0, [...(links.get(i) ?? [])].map((j) => `q${j}`)));
          const picked = pickQuestions(pool, new Map(), count, seededRandom(seed));
          const ids = new Set(picked.map((q) => q.id));
          for (const q of picked) for (const other of q.related ?? []) expect(ids.has(other)).toBe(false);
          // Greedy, so not always the largest possible game, but never stops while an unrelated question is left.
          if (picked.length < count) {
            const blocked = (q: Question) => ids.has(q.id) || (q.related ?? []).some((id) => ids.has(id));
            expect(pool.every(blocked)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GIVEN a pool with trues and falses THEN every game keeps them within one of each other (random draws would not)', () => {
    const pool = Array.from({ length: 20 }, (_, i) => tf(`t${i}`, i < 10));
    const random = seededRandom(4);
    for (let game = 0; game < 1_000; game++) {
      const picked = pickQuestions(pool, new Map(), 6, random);
      const trues = picked.filter((q) => q.type === 'true-false' && q.answer).length;
      expect(Math.abs(trues - (picked.length - trues))).toBeLessThanOrEqual(1);
    }
  });

  it('GIVEN the real bank THEN the true/false questions games draw are 40-60% false', () => {
    const asked = new Map<string, number>();
    const random = seededRandom(8);
    let trues = 0;
    let falses = 0;
    for (let game = 0; game < 1_000; game++) {
      for (const q of pickQuestions(bank, asked, 5, random)) {
        asked.set(q.id, (asked.get(q.id) ?? 0) + 1);
        if (q.type === 'true-false') q.answer ? trues++ : falses++;
      }
    }
    expect(falses / (trues + falses)).toBeGreaterThanOrEqual(0.4);
    expect(falses / (trues + falses)).toBeLessThanOrEqual(0.6);
  });

  it('GIVEN featured questions THEN at least the featured share of the game comes from them, least-asked first', () => {
    const pool = Array.from({ length: 30 }, (_, i) => tf(`f${i}`, i % 2 === 0));
    const featured = (q: Question) => Number(q.id.slice(1)) < 5;
    for (let seed = 0; seed < 200; seed++) {
      const picked = pickQuestions(pool, new Map(), 6, seededRandom(seed), { featured, featuredShare: 0.5 });
      expect(picked.filter(featured).length).toBeGreaterThanOrEqual(3);
      expect(picked).toHaveLength(6);
    }
    // The featured share holds even when those questions were asked more often than the rest: the week's episode keeps its place.
    const asked = new Map(pool.filter(featured).map((q) => [q.id, 3]));
    const picked = pickQuestions(pool, asked, 6, seededRandom(1), { featured });
    expect(picked.filter(featured).length).toBe(3);
  });

  it('GIVEN the same seed THEN the same questions (no luck in tests)', () => {
    const a = pickQuestions(bank, new Map(), 5, seededRandom(3)).map((q) => q.id);
    const b = pickQuestions(bank, new Map(), 5, seededRandom(3)).map((q) => q.id);
    expect(a).toEqual(b);
  });
});

function tf(id: string, answer: boolean, related: string[] = []): Question {
  return {
    id, category: 'war', difficulty: 'easy', type: 'true-false', prompt: `${id}?`, answer, explanation: 'E', spoils: '7x20',
    ...(related.length > 0 ? { related } : {}),
  };
}

describe('filterPool', () => {
  it('GIVEN an episode THEN only questions whose source is that episode remain', () => {
    const pool = filterPool(bank, { episode: '7x22' });
    expect(pool.length).toBeGreaterThanOrEqual(15);
    expect(pool.every((q) => q.source?.episode === '7x22')).toBe(true);
  });

  it('GIVEN a category and difficulty THEN only matching questions remain', () => {
    const pool = filterPool(bank, { category: 'war', difficulty: 'easy' });
    expect(pool.length).toBeGreaterThan(0);
    expect(pool.every((q) => q.category === 'war' && q.difficulty === 'easy')).toBe(true);
  });

  it('GIVEN a rewatch at 7x21 THEN nothing that spoils 7x22 or later is asked; the pilot always is', () => {
    const pool = filterPool(bank, { watchedThrough: '7x21' });
    expect(pool.every((q) => episodeOrder(q.spoils) <= episodeOrder('7x21'))).toBe(true);
    expect(pool.some((q) => q.spoils === '1x01')).toBe(true);
    expect(pool.some((q) => q.spoils === '7x25')).toBe(false);
  });

  it('GIVEN no guard THEN everything is in the pool', () => {
    expect(filterPool(bank, { watchedThrough: undefined })).toHaveLength(bank.length);
  });
});

describe('scoring', () => {
  it.each([
    ['easy', 0, BASE_POINTS.easy],
    ['medium', 0, BASE_POINTS.medium],
    ['hard', 0, BASE_POINTS.hard],
    ['easy', 1, BASE_POINTS.easy + STREAK_BONUS_PER_ANSWER],
    ['hard', 3, BASE_POINTS.hard + 3 * STREAK_BONUS_PER_ANSWER],
    ['easy', STREAK_BONUS_CAP, BASE_POINTS.easy + STREAK_BONUS_CAP * STREAK_BONUS_PER_ANSWER],
    ['easy', 50, BASE_POINTS.easy + STREAK_BONUS_CAP * STREAK_BONUS_PER_ANSWER],
  ] as const)('GIVEN a %s question and a streak of %i THEN %i points', (difficulty, streak, points) => {
    expect(pointsForCorrectAnswer(difficulty, streak)).toBe(points);
  });

  it('GIVEN any streak THEN the bonus never decreases and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), (streak) => {
        expect(streakBonus(streak + 1)).toBeGreaterThanOrEqual(streakBonus(streak));
        expect(streakBonus(streak)).toBeLessThanOrEqual(STREAK_BONUS_CAP * STREAK_BONUS_PER_ANSWER);
      }),
    );
  });

  it('THEN the rules shown to players state the actual numbers', () => {
    const rules = scoringRules();
    expect(rules).toContain(`${BASE_POINTS.easy} / ${BASE_POINTS.medium} / ${BASE_POINTS.hard}`);
    expect(rules).toContain(`up to +${STREAK_BONUS_CAP * STREAK_BONUS_PER_ANSWER}`);
  });
});
