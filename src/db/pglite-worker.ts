// The embedded databases' own thread: PGlite (Postgres compiled to WebAssembly) runs every statement
// synchronously on the thread that owns it, so on the bot's thread a burst of clicks froze the gateway, the
// REST replies and every timer until the whole queue was done. Here it blocks only itself. The bot's side is
// `pglite-client.ts`; the messages are its `WorkerRequest` and `WorkerReply`.
import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { WorkerReply, WorkerRequest } from './pglite-client.js';
import { PreparedStatements } from './pglite-prepared.js';

const port = parentPort!;

interface OpenDatabase {
  pg: PGlite;
  /** every query runs as a named prepared statement: parsed and planned once per distinct text */
  statements: PreparedStatements;
  /** Open transactions by id: each waits inside PGlite's `transaction()` until the bot says commit or roll back. */
  transactions: Map<number, { end: (commit: boolean) => void; finished: Promise<void> }>;
}
const databases = new Map<number, OpenDatabase>();
let nextTransaction = 1;

/** PGlite's errors carry Postgres's fields (code, detail, constraint...) as own properties; a clone would drop them. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = { message: error.message, name: error.name };
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return fields;
}

const asText = (value: string) => value;
const textParsers = new Map<string, Record<number, typeof asText>>();
function textOnly(types: number[]): Record<number, typeof asText> {
  const key = types.join();
  let parsers = textParsers.get(key);
  if (!parsers) textParsers.set(key, (parsers = Object.fromEntries(types.map((type) => [type, asText]))));
  return parsers;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  if (request.op === 'open') {
    const options = request.loadDataDir ? { loadDataDir: new Blob([request.loadDataDir]) } : {};
    const pg = request.dir === 'memory' ? new PGlite(options) : new PGlite(request.dir, options);
    await pg.waitReady;
    databases.set(request.db, { pg, statements: new PreparedStatements(pg), transactions: new Map() });
    return null;
  }
  const database = databases.get(request.db);
  if (!database) throw new Error(`database ${request.db} is not open`);
  const { pg, statements, transactions } = database;
  switch (request.op) {
    case 'query': {
      const inTransaction = request.tx !== undefined;
      if (inTransaction && !transactions.has(request.tx!)) throw new Error(`transaction ${request.tx} is not open`);
      return statements.query(request.sql, request.params, { rowMode: request.rowMode, parsers: textOnly(request.textTypes), inTransaction });
    }
    case 'begin': {
      const id = nextTransaction++;
      let begun!: () => void;
      const began = new Promise<void>((resolve) => (begun = resolve));
      let end!: (commit: boolean) => void;
      const told = new Promise<boolean>((resolve) => (end = resolve));
      const finished = pg.transaction(async (tx) => {
        begun();
        if (!(await told)) await tx.rollback();
      });
      // A failed BEGIN rejects `finished` before the body ever runs.
      await Promise.race([began, finished.then(() => Promise.reject(new Error('the transaction ended before it began')))]);
      transactions.set(id, { end, finished });
      return id;
    }
    case 'end': {
      const open = transactions.get(request.tx);
      if (!open) throw new Error(`transaction ${request.tx} is not open`);
      transactions.delete(request.tx);
      open.end(request.commit);
      await open.finished; // PGlite's COMMIT or ROLLBACK, and its error if the COMMIT failed
      return null;
    }
    case 'dump':
      return (await pg.dumpDataDir('none')).arrayBuffer();
    case 'close':
      databases.delete(request.db);
      await pg.close();
      return null;
  }
}

port.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (result) => port.postMessage({ id: request.id, ok: true, result } satisfies WorkerReply, result instanceof ArrayBuffer ? [result] : []),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: describeError(error) } satisfies WorkerReply),
  );
});
