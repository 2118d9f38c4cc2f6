// The REST proxy's count of the bot's global limit, in any window of a second rather than in whole seconds.
//
// discord.js's REST manager counts 50 requests from the first one of a window and starts a new window after it:
// 50 sent late in one window and 50 early in the next are 100 within a second, and Discord's count (the
// stand-in's too) answers those with global 429s. After a global 429 it also starts a fresh window once the short
// Retry-After is over, so one 429 brings the next. This limiter sits where the proxy hands a request to the network
// (the REST manager's `makeRequest` option), so retries after a 429 are counted too.

/** At most `limit` admissions in any `windowMs`; callers are admitted in the order they asked. */
export class SlidingWindowLimiter {
  /** When the last `limit` admissions happened, oldest first. */
  private readonly admitted: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError('a sliding window needs a limit of 1 or more and a positive length');
  }

  /** Resolves when one more request fits in the window; the request counts from then. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.admit());
    this.queue = turn;
    return turn;
  }

  private async admit(): Promise<void> {
    if (this.admitted.length >= this.limit) {
      const wait = this.admitted[0]! + this.windowMs - this.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.admitted.shift();
    }
    this.admitted.push(this.now());
  }
}
