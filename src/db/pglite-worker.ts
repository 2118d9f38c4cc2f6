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
    const options = request.loadDataDir ? { loadDataDir: new Blob([request.loadDataDir]) } : {};
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
