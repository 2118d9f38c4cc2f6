// The embedded database, run on a worker thread of its own (`pglite-worker.ts`) and reached by messages.
// PGlite executes statements synchronously on the thread that owns it: on the bot's thread, a burst of 500
// clicks held the gateway, the REST replies and every timer for seconds. drizzle's PGlite driver needs only
// `query` and `transaction`, so a `PgliteClient` stands in for the PGlite object it is given.
//
// One thread serves every embedded database the process opens (the bot has one; a test process opens many):
// a new thread starts a cold JavaScript engine, and PGlite took ~2 s to start in one against ~0.4 s in a
// warm one.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';

export interface OpenOptions {
  dir: string | 'memory';
  /** A `dumpDataDir()` tarball to start from instead of an empty cluster. */
  loadDataDir?: ArrayBuffer;
}

type Op =
  | ({ op: 'open' } & OpenOptions)
  | { op: 'query'; sql: string; params: unknown[]; rowMode: 'array' | 'object'; textTypes: number[]; tx?: number }
  | { op: 'begin' }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'dump' }
  | { op: 'close' };
/** `db` names the database a request is for: the thread holds one PGlite per open database. */
export type WorkerRequest = { id: number; db: number } & Op;

export type WorkerReply = { id: number } & ({ ok: true; result: unknown } | { ok: false; error: Record<string, unknown> });

interface Queryable {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
}

export interface PgliteClient extends Queryable {
  transaction<T>(body: (tx: Queryable) => Promise<T>): Promise<T>;
  /** The whole data directory as a tarball, to start copies from (`OpenOptions.loadDataDir`). */
  dumpDataDir(): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

/** The thread stopped: every waiting and later statement fails as "database unavailable" (src/errors.ts). */
function stoppedError(reason: string): Error {
  return Object.assign(new Error(`the embedded database stopped: ${reason}`), { code: 'CONNECTION_ENDED' });
}

function rebuildError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message)), fields);
}

/**
 * drizzle asks for the same text-as-is parsers (dates, timestamps, intervals, numeric arrays) on every query.
 * Functions cannot be sent to a worker, so only the type ids go, and the worker keeps those types as text; a
 * parser that does anything else is refused rather than silently skipped.
 */
const textTypesOf = new WeakMap<object, number[]>();
function textTypes(options: QueryOptions | undefined): number[] {
  const parsers = options?.parsers;
  if (!parsers) return [];
  let types = textTypesOf.get(parsers);
  if (!types) {
    const probe = '\u0000probe';
    types = Object.entries(parsers).map(([type, parse]) => {
      if (parse(probe, Number(type)) !== probe) throw new Error(`a PGlite parser for type ${type} that changes the text cannot run on the database's worker thread`);
      return Number(type);
    });
    textTypesOf.set(parsers, types);
  }
  return types;
}

/**
 * The built bot runs the compiled worker, which inherits the bot's Node flags. Run from source (tsx, vitest),
 * the worker loads its TypeScript through tsx's API: Node 20 does not apply `--import tsx` to a worker's entry.
 */
function workerThread(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const load = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(load, { ...options, eval: true });
}

/** The database thread and the requests waiting on it. */
class DatabaseThread {
  private readonly worker = workerThread(new URL(import.meta.url.replace(/pglite-client\.(ts|js)$/, 'pglite-worker.$1')));
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stopped: Error | undefined;

  constructor(private readonly onStop: () => void) {
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(rebuildError(reply.error));
    });
    this.worker.on('error', (error) => this.stop(stoppedError(error.message)));
    this.worker.on('exit', (code) => this.stop(stoppedError(`its thread exited (code ${code})`)));
  }

  /** The thread holds the process open only while a request is out, like a socket with a query on it. */
  send(db: number, op: Op, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, db, ...op } satisfies WorkerRequest, transfer);
    });
  }

  private stop(error: Error): void {
    this.stopped ??= error;
    for (const { reject } of this.waiting.values()) reject(this.stopped);
    this.waiting.clear();
    this.onStop();
  }
}

let thread: DatabaseThread | undefined;
let nextDatabase = 1;

export async function openPgliteDatabase(options: OpenOptions): Promise<PgliteClient> {
  const on = (thread ??= new DatabaseThread(() => thread === on && (thread = undefined)));
  const db = nextDatabase++;
  await on.send(db, { op: 'open', ...options }, options.loadDataDir ? [options.loadDataDir] : []);
  let closed: Error | undefined;
  const send = (op: Op) => (closed ? Promise.reject(closed) : on.send(db, op));
  const queryOn =
    (tx: number | undefined) =>
    <T>(sql: string, params: unknown[] = [], options?: QueryOptions) =>
      send({ op: 'query', sql, params, rowMode: options?.rowMode ?? 'object', textTypes: textTypes(options), ...(tx === undefined ? {} : { tx }) }) as Promise<Results<T>>;

  return {
    query: queryOn(undefined),
    async transaction(body) {
      const tx = (await send({ op: 'begin' })) as number;
      let result;
      try {
        result = await body({ query: queryOn(tx) });
      } catch (error) {
        await send({ op: 'end', tx, commit: false }).catch(() => {});
        throw error;
      }
      await send({ op: 'end', tx, commit: true });
      return result;
    },
    dumpDataDir: () => send({ op: 'dump' }) as Promise<ArrayBuffer>,
    async close() {
      if (closed) return;
      await send({ op: 'close' }).catch(() => {});
      closed = stoppedError('it was closed');
    },
  };
}
