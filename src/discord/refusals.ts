// The member's message for every refusal the domain raises: one explainer per feature, in its render module.
import type { Refusal } from '../errors.js';
import type { MythProblem } from '../myth/problems.js';
import type { RewatchProblem } from '../rewatch/problems.js';
import type { TriviaProblem } from '../trivia/problems.js';
import { explainMythProblem } from './myth-render.js';
import { explainRewatchProblem } from './rewatch-render.js';
import { explainTriviaProblem } from './trivia-render.js';

export function explainRefusal(refusal: Refusal): string {
  switch (refusal.feature) {
    case 'trivia':
      return explainTriviaProblem(refusal.problem as TriviaProblem);
    case 'myth':
      return explainMythProblem(refusal.problem as MythProblem);
    case 'rewatch':
      return explainRewatchProblem(refusal.problem as RewatchProblem);
  }
}
