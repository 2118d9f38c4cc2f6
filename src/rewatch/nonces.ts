// The nonce every message the rewatch posts on its own carries (sent with enforce_nonce), derived from what the
// message is for: a retry after Discord stored the first attempt gets that message back instead of a second one.

export type RewatchMessagePurpose = 'starter' | 'next-thread' | 'closing' | 'paused';

const PURPOSE_LETTER: Record<RewatchMessagePurpose, string> = { starter: 's', 'next-thread': 'n', closing: 'c', paused: 'p' };

export interface NonceInput {
  scheduleId: number;
  generation: number;
  /** The episode the message is about (for a pause: the episode that could not be posted). */
  episodeIndex: number;
  purpose: RewatchMessagePurpose;
  /** Told apart within one purpose (a pause's reason): two different pause notices never share a nonce. */
  detail?: string;
}

/**
 * `r<schedule>.<generation>.<episode><purpose>[<detail hash>]`, numbers in base 36: at most 25 characters for any
 * 32-bit schedule id and generation and up to 1,295 episodes.
 */
export function rewatchNonce(input: NonceInput): string {
  const parts = `r${input.scheduleId.toString(36)}.${input.generation.toString(36)}.${input.episodeIndex.toString(36)}${PURPOSE_LETTER[input.purpose]}`;
  return input.detail === undefined ? parts : `${parts}${fnv1a(input.detail).toString(36)}`;
}

/** FNV-1a, 32 bits: a short, stable fingerprint of a text (not a secret). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
