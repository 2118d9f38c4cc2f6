import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { episodeOrder, loadContent } from '../../src/content/index.js';
import { filterPool, pickQuestions } from '../../src/trivia/selection.js';
import { BASE_POINTS, pointsForCorrectAnswer, scoringRules, STREAK_BONUS_CAP, STREAK_BONUS_PER_ANSWER, streakBonus } from '../../src/trivia/scoring.js';
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
        const unpickedBetter = bank.filter((q) => !picked.includes(q) && asked.get(q.id)! < worstPicked);
        expect(unpickedBetter).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('GIVEN the same seed THEN the same questions (no luck in tests)', () => {
    const a = pickQuestions(bank, new Map(), 5, seededRandom(3)).map((q) => q.id);
    const b = pickQuestions(bank, new Map(), 5, seededRandom(3)).map((q) => q.id);
    expect(a).toEqual(b);
  });
});

describe('filterPool', () => {
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
