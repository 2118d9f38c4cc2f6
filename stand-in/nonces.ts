// Discord's `enforce_nonce`: "If true and nonce is present, it will be checked for uniqueness in the past few
// minutes. If another message was created by the same author with the same nonce, that message will be
// returned and no new message will be created." A retry of a post Discord already stored gets that post back.

/** How long a nonce is remembered. Discord says "a few minutes"; the stand-in keeps it for five. */
export const NONCE_WINDOW_MS = 5 * 60_000;

interface Remembered {
  messageId: string;
  at: number;
}

/** The messages created with `enforce_nonce`, by channel, author and nonce, for the window. */
export class NonceStore {
  private readonly seen = new Map<string, Remembered>();

  constructor(
    private readonly now: () => number,
    private readonly windowMs = NONCE_WINDOW_MS,
  ) {}

  /** The message created earlier with this nonce, while it is remembered. */
  find(input: { channelId: string; authorId: string; nonce: string | number }): string | undefined {
    const found = this.seen.get(key(input));
    if (!found) return undefined;
    if (this.now() - found.at >= this.windowMs) {
      this.seen.delete(key(input));
      return undefined;
    }
    return found.messageId;
  }

  remember(input: { channelId: string; authorId: string; nonce: string | number; messageId: string }): void {
    this.forgetExpired();
    // Deleted first so the map stays in the order remembered: the oldest entries come first.
    this.seen.delete(key(input));
    this.seen.set(key(input), { messageId: input.messageId, at: this.now() });
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [k, v] of this.seen) {
      if (now - v.at < this.windowMs) return;
      this.seen.delete(k);
    }
  }
}

function key(input: { channelId: string; authorId: string; nonce: string | number }): string {
  // 123 and "123" are different nonces on the wire, so the type is part of the key.
  return `${input.channelId}:${input.authorId}:${typeof input.nonce}:${input.nonce}`;
}
