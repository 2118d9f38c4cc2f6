/**
 * How long a wait for something the bot does may take unless a test says otherwise: only a hang reaches it. The
 * bot answers in milliseconds on a quiet machine; with both cores busy, seconds.
 */
export const DEFAULT_WAIT_MS = 30_000;

/** Polls `check` until it returns something other than undefined/false; rejects with `describe()` on timeout. */
export async function waitUntil<T>(
  check: () => T | undefined | false | null,
  opts: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
  const intervalMs = opts.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = check();
      if (value !== undefined && value !== false && value !== null) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const what = opts.describe ? opts.describe() : `condition ${check.toString().slice(0, 200)}`;
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
