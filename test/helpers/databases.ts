// One shared repository suite runs on every engine listed here: in-memory PGlite always, and real Postgres
// at DATABASE_URL when it is set. Each Postgres run gets its own fresh database, dropped afterwards.
import { openDatabase, type Database } from '../../src/db/client.js';
import { createScratchDatabase } from './scratch-database.js';

export { createScratchDatabase };

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

/**
 * The first PGlite database a test process opens is created and migrated for real; later ones start from a
 * dump of its data directory taken right after its migrations (before any test wrote to it), which skips
 * PGlite's initdb. They still run the migrator, which finds nothing to do.
 */
let migrated: Promise<ArrayBuffer> | undefined;

export const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open() {
    if (!migrated) {
      const first = openDatabase({ kind: 'pglite', dir: 'memory' });
      migrated = first.then((database) => database.dumpDataDir!());
      migrated.catch(() => (migrated = undefined));
      const database = await first;
      await migrated;
      return { ...database, dispose: () => database.close() };
    }
    // Each copy is transferred to the database thread (the buffer moves there), so every database gets a fresh one.
    const database = await openDatabase({ kind: 'pglite', dir: 'memory', startFrom: (await migrated).slice(0) });
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
