import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { startOfLocalWeek } from '../../src/time/schedule-time.js';
import { projectPath } from '../../src/util/project-root.js';
import { createScratchDatabase, postgresEngine } from '../helpers/databases.js';

describe('GIVEN a PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ds9-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('THEN data survives a restart and no migration is applied twice', async () => {
    const first = await openDatabase({ kind: 'pglite', dir });
    await new GuildSettingsRepository(first.db).update('111111111111111111', { timeZone: 'Europe/Berlin' }, new Date());
    await first.close();
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);

    const second = await openDatabase({ kind: 'pglite', dir });
    const settings = await new GuildSettingsRepository(second.db).get('111111111111111111');
    expect(settings.timeZone).toBe('Europe/Berlin');
    const applied = await second.db.execute<{ n: number }>(
      // Raw SQL only to read drizzle's own bookkeeping table.
      'select count(*)::int as n from drizzle.__drizzle_migrations' as never,
    );
    expect(Number(applied[0]?.n)).toBeGreaterThan(0);
    await second.close();
  });
});

describe.runIf(postgresEngine)('GIVEN real Postgres', () => {
  it('THEN two bot processes starting at once migrate once and both work', async () => {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    try {
      const [a, b] = await Promise.all([
        openDatabase({ kind: 'postgres', url: scratch.url }),
        openDatabase({ kind: 'postgres', url: scratch.url }),
      ]);
      await new GuildSettingsRepository(a.db).update('222222222222222222', { secondsPerQuestion: 30 }, new Date());
      expect((await new GuildSettingsRepository(b.db).get('222222222222222222')).secondsPerQuestion).toBe(30);
      await a.close();
      await b.close();
      const again = await openDatabase({ kind: 'postgres', url: scratch.url });
      expect((await new GuildSettingsRepository(again.db).get('222222222222222222')).secondsPerQuestion).toBe(30);
      await again.close();
    } finally {
      await scratch.drop();
    }
  });
});

/** A copy of migrations/ holding only its first `count` migrations, to migrate a database step by step. */
function migrationsUpTo(count: number, dir: string): string {
  const source = projectPath('migrations');
  const journal = JSON.parse(readFileSync(join(source, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  mkdirSync(join(dir, 'meta'), { recursive: true });
  const entries = journal.entries.slice(0, count);
  for (const { tag } of entries) copyFileSync(join(source, `${tag}.sql`), join(dir, `${tag}.sql`));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

interface MigratingDatabase {
  migrate(folder: string): Promise<void>;
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const migratingEngines: { name: string; open(): Promise<MigratingDatabase> }[] = [
  {
    name: 'pglite',
    async open() {
      const pg = new PGlite();
      return {
        migrate: (migrationsFolder) => migratePglite(drizzlePglite(pg), { migrationsFolder }),
        query: async (text, params) => (await pg.query<Record<string, unknown>>(text, params)).rows,
        close: () => pg.close(),
      };
    },
  },
  ...(postgresEngine
    ? [
        {
          name: 'postgres',
          async open(): Promise<MigratingDatabase> {
            const scratch = await createScratchDatabase(process.env.DATABASE_URL!);
            const client = postgres(scratch.url, { max: 1, onnotice: () => {} });
            return {
              migrate: (migrationsFolder) => migratePostgres(drizzlePostgres(client), { migrationsFolder }),
              query: async (text, params) => [...(await client.unsafe(text, (params ?? []) as never[]))] as Record<string, unknown>[],
              close: async () => {
                await client.end({ timeout: 2 });
                await scratch.drop();
              },
            };
          },
        },
      ]
    : []),
];

describe.each(migratingEngines)('GIVEN answers given before migration 0011, on $name', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds9-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('THEN migrating fills the weekly scores from them, per server and local week, and the trigger keeps them after', async () => {
    const db = await engine.open();
    try {
      await db.migrate(migrationsUpTo(11, dir)); // 0000-0010
      // One server in Auckland, one without settings (UTC); answers on both sides of both zones' Monday midnights.
      await db.query(`insert into guild_settings (guild_id, time_zone) values ('1', 'Pacific/Auckland')`);
      await db.query(`insert into trivia_games (guild_id, channel_id, started_by, question_count, seconds_per_question) values ('1', 'c1', 's', 1, 20), ('2', 'c2', 's', 1, 20)`);
      await db.query(`insert into trivia_rounds (game_id, round_no, question_id) select id, n, 'q' from trivia_games, generate_series(1, 30) n`);
      const monday = startOfLocalWeek(new Date('2026-11-26T12:00:00Z'), 'UTC').getTime();
      const answers: { guild: string; user: string; points: number; at: number }[] = [];
      const hour = 3_600_000;
      for (const guild of ['1', '2'])
        for (const [u, user] of ['a', 'b', 'c'].entries())
          for (const offset of [-30 * hour, -13.5 * hour, -12.5 * hour, -0.5 * hour, 0.5 * hour, 50 * hour, -170 * hour])
            answers.push({ guild, user, points: (u * 7 + Math.abs(offset / hour)) % 4 === 0 ? 0 : 5 + u * 5, at: monday + offset + u * 1000 });
      // Each offset is its own round, so a member's answers of one week add up.
      for (const [i, a] of answers.entries()) {
        await db.query(
          `insert into trivia_answers (round_id, user_id, guild_id, answer, correct, points, answered_at)
           select r.id, $1, $2, 'x', $3 > 0, $3, $4::timestamptz from trivia_rounds r join trivia_games g on g.id = r.game_id where g.guild_id = $2 and r.round_no = $5`,
          [a.user, a.guild, a.points, new Date(a.at).toISOString(), 1 + (i % 21)],
        );
      }
      await db.migrate(projectPath('migrations'));

      const expected = new Map<string, number>();
      for (const a of answers) {
        const key = `${a.guild}|${startOfLocalWeek(new Date(a.at), a.guild === '1' ? 'Pacific/Auckland' : 'UTC').toISOString()}|${a.user}`;
        expected.set(key, (expected.get(key) ?? 0) + a.points);
      }
      for (const [key, points] of expected) if (points === 0) expected.delete(key);
      const weekRows = async () =>
        new Map(
          (await db.query(`select guild_id, week_start, user_id, points from player_week_scores`)).map((r) => [
            `${String(r['guild_id'])}|${new Date(r['week_start'] as string).toISOString()}|${String(r['user_id'])}`,
            Number(r['points']),
          ]),
        );
      expect(expected.size).toBeGreaterThan(10);
      expect(Math.max(...expected.values())).toBeGreaterThan(15); // some member's week adds several answers
      expect(await weekRows()).toEqual(expected);

      // After migrating, the trigger adds a new answer and a changed one (the reveal's bonus) to their week.
      const last = answers.length - 1;
      await db.query(`update trivia_answers set points = points + 5 where guild_id = $1 and user_id = $2 and answered_at = $3::timestamptz`, [answers[last]!.guild, answers[last]!.user, new Date(answers[last]!.at).toISOString()]);
      const lastKey = `${answers[last]!.guild}|${startOfLocalWeek(new Date(answers[last]!.at), 'UTC').toISOString()}|${answers[last]!.user}`;
      expected.set(lastKey, (expected.get(lastKey) ?? 0) + 5);
      expect(await weekRows()).toEqual(expected);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe.each(migratingEngines)('GIVEN scores written before migration 0012, on $name', (engine) => {
  const dir = mkdtempSync(join(tmpdir(), 'ds9-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('THEN migrating fills the groups of bands from them, per server, and the trigger keeps every level after', async () => {
    const db = await engine.open();
    try {
      await db.migrate(migrationsUpTo(12, dir)); // 0000-0011
      // Two servers, totals on both sides of 10,000-point edges, and members without points (in no group).
      const scores: { guild: string; user: string; points: number }[] = [];
      for (const guild of ['1', '2'])
        for (const [u, points] of [0, 1, 9_999, 10_000, 10_000, 19_999, 20_000, 55_555, 100_000, 0].entries())
          scores.push({ guild, user: `u${u}`, points: guild === '2' ? points + 1 : points });
      for (const s of scores) await db.query(`insert into player_scores (guild_id, user_id, points) values ($1, $2, $3)`, [s.guild, s.user, s.points]);
      await db.migrate(projectPath('migrations'));

      const definition = (level: string) =>
        db.query(`select guild_id, ${level} as key, count(*)::int as members from player_scores where points > 0 group by 1, 2 order by 1, 2`);
      const kept = (table: string, key: string) => db.query(`select guild_id, ${key} as key, members from ${table} where members <> 0 order by 1, 2`);
      const expectEveryLevelKept = async () => {
        expect(await kept('player_score_counts', 'points')).toEqual(await definition('points'));
        expect(await kept('player_score_bands', 'band')).toEqual(await definition('points / 100'));
        expect(await kept('player_score_band_groups', 'band_group')).toEqual(await definition('points / 10000'));
      };
      expect((await kept('player_score_band_groups', 'band_group')).length).toBeGreaterThan(8); // groups 0, 1, 2, 5 and 10 per server
      await expectEveryLevelKept();

      // After migrating, the trigger moves members between groups: a score across an edge, a new one, a removed one.
      await db.query(`update player_scores set points = points + 1 where guild_id = '1' and user_id = 'u2'`); // 9,999 -> 10,000
      await db.query(`update player_scores set points = 30000 where guild_id = '2' and user_id = 'u0'`); // 1 -> 30,000
      await db.query(`insert into player_scores (guild_id, user_id, points) values ('1', 'new', 70000)`);
      await db.query(`delete from player_scores where guild_id = '2' and user_id = 'u8'`);
      await expectEveryLevelKept();
    } finally {
      await db.close();
    }
  }, 60_000);
});
