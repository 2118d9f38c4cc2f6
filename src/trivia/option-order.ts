import type { Question } from '../content/index.js';
import { shuffle } from './selection.js';

/**
 * A fresh random order for a multiple-choice question's options, as indexes into the bank's order
 * ([2, 0, 3, 1] shows the bank's third option as A). Null for the other types: True stays before False.
 */
export function drawOptionOrder(question: Question, random: () => number): number[] | null {
  if (question.type !== 'multiple-choice') return null;
  return shuffle(question.options.map((_, i) => i), random);
}

/**
 * The question as its round shows it: a multiple-choice question's options in the round's order. Everything
 * that shows or judges a round (the buttons, the click, the reveal) works on this view, so they all agree on
 * which letter is right. An order that does not fit the question (null, or a pack question edited since) leaves
 * the bank's order.
 */
export function asShownInRound(question: Question, order: readonly number[] | null): Question {
  if (question.type !== 'multiple-choice' || !order || !isPermutation(order, question.options.length)) return question;
  const options = order.map((i) => question.options[i]!) as unknown as typeof question.options;
  return { ...question, options };
}

function isPermutation(order: readonly number[], length: number): boolean {
  return order.length === length && new Set(order).size === length && order.every((i) => Number.isInteger(i) && i >= 0 && i < length);
}
