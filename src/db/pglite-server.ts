// The embedded database, run on a worker thread of its own (`pglite-worker.ts`) and served there on a Unix
// socket, so the bot reaches it through postgres.js, the driver it uses for Postgres. PGlite executes
// statements synchronously on the thread that owns it: on the bot's thread, a burst of 500 clicks held the
// gateway, the REST replies and every timer for seconds. The thread is told only to open, dump and close a
// database; statements go over the socket.
//
// One thread serves every embedded database the process opens (the bot has one; a test process opens many):
// a new thread starts a cold JavaScript engine, and PGlite took ~2 s to start in one against ~0.4 s in a
// warm one.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface OpenOptions {
  dir: string | 'memory';
  /** A `dumpDataDir()` tarball to start from instead of an empty cluster. */
  loadDataDir?: ArrayBuffer;
}

type Op = ({ op: 'open' } & OpenOptions) | { op: 'dump' } | { op: 'close' };
/** `db` names the database a request is for: the thread serves one PGlite per open database. */
export type ThreadRequest = { id: number; db: number } & Op;

export type ThreadReply = { id: number } & ({ ok: true; result: unknown } | { ok: false; error: Record<string, unknown> });

export interface PgliteServer {
  /** The Unix socket the database is served on (postgres.js's `path`). */
  socketPath: string;
  /** The whole data directory as a tarball, to start copies from (`OpenOptions.loadDataDir`). */
  dumpDataDir(): Promise<ArrayBuffer>;
  close(): Promise<void>;
}

function rebuildError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message)), fields);
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
  private readonly worker = workerThread(new URL(import.meta.url.replace(/pglite-server\.(ts|js)$/, 'pglite-worker.$1')));
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private stopped: Error | undefined;

  constructor(private readonly onStop: () => void) {
    this.worker.unref();
    this.worker.on('message', (reply: ThreadReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(rebuildError(reply.error));
    });
    this.worker.on('error', (error) => this.stop(new Error(`the embedded database's thread failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.stop(new Error(`the embedded database's thread exited (code ${code})`)));
  }

  /**
   * The thread holds the process open only while a request is out; the bot's connection to a database holds it
   * open while a statement is waiting, like a connection to Postgres.
   */
  send(db: number, op: Op, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, db, ...op } satisfies ThreadRequest, transfer);
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

/** Opens (or creates) a database on the shared thread and serves it; statements then go to `socketPath`. */
export async function startPgliteServer(options: OpenOptions): Promise<PgliteServer> {
  const on = (thread ??= new DatabaseThread(() => thread === on && (thread = undefined)));
  const db = nextDatabase++;
  const socketPath = (await on.send(db, { op: 'open', ...options }, options.loadDataDir ? [options.loadDataDir] : [])) as string;
  let closed = false;
  return {
    socketPath,
    dumpDataDir: () => on.send(db, { op: 'dump' }) as Promise<ArrayBuffer>,
    async close() {
      if (closed) return;
      closed = true;
      await on.send(db, { op: 'close' }).catch(() => {});
    },
  };
}
