// One shared repository suite runs on every engine listed here: in-memory PGlite always, and real Postgres
// at DATABASE_URL when it is set. Each Postgres run gets its own fresh database, dropped afterwards.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/client.js';

export interface TestDatabase extends Database {
  /** Connection URL of this run's own database (Postgres only), for a second bot process or a proxy. */
  url?: string;
  dispose(): Promise<void>;
}

export interface TestEngine {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

const postgresUrl = process.env.DATABASE_URL;
if (!postgresUrl && process.env.CI) {
  throw new Error('CI must run the repository suite on Postgres too: set DATABASE_URL (the .ci/run script does).');
}

export const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open() {
    const database = await openDatabase({ kind: 'pglite', dir: 'memory' });
    return { ...database, dispose: () => database.close() };
  },
};

export const postgresEngine: TestEngine | undefined = postgresUrl
  ? {
      name: 'postgres',
      async open() {
        const { url, drop } = await createScratchDatabase(postgresUrl);
        const database = await openDatabase({ kind: 'postgres', url });
        return {
          ...database,
          url,
          dispose: async () => {
            await database.close();
            await drop();
          },
        };
      },
    }
  : undefined;

export const engines: TestEngine[] = postgresEngine ? [pgliteEngine, postgresEngine] : [pgliteEngine];

/** Creates an empty database next to the one in `adminUrl`; `drop()` removes it. */
export async function createScratchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ds9_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleanup.end({ timeout: 2 });
      }
    },
  };
}
