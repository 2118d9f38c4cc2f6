import type { Difficulty } from '../content/index.js';

export const BASE_POINTS: Record<Difficulty, number> = { easy: 10, medium: 20, hard: 30 };
export const FIRST_CORRECT_BONUS = 5;
export const STREAK_BONUS_PER_ANSWER = 2;
/** The streak bonus stops growing after this many correct answers in a row. */
export const STREAK_BONUS_CAP = 5;

/**
 * Points for a correct answer, given how many correct answers in a row the member had before it.
 * The first-correct bonus is added separately, at the reveal, when "first" is settled.
 */
export function pointsForCorrectAnswer(difficulty: Difficulty, streakBefore: number): number {
  return BASE_POINTS[difficulty] + streakBonus(streakBefore);
}

export function streakBonus(streakBefore: number): number {
  return Math.min(Math.max(streakBefore, 0), STREAK_BONUS_CAP) * STREAK_BONUS_PER_ANSWER;
}
