// Writes answer clicks to the database, one statement at a time per server. A click on a server with no write
// out goes at once, as its own statement; clicks that arrive while one is out wait, and go together as one
// statement when it comes back. A burst on one question is then written in a few statements instead of one per
// click (500 clicks on PGlite: last reply 1.38 s -> 0.63-0.72 s; 20 clicks cost Postgres about a third of 20
// statements, bench/README.md). One at a time per server also keeps two multi-click statements from locking the
// server's per-total counts (kept by a trigger) in opposite orders; a reveal still can, rarely, so a statement
// that Postgres ends to break a deadlock is run again (it wrote nothing). Servers never share rows, so their
// writes run side by side. A click is answered only once its statement has committed, as before.
import type { AnswerInput, AnswerOutcome } from '../db/repositories/trivia.js';
import { isDeadlock } from '../errors.js';

export interface AnswerWriter {
  recordAnswer(input: AnswerInput): Promise<AnswerOutcome>;
  /** Each (server, member) at most once per call. */
  recordAnswers(inputs: readonly AnswerInput[]): Promise<AnswerOutcome[]>;
}

/** Clicks in one statement at most. */
const MAX_BATCH = 50;
/** Runs of a statement that Postgres keeps ending to break deadlocks, before its clicks get the error. */
const DEADLOCK_ATTEMPTS = 3;

interface Waiting {
  input: AnswerInput;
  resolve(outcome: AnswerOutcome): void;
  reject(error: unknown): void;
}

export class AnswerQueue {
  /** Servers with a write out, and the clicks waiting behind it. */
  private readonly servers = new Map<string, Waiting[]>();

  constructor(private readonly writer: AnswerWriter) {}

  record(input: AnswerInput): Promise<AnswerOutcome> {
    return new Promise((resolve, reject) => {
      const click = { input, resolve, reject };
      const waiting = this.servers.get(input.guildId);
      if (waiting) {
        waiting.push(click);
        return;
      }
      this.servers.set(input.guildId, []);
      void this.writeServer(input.guildId, [click]);
    });
  }

  private async writeServer(guildId: string, first: Waiting[]): Promise<void> {
    for (let batch = first; batch.length > 0; batch = takeBatch(this.servers.get(guildId)!)) {
      await this.write(batch);
    }
    this.servers.delete(guildId);
  }

  /** One statement: it commits every click in it or none, so a failure is every click's. */
  private async write(batch: Waiting[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = batch.length === 1 ? [await this.writer.recordAnswer(batch[0]!.input)] : await this.writer.recordAnswers(batch.map((c) => c.input));
        batch.forEach((click, i) => click.resolve(outcomes[i]!));
        return;
      } catch (error) {
        if (isDeadlock(error) && attempt < DEADLOCK_ATTEMPTS) continue;
        for (const click of batch) click.reject(error);
        return;
      }
    }
  }
}

/** Takes the longest-waiting clicks out of `waiting`, each member once (a second click waits for the next statement). */
function takeBatch(waiting: Waiting[]): Waiting[] {
  const members = new Set<string>();
  const batch: Waiting[] = [];
  const rest: Waiting[] = [];
  for (const click of waiting) {
    if (batch.length < MAX_BATCH && !members.has(click.input.userId)) {
      members.add(click.input.userId);
      batch.push(click);
    } else {
      rest.push(click);
    }
  }
  waiting.splice(0, waiting.length, ...rest);
  return batch;
}
