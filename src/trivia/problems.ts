import { Refusal } from '../errors.js';

/** Why /trivia refuses, with the facts needed to explain it (worded in src/discord/trivia-render.ts). */
export type TriviaProblem = never;

export function triviaRefusal(problem: TriviaProblem): Refusal<TriviaProblem> {
  return new Refusal('trivia', problem);
}
