import { Refusal } from '../errors.js';

/** Why /rewatch-thread refuses, with the facts needed to explain it (worded in src/discord/rewatch-render.ts). */
export type RewatchProblem =
  // setup's input
  | { code: 'unreadable-time'; input: string }
  | { code: 'unknown-time-zone'; input: string }
  | { code: 'no-such-weekday' }
  | { code: 'unknown-plan'; planId: string; planIds: string[] }
  | { code: 'episode-not-in-plan'; episodeCode: string; planName: string; planCodes: string[] }
  | { code: 'delay-out-of-range'; maxWeeks: number }
  // the server's schedule
  | { code: 'no-schedule' }
  | { code: 'plan-gone'; planId: string }
  | { code: 'paused' }
  | { code: 'already-paused' }
  | { code: 'not-paused' }
  | { code: 'finished' }
  // races with the scheduler or another member
  | { code: 'busy' }
  | { code: 'changed-meanwhile' }
  // posting now
  | { code: 'post-not-taken'; detail: string }
  | { code: 'post-paused'; reason: string };

export function rewatchRefusal(problem: RewatchProblem): Refusal<RewatchProblem> {
  return new Refusal('rewatch', problem);
}
