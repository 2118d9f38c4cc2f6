// Opens the database: Postgres at a URL, or embedded PGlite (a directory, or memory) served on a thread of its
// own. The bot reaches both through postgres.js, and the same migrations/ folder migrates both.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { connect, type Socket } from 'node:net';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { projectPath } from '../util/project-root.js';
import { startPgliteServer } from './pglite-server.js';
import { postgresConnection } from './postgres-url.js';
import * as schema from './schema.js';

/** drizzle over postgres.js; `$client` is the postgres.js client, for a statement built once (`TriviaRepository.recordAnswer`). */
export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** Cheap liveness probe for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball, to open copies of it (`startFrom`). */
  dumpDataDir?: () => Promise<ArrayBuffer>;
}

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      maxConnections?: number;
      /** Give up on opening a connection after this long (default 10 s). */
      connectTimeoutSeconds?: number;
      /** Drop a connection that sent a query but heard nothing back for this long (default 10 s); see `stallGuardedSocket`. */
      stallTimeoutMs?: number;
      /** Sees every statement sent (benchmarks count and explain them). */
      onStatement?: (query: string, params: readonly unknown[]) => void;
    }
  | {
      kind: 'pglite';
      dir: string | 'memory';
      /** Start from this dumped data directory (`dumpDataDir`) instead of an empty one: tests open a migrated copy without PGlite's initdb. */
      startFrom?: ArrayBuffer;
    };

const MIGRATIONS = { migrationsFolder: projectPath('migrations') };
/** Any constant: serialises migrations when several bot processes start against one Postgres. */
const MIGRATION_LOCK_KEY = 7_251_999;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target) : openPglite(target.dir, target.startFrom);
}

async function openPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<Database> {
  const { maxConnections = 10, connectTimeoutSeconds = 10, stallTimeoutMs = 10_000, onStatement } = target;
  const { url, socketPath } = postgresConnection(target.url);
  // `socket` is a documented postgres.js option that its type definitions leave out.
  const options: postgres.Options<{}> & { socket: ReturnType<typeof stallGuardedSocket> } = {
    ...(socketPath ? { path: socketPath } : {}),
    max: maxConnections,
    onnotice: () => {},
    connect_timeout: connectTimeoutSeconds,
    // A cut network leaves half-open connections that postgres.js would wait on forever.
    socket: stallGuardedSocket(stallTimeoutMs),
    // Recycle connections so a Postgres restart or a cut connection heals without a bot restart.
    max_lifetime: 60 * 30,
    ...(onStatement ? { debug: (_connection: number, query: string, params: unknown[]) => onStatement(query, params) } : {}),
  };
  const client = postgres(url, options);
  try {
    await migrateOnce(url, socketPath);
  } catch (error) {
    await client.end({ timeout: 1 });
    throw error;
  }
  const db = drizzle(preparingStatements(client), { schema });
  return {
    db,
    engine: 'postgres',
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * The client drizzle is given: every statement is sent as a named prepared statement, so Postgres parses and
 * plans each distinct statement once per connection instead of on every call. drizzle asks postgres.js for an
 * unnamed statement unless a query is prepared by name, so Postgres parsed and analysed each statement on every
 * call (the answer click's statement: 1.08 ms a call unprepared; bench/README.md). From a statement's sixth call on,
 * Postgres may also reuse one generic plan instead of planning each call (its default plan_cache_mode), which
 * halves what the click costs Postgres; so every per-server statement must have a generic plan that suits the
 * biggest server too (test/db/generic-plans.test.ts). PGlite gains the same: an unnamed statement was parsed,
 * analysed and planned on every call there too. Transactions and savepoints hand drizzle their own client, which
 * gets the same treatment. `?prepare=false` in DATABASE_URL (for PgBouncer in transaction mode) still turns
 * prepared statements off everywhere: postgres.js's own setting wins over the per-query one.
 *
 * Neither library has a setting for this, so it rests on how drizzle-orm (0.45.4) calls its client: `unsafe`
 * with `{ prepare: false }` for each statement, `begin` and `savepoint` for transactions.
 * test/db/prepared-statements.test.ts fails, on both engines, when a version calls it another way.
 */
function preparingStatements<T extends postgres.Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property) {
      if (property === 'unsafe') {
        return (query: string, params?: unknown[], options?: { prepare?: boolean }) => target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: postgres.Sql) => unknown;
          const start = Reflect.get(target, property) as (...a: unknown[]) => unknown;
          return start.call(target, ...args, (tx: postgres.Sql) => body(preparingStatements(tx)));
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
  ssl?: unknown;
}

/**
 * A socket factory for postgres.js that destroys a connection when it has sent something and heard nothing
 * back for `stallMs`. postgres.js has no query timeout, and after a network cut a pooled connection can stay
 * half-open: the query waits forever and so does the member. Destroying the socket fails the waiting query with
 * a connection error (shown as "having trouble reaching my database") and the pool opens a fresh connection.
 * Idle connections are never touched, only ones waiting for a reply. With TLS the guard is left out: postgres.js
 * moves the stream to its own TLS socket and this one no longer sees the replies.
 *
 * TCP connections also turn Nagle's algorithm off (postgres.js leaves Node's default on): with it, a statement
 * written while the connection's previous one was still unacknowledged waited for that ACK, and under a click
 * load the answer p99 was 3.9-14.7x the bare client's instead of 1.4-2.6x (bench/README.md).
 */
function stallGuardedSocket(stallMs: number) {
  let next = 0;
  return (options: SocketTarget): Socket => {
    const i = next++ % Math.max(options.host.length, 1);
    const host = options.host[i] ?? 'localhost';
    const port = options.port[i] ?? options.port[0] ?? 5432;
    const socket = options.path ? connect(options.path) : connect({ port, host, noDelay: true });
    Object.assign(socket, { host, port });
    if (!options.ssl) destroyWhenStalled(socket, stallMs, options.path || `${host}:${port}`);
    return socket;
  };
}

/**
 * Node's idle timeout says when nothing has moved either way for `stallMs`; what the socket has written and
 * read says whether a reply is owed: something was written after the last data came in. Node does not re-arm
 * an idle timeout that has fired, so an idle connection's is set again.
 */
function destroyWhenStalled(socket: Socket, stallMs: number, where: string): void {
  let writtenByLastReply = 0;
  socket.on('data', () => (writtenByLastReply = socket.bytesWritten));
  socket.setTimeout(stallMs);
  socket.on('timeout', () => {
    if (socket.bytesWritten === writtenByLastReply) return void socket.setTimeout(stallMs);
    socket.destroy(Object.assign(new Error(`no reply from the database at ${where} for ${stallMs} ms`), { code: 'ETIMEDOUT' }));
  });
}

/** Migrates over one dedicated connection holding an advisory lock, so concurrent starts migrate once. */
async function migrateOnce(url: string, socketPath: string | undefined): Promise<void> {
  const single = postgres(url, { ...(socketPath ? { path: socketPath } : {}), max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(single, { schema }), MIGRATIONS);
    await single`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await single.end({ timeout: 2 });
  }
}

async function openPglite(dir: string | 'memory', startFrom: ArrayBuffer | undefined): Promise<Database> {
  if (dir !== 'memory') makeDirectory(dir);
  const server = await startPgliteServer(startFrom ? { dir, loadDataDir: startFrom } : { dir });
  // One connection, kept for good: PGlite is one Postgres session. postgres.js queues the bot's statements on it
  // (sending them without waiting for the one before), and a transaction holds it until it ends. Options the
  // PG* environment variables could set for a Postgres server are fixed here.
  const client = postgres({
    path: server.socketPath,
    username: 'postgres',
    database: 'postgres',
    ssl: false,
    max: 1,
    max_lifetime: 0,
    idle_timeout: 0,
    onnotice: () => {},
  });
  const db = drizzle(preparingStatements(client), { schema });
  const close = async () => {
    await client.end({ timeout: 5 });
    await server.close();
  };
  try {
    await migrate(db, MIGRATIONS); // one process owns a PGlite directory: no lock to take
  } catch (error) {
    await close();
    throw error;
  }
  return {
    db,
    engine: 'pglite',
    ping: async () => {
      await client`select 1`;
    },
    close,
    dumpDataDir: () => server.dumpDataDir(),
  };
}

/**
 * Creates the folder and its missing parents one level at a time. Node's recursive mkdir loops for ever under a
 * folder that answers ENOENT to every mkdir (/proc), so a bad PGLITE_DIR hung start-up; this throws at once.
 */
function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const level of missing) mkdirSync(level);
}
