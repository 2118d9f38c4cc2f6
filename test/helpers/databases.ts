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
