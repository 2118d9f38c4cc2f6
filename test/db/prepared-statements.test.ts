// The bot's drizzle database sends its statements as named prepared statements (parsed once per connection),
// inside transactions too, on both engines, unless a Postgres DATABASE_URL says prepare=false (PgBouncer).
//
// No public setting does this: drizzle-orm (0.45.4) calls postgres.js (3.4.9) as `unsafe(text, params,
// { prepare: false })` for every unnamed statement and `begin` / `savepoint` for transactions, and
// `preparingStatements` (src/db/client.ts) wraps exactly those calls. A drizzle or postgres.js version that
// calls its client another way leaves statements unprepared without an error; these tests are what notice.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Db } from '../../src/db/client.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { MythRepository } from '../../src/db/repositories/myth.js';
import { createScratchDatabase, engines, type TestEngine } from '../helpers/databases.js';

const T0 = new Date('2026-11-26T12:00:00Z');

describe.each(engines)('GIVEN the bot on $name', (engine: TestEngine) => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  beforeAll(async () => {
    if (engine.name !== 'postgres') return;
    scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    await (await openDatabase({ kind: 'postgres', url: scratch.url })).close(); // migrations
  });
  afterAll(async () => scratch?.drop());

  /** One connection, so the session that ran the repository's statements is the one asked afterwards (PGlite has one). */
  function openOneConnection(url = scratch?.url): Promise<Database> {
    return url ? openDatabase({ kind: 'postgres', url, maxConnections: 1 }) : engine.open();
  }

  async function preparedAfter(work: (db: Db) => Promise<unknown>, url?: string): Promise<string[]> {
    const database = await openOneConnection(url);
    try {
      await work(database.db);
      const rows = await database.db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
      return rows.map((r) => r.statement);
    } finally {
      await database.close();
    }
  }

  it('THEN a repository statement is prepared once and reused by the next call', async () => {
    const statements = await preparedAfter(async (db) => {
      const settings = new GuildSettingsRepository(db);
      await settings.get('300000000000000001');
      await settings.get('300000000000000002');
    });
    expect(statements.filter((s) => s.includes('"guild_settings"'))).toHaveLength(1);
  });

  it("THEN Postgres's plan cache is left as it comes: a statement may reuse one generic plan (test/db/generic-plans.test.ts checks those suit the biggest server)", async () => {
    const database = await openOneConnection();
    try {
      const rows = await database.db.execute<{ plan_cache_mode: string }>(sql`show plan_cache_mode`);
      expect(rows[0]?.plan_cache_mode).toBe('auto');
    } finally {
      await database.close();
    }
  });

  it('THEN statements inside a transaction are prepared too', async () => {
    const statements = await preparedAfter(async (db) => {
      // No such post: the transaction's first statement finds nothing and the vote is refused.
      expect(await new MythRepository(db).castVote({ postId: 999_999, userId: 'voter', vote: 'myth', now: T0 })).toEqual({ status: 'closed' });
    });
    expect(statements.some((s) => s.includes('"myth_posts"') && s.includes('for share'))).toBe(true);
  });

  it.runIf(engine.name === 'postgres')('THEN prepare=false in the URL turns prepared statements off', async () => {
    const url = new URL(scratch!.url);
    url.searchParams.set('prepare', 'false');
    const statements = await preparedAfter((db) => new GuildSettingsRepository(db).get('300000000000000001'), url.toString());
    expect(statements).toEqual([]);
  });
});
