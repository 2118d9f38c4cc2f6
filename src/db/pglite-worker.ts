// The embedded databases' own thread: PGlite (Postgres compiled to WebAssembly) runs every statement
// synchronously on the thread that owns it, so on the bot's thread a burst of clicks froze the gateway, the
// REST replies and every timer until the whole queue was done. Here it blocks only itself. Each database is
// served on a Unix socket of its own (`@electric-sql/pglite-socket`), which the bot reaches through postgres.js
// as it reaches Postgres. The bot's side is `pglite-server.ts`; the messages are its `ThreadRequest` and
// `ThreadReply`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { ThreadReply, ThreadRequest } from './pglite-server.js';

const port = parentPort!;

interface ServedDatabase {
  pg: PGlite;
  server: PGLiteSocketServer;
  /** a directory only this user may enter, holding the socket: the socket itself asks for no password */
  socketDir: string | null;
}
const databases = new Map<number, ServedDatabase>();

/**
 * Postgres's settings for PGlite: PGlite's own start parameters (kept whole: they include its `-F`, so durability is
 * PGlite's as before, and the single-process settings) plus a smaller `shared_buffers`. PGlite's Postgres
 * touches all of its shared memory at start, inside the WebAssembly memory of the bot's own process: Postgres's
 * default 128 MB of shared_buffers (and 4 MB of wal_buffers, 1/32 of it) made 151 MB of the WebAssembly memory
 * resident from the first statement on, 29 MB with 16 MB (measured in a throwaway script). 16 MB is 2,048 pages:
 * the hot rows of one community to a few hundred servers; a page that falls out is read back from the data
 * files, which the OS keeps in its cache, not from the disk. Only larger scans pay for it (a 37 MB table scanned
 * in ~1.4x the time). The bot's `openDatabase` on an existing directory: 421 MB RSS after open and 504 MB after
 * 5,000 upserts before, 282-302 and 339-351 MB after; a new directory (initdb, whose own PGlite takes the same
 * parameters) peaked at 963 MB before, 868 MB after. `npm run bench -- --only memory`, ours on PGlite at peak,
 * both settings here: 3.3x the bare client before, 1.85x after (234.6 MB; --quick: 422.9 -> 281.1 MB with this one).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * PGlite's WebAssembly runs on V8's baseline compiler (Liftoff) only. By default V8 recompiles the hot functions
 * of Postgres's 9 MB module with its optimising compiler as they warm up, which held ~60-70 MB more resident
 * (peak 141-154 MB against 215-217 MB over 31,000 statements in a throwaway script) and spent ~0.7 s of CPU
 * compiling in the first seconds; the optimised code ran statements ~10-15% faster once warm (0.13 against 0.11 ms
 * a statement). `npm run bench -- --only memory --quick`, ours on PGlite at peak: 281.1 MB without it, 213.7 MB with it.
 * A V8 flag is the process's, not this thread's: it is read when a module is compiled, so it is
 * set before the first PGlite, and the bot's thread compiles no WebAssembly of its own worth optimising.
 */
setFlagsFromString('--liftoff-only');

/** PGlite's errors carry Postgres's fields (code, detail...) as own properties; a clone would drop them. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = { message: error.message, name: error.name };
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return fields;
}

/**
 * Where the socket server listens. On Linux an abstract socket (a name, no file): nothing is left in the temp folder
 * even when the process is killed. Elsewhere a socket file in a fresh temp directory, removed on close.
 */
function newSocketAddress(): { socketDir: string | null; socketPath: string } {
  if (process.platform === 'linux') return { socketDir: null, socketPath: `\0ds9-pglite-${randomUUID()}` };
  const socketDir = mkdtempSync(join(tmpdir(), 'ds9-pglite-'));
  return { socketDir, socketPath: join(socketDir, '.s.PGSQL.5432') };
}

async function handle(request: ThreadRequest): Promise<unknown> {
  if (request.op === 'open') {
    const options = { startParams: START_PARAMS, ...(request.loadDataDir ? { loadDataDir: new Blob([request.loadDataDir]) } : {}) };
    const pg = request.dir === 'memory' ? new PGlite(options) : new PGlite(request.dir, options);
    await pg.waitReady;
    const { socketDir, socketPath } = newSocketAddress();
    // PGlite is a single Postgres session and the bot's client holds one connection to it (`openDatabase`); the
    // second place is for a reconnect that arrives before the server has seen the first connection close.
    const server = new PGLiteSocketServer({ db: pg, path: socketPath, maxConnections: 2 });
    try {
      await server.start();
    } catch (error) {
      await pg.close();
      if (socketDir) rmSync(socketDir, { recursive: true, force: true });
      throw error;
    }
    databases.set(request.db, { pg, server, socketDir });
    return socketPath;
  }
  const database = databases.get(request.db);
  if (!database) throw new Error(`database ${request.db} is not open`);
  switch (request.op) {
    case 'dump':
      return (await database.pg.dumpDataDir('none')).arrayBuffer();
    case 'close':
      databases.delete(request.db);
      await database.server.stop();
      await database.pg.close();
      if (database.socketDir) rmSync(database.socketDir, { recursive: true, force: true });
      return null;
  }
}

port.on('message', (request: ThreadRequest) => {
  handle(request).then(
    (result) => port.postMessage({ id: request.id, ok: true, result } satisfies ThreadReply, result instanceof ArrayBuffer ? [result] : []),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: describeError(error) } satisfies ThreadReply),
  );
});
