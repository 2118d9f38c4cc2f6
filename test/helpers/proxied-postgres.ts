// A Postgres test engine whose connections go through a TcpProxy, so a test can cut the database off the bot.
import { openDatabase, type DatabaseTarget } from '../../src/db/client.js';
import { createScratchDatabase, type TestDatabase, type TestEngine } from './databases.js';
import { TcpProxy } from './tcp-proxy.js';

export type PostgresTuning = Omit<Extract<DatabaseTarget, { kind: 'postgres' }>, 'kind' | 'url'>;

export interface ProxiedPostgres {
  engine: TestEngine;
  /** Set once the engine has opened its database. */
  proxy(): TcpProxy;
}

/** Each open() makes a fresh database and a fresh proxy in front of it; dispose() removes both. */
export function proxiedPostgresEngine(adminUrl: string, tuning: PostgresTuning = {}): ProxiedPostgres {
  let current: TcpProxy | undefined;
  const engine: TestEngine = {
    name: 'postgres',
    async open(): Promise<TestDatabase> {
      const { url, drop } = await createScratchDatabase(adminUrl);
      const proxy = await TcpProxy.forUrl(url);
      current = proxy;
      const database = await openDatabase({ kind: 'postgres', url: proxy.url(url), ...tuning });
      return {
        ...database,
        url,
        dispose: async () => {
          await proxy.close();
          await database.close().catch(() => {});
          await drop();
        },
      };
    },
  };
  return {
    engine,
    proxy() {
      if (!current) throw new Error('the proxied database has not been opened yet');
      return current;
    },
  };
}
