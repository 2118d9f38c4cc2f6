// Posts that never double: a message the bot posts on its own carries a nonce naming what it is for, with
// `enforce_nonce`, so Discord answers a retry of a post it already stored with that post instead of a second one
// (same nonce from the same author within a few minutes). discord.js retries a request that got a 5xx.

/** Discord's limit for a string nonce. */
export const MAX_NONCE_LENGTH = 25;

/** `body` sent at most once for `nonce`: e.g. `r42q` for round 42's question. */
export function postedOnce<T extends object>(body: T, nonce: string): T & { nonce: string; enforce_nonce: true } {
  if (nonce.length === 0 || nonce.length > MAX_NONCE_LENGTH) {
    throw new RangeError(`A message nonce has 1-${MAX_NONCE_LENGTH} characters; "${nonce}" has ${nonce.length}`);
  }
  return { ...body, nonce, enforce_nonce: true };
}
