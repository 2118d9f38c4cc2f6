// The bot's drizzle database over postgres.js sends its statements as named prepared statements (planned once
// per connection), inside transactions too, unless DATABASE_URL says prepare=false (PgBouncer).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzleOverPostgres, openDatabase } from '../../src/db/client.js';
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
  async function preparedAfter(url: string, work: (db: ReturnType<typeof drizzleOverPostgres>) => Promise<unknown>): Promise<string[]> {
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await work(drizzleOverPostgres(client));
      const rows = await client`select statement from pg_prepared_statements`;
      return rows.map((r) => String(r['statement']));
    } finally {
      await client.end({ timeout: 2 });
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
