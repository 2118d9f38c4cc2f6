import { Refusal } from '../errors.js';

/** Why /myth refuses, with the facts needed to explain it (worded in src/discord/myth-render.ts). */
export type MythProblem = never;

export function mythRefusal(problem: MythProblem): Refusal<MythProblem> {
  return new Refusal('myth', problem);
}
