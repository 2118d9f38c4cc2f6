/**
 * Runs async work one piece at a time: a call made while another runs waits for it, then runs its own.
 * Background ticks use it so that a tick asked for while one is running (the start-up catch-up, a test,
 * a slow database) is neither doubled nor silently dropped.
 */
export class OneAtATime {
  private last: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Whether some work is running or waiting. */
  get busy(): boolean {
    return this.pending > 0;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.pending++;
    const next = this.last
      .catch(() => {})
      .then(work)
      .finally(() => this.pending--);
    this.last = next;
    return next;
  }

  /** Resolves once everything started so far has finished. */
  async idle(): Promise<void> {
    await this.last.catch(() => {});
  }
}
