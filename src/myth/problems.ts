import { Refusal } from '../errors.js';
import type { WatchedThrough } from './selection.js';

/** Why /myth refuses, with the facts needed to explain it (worded in src/discord/myth-render.ts). */
export type MythProblem =
  /** The post is gone, belongs to another server, or is shown by some other message. */
  | { readonly code: 'post-not-open' }
  /** Only the member who asked, or one with Manage Messages, reveals before the minute is up. */
  | { readonly code: 'reveal-not-allowed'; readonly askedBy: string }
  /** The claim fits no myth; the closest titles are offered instead. */
  | { readonly code: 'claim-unknown'; readonly suggestions: readonly string[] }
  | { readonly code: 'claim-ambiguous'; readonly titles: readonly string[] }
  /** The claim names a myth that spoils an episode the server's rewatch has not reached. */
  | { readonly code: 'claim-hidden'; readonly spoils: string; readonly watchedThrough: WatchedThrough }
  | { readonly code: 'no-myths' }
  /** The spoiler guard hides every myth. */
  | { readonly code: 'all-hidden'; readonly watchedThrough: WatchedThrough };

export function mythRefusal(problem: MythProblem): Refusal<MythProblem> {
  return new Refusal('myth', problem);
}
