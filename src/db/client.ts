// Opens the database: postgres.js when a URL is given, otherwise embedded PGlite (a directory, or memory).
// The same migrations/ folder migrates both engines.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { projectPath } from '../util/project-root.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** Cheap liveness probe for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  | { kind: 'pglite'; dir: string | 'memory' };

const MIGRATIONS = { migrationsFolder: projectPath('migrations') };
/** Any constant: serialises migrations when several bot processes start against one Postgres. */
const MIGRATION_LOCK_KEY = 7_251_999;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target.url, target.maxConnections) : openPglite(target.dir);
}

async function openPostgres(url: string, maxConnections = 10): Promise<Database> {
  const client = postgres(url, {
    max: maxConnections,
    onnotice: () => {},
    connect_timeout: 10,
    // Recycle connections so a Postgres restart or a cut connection heals without a bot restart.
    max_lifetime: 60 * 30,
  });
  try {
    await migrateOnce(url);
  } catch (error) {
    await client.end({ timeout: 1 });
    throw error;
  }
  const db = drizzlePostgres(client, { schema });
  return {
    db,
    engine: 'postgres',
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** Migrates over one dedicated connection holding an advisory lock, so concurrent starts migrate once. */
async function migrateOnce(url: string): Promise<void> {
  const single = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres(single, { schema }), MIGRATIONS);
    await single`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await single.end({ timeout: 2 });
  }
}

async function openPglite(dir: string | 'memory'): Promise<Database> {
  if (dir !== 'memory') mkdirSync(dir, { recursive: true });
  const client = dir === 'memory' ? new PGlite() : new PGlite(dir);
  const db = drizzlePglite(client, { schema });
  try {
    await migratePglite(db, MIGRATIONS);
  } catch (error) {
    await client.close();
    throw error;
  }
  return {
    db,
    engine: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}
