import { Refusal } from '../errors.js';

/** Why /rewatch-thread refuses, with the facts needed to explain it (worded in src/discord/rewatch-render.ts). */
export type RewatchProblem = never;

export function rewatchRefusal(problem: RewatchProblem): Refusal<RewatchProblem> {
  return new Refusal('rewatch', problem);
}
