// A bot on the same machine as Postgres can reach it over its Unix socket, written in DATABASE_URL the way
// libpq takes it: postgres.js alone read such a URL as a host name (or sent `host` to Postgres as a setting).
import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { databaseProblem } from '../../src/startup-problem.js';
import { createScratchDatabase, postgresEngine } from '../helpers/databases.js';

describe.runIf(postgresEngine)('GIVEN Postgres with a Unix socket', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let directory: string | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    const admin = postgres(scratch.url, { max: 1, onnotice: () => {} });
    const [row] = await admin<{ dirs: string }[]>`select current_setting('unix_socket_directories') as dirs`;
    await admin.end();
    // the server's own list; the first directory whose socket file this machine can see (none in a container)
    directory = row!.dirs.split(',').map((d) => d.trim()).find((d) => d.startsWith('/') && existsSync(`${d}/.s.PGSQL.${new URL(scratch.url).port || 5432}`));
  });
  afterAll(async () => scratch?.drop());

  const viaSocket = (form: 'query' | 'host') => {
    const tcp = new URL(scratch.url);
    const database = tcp.pathname.slice(1);
    const port = tcp.port || '5432';
    return form === 'query'
      ? `postgres://${tcp.username}@/${database}?host=${directory}&port=${port}`
      : `postgres://${tcp.username}@${encodeURIComponent(directory!)}:${port}/${database}`;
  };

  for (const form of ['query', 'host'] as const) {
    it(`WHEN DATABASE_URL names the socket directory (${form === 'query' ? '?host=/dir' : 'percent-encoded host'}) THEN the bot migrates and works over the socket`, async (ctx) => {
      if (!directory) ctx.skip(); // this Postgres has no socket on this machine
      const database = await openDatabase({ kind: 'postgres', url: viaSocket(form) });
      try {
        const settings = new GuildSettingsRepository(database.db);
        await settings.update('1000000000000000001', { timeZone: 'Europe/Oslo' }, new Date('2026-12-01T12:00:00Z'));
        expect((await settings.get('1000000000000000001')).timeZone).toBe('Europe/Oslo');
        // inet_server_addr() is null on a Unix-socket connection
        const rows = (await database.db.execute(sql`select inet_server_addr() as addr`)) as unknown as { addr: string | null }[];
        expect(rows[0]!.addr).toBeNull();
      } finally {
        await database.close();
      }
    });
  }

  it('WHEN the socket directory has no Postgres socket THEN start-up says so and where', async () => {
    const url = `postgres://postgres@/ds9?host=/nonexistent-ds9-socket-dir`;
    const failure = await openDatabase({ kind: 'postgres', url, connectTimeoutSeconds: 2 }).then(() => null, (error: unknown) => error);
    expect(databaseProblem(failure, url, '.data')).toMatch(/^Cannot use the database at \/nonexistent-ds9-socket-dir:5432\/ds9: there is no Postgres socket in that directory\./);
  });
});
