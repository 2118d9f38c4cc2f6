// The bot's drizzle database over postgres.js sends its statements as named prepared statements (parsed once
// per connection), inside transactions too, unless DATABASE_URL says
// prepare=false (PgBouncer).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/client.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { MythRepository } from '../../src/db/repositories/myth.js';
import { createScratchDatabase, postgresEngine } from '../helpers/databases.js';

const T0 = new Date('2026-11-26T12:00:00Z');

describe.runIf(postgresEngine)('GIVEN the bot on real Postgres', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    await (await openDatabase({ kind: 'postgres', url: scratch.url })).close(); // migrations
  });
  afterAll(async () => scratch?.drop());

  /** One connection, so the session that ran the repository's statements is the one asked afterwards. */
  async function preparedAfter(url: string, work: (db: Db) => Promise<unknown>): Promise<string[]> {
    const database = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
    try {
      await work(database.db);
      // On postgres.js, execute's result is the rows.
      const rows = (await database.db.execute(sql`select statement from pg_prepared_statements`)) as unknown as { statement: string }[];
      return rows.map((r) => r.statement);
    } finally {
      await database.close();
    }
  }

  async function planCacheMode(url: string): Promise<string | undefined> {
    const database = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
    try {
      const rows = (await database.db.execute(sql`show plan_cache_mode`)) as unknown as { plan_cache_mode: string }[];
      return rows[0]?.plan_cache_mode;
    } finally {
      await database.close();
    }
  }

  it('THEN a repository statement is prepared once and reused by the next call', async () => {
    const statements = await preparedAfter(scratch.url, async (db) => {
      const settings = new GuildSettingsRepository(db);
      await settings.get('300000000000000001');
      await settings.get('300000000000000002');
    });
    expect(statements.filter((s) => s.includes('"guild_settings"'))).toHaveLength(1);
  });

  it("THEN Postgres's plan cache is left as it comes: a statement may reuse one generic plan (test/db/generic-plans.test.ts checks those suit the biggest server)", async () => {
    expect(await planCacheMode(scratch.url)).toBe('auto');
  });

  it('THEN statements inside a transaction are prepared too', async () => {
    const statements = await preparedAfter(scratch.url, async (db) => {
      // No such post: the transaction's first statement finds nothing and the vote is refused.
      expect(await new MythRepository(db).castVote({ postId: 999_999, userId: 'voter', vote: 'myth', now: T0 })).toEqual({ status: 'closed' });
    });
    expect(statements.some((s) => s.includes('"myth_posts"') && s.includes('for share'))).toBe(true);
  });

  it('THEN prepare=false in the URL turns prepared statements off', async () => {
    const url = new URL(scratch.url);
    url.searchParams.set('prepare', 'false');
    const statements = await preparedAfter(url.toString(), (db) => new GuildSettingsRepository(db).get('300000000000000001'));
    expect(statements).toEqual([]);
  });
});
