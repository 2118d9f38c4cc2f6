/**
 * An expected problem the member can fix, already worded: raised by the Discord-facing layer (commands/ and
 * src/discord/) and shown as a short ephemeral message, never logged as a crash. The domain raises `Refusal`.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** What a feature refuses and why: a code and the facts needed to explain it, never finished sentences. */
export interface Problem {
  readonly code: string;
}

/**
 * The domain's way of saying no ("no questions match", "the rewatch is paused"): it carries the feature and the
 * problem; `src/discord/refusals.ts` turns it into the member's message. Like a UserError it is never a crash.
 */
export class Refusal<P extends Problem = Problem> extends Error {
  constructor(
    readonly feature: 'trivia' | 'myth' | 'rewatch',
    readonly problem: P,
  ) {
    super(`${feature} refused: ${problem.code}`);
    this.name = 'Refusal';
  }
}

/** An expected refusal or an already worded UserError: answered privately, never logged as a crash. */
export function isExpected(error: unknown): error is UserError | Refusal {
  return error instanceof UserError || error instanceof Refusal;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '08006', // connection_failure
  '08001', // unable to connect
]);

/** True when the error means "the database cannot be reached right now" rather than a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return codesOf(error).some((code) => CONNECTION_ERROR_CODES.has(code));
}

/** Postgres ended this statement's transaction to break a deadlock: nothing of it was written, so it can run again. */
export function isDeadlock(error: unknown): boolean {
  return codesOf(error).includes('40P01');
}

/** The error's code and its causes' (drizzle wraps the driver's error), outermost first. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}
