import { Refusal } from '../errors.js';
import type { Category, Difficulty } from '../content/index.js';

/** Why /trivia refuses, with the facts needed to explain it (worded in src/discord/trivia-render.ts). */
export type TriviaProblem =
  /** Nothing in the pool fits the filters (and, when `guarded`, the spoiler guard). */
  | { readonly code: 'no-questions'; readonly filters: { episode?: string; category?: Category; difficulty?: Difficulty }; readonly guarded: boolean }
  /** The episode asked for is past the server's rewatch; `reached` is null before its first thread. */
  | { readonly code: 'episode-not-reached'; readonly episode: string; readonly reached: string | null }
  /** A member asked for an episode by a name that fits none (or several). */
  | { readonly code: 'unknown-episode'; readonly text: string }
  | { readonly code: 'game-running'; readonly guildId: string; readonly channelId: string; readonly messageId: string | null }
  | { readonly code: 'no-game-here' }
  | { readonly code: 'not-your-game'; readonly startedBy: string }
  | { readonly code: 'not-a-choice' }
  | { readonly code: 'empty-answer' }
  | { readonly code: 'answer-too-long'; readonly length: number; readonly max: number }
  | { readonly code: 'unknown-time-zone'; readonly text: string }
  | { readonly code: 'bad-pack-name' }
  | { readonly code: 'not-a-pack-file'; readonly fileName: string }
  | { readonly code: 'pack-too-large'; readonly kilobytes: number; readonly maxKilobytes: number }
  | { readonly code: 'pack-download-failed' }
  | { readonly code: 'no-such-pack'; readonly name: string };

export function triviaRefusal(problem: TriviaProblem): Refusal<TriviaProblem> {
  return new Refusal('trivia', problem);
}
