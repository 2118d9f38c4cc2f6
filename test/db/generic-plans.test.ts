// The bot's statements are prepared, and from a statement's sixth call on Postgres may reuse one generic plan
// for it (made without the parameters) instead of planning each call. A generic plan sizes every server like an
// average one; for a per-server statement it must still suit the biggest server. Checked by the pages each plan
// reads (EXPLAIN ANALYZE BUFFERS), not by time: the generic plan may read little more than the plan made for the
// big server's own parameters. Many small servers make the generic plan's guess of a server's size small
// (~70 rows), as in a real bot's table.
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { TriviaRepository } from '../../src/db/repositories/trivia.js';
import { createScratchDatabase, postgresEngine } from '../helpers/databases.js';

const BIG = '400000000000000001';
const BIG_MEMBERS = 100_000;
const SMALL_SERVERS = 3000;
const MEMBERS_PER_SMALL = 10;
const NOW = new Date('2026-11-26T12:00:00Z');
const member = (i: number) => String(500_000_000_000_000_000n + BigInt(i));

interface Statement {
  query: string;
  params: unknown[];
}

describe.runIf(postgresEngine)(`GIVEN one server of ${BIG_MEMBERS.toLocaleString('en')} scored members among ${SMALL_SERVERS} small ones, on Postgres`, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  let admin: postgres.Sql;
  let captured: Statement[] = [];
  let repo: TriviaRepository;
  let openRound: { roundId: number; gameId: number };

  beforeAll(async () => {
    scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    database = await openDatabase({ kind: 'postgres', url: scratch.url, onStatement: (query, params) => void captured.push({ query, params: [...params] }) });
    repo = new TriviaRepository(database.db);
    admin = postgres(scratch.url, { max: 1, onnotice: () => {} });
    // A big server's points are skewed (many with a few, a handful with thousands, 1% with 10,000-100,000 as in a
    // long-lived server, so a rank reads every level of bands); small servers have a few hundred.
    await admin.unsafe('alter table player_scores disable trigger user');
    await admin`insert into player_scores (guild_id, user_id, points, answered, correct)
      select ${BIG}, (${member(0)}::bigint + i)::text, case when i % 100 = 37 then 10000 + i * 7919 % 90000 else 1 + (power((i * 7919 % 1000) / 1000.0, 3) * 5000)::int end, 10, 5
      from generate_series(1, ${BIG_MEMBERS}::int) as i`;
    await admin`insert into player_scores (guild_id, user_id, points, answered, correct)
      select (${BIG}::bigint + g)::text, (${member(0)}::bigint + m)::text, 1 + (g * m) % 400, 3, 1
      from generate_series(1, ${SMALL_SERVERS}::int) as g, generate_series(1, ${MEMBERS_PER_SMALL}::int) as m`;
    await admin.unsafe('alter table player_scores enable trigger user');
    await admin`insert into player_score_counts (guild_id, points, members)
      select guild_id, points, count(*)::int from player_scores where points > 0 group by guild_id, points`;
    await admin`insert into player_score_bands (guild_id, band, members)
      select guild_id, points / 100, count(*)::int from player_scores where points > 0 group by guild_id, points / 100`;
    await admin`insert into player_score_band_groups (guild_id, band_group, members)
      select guild_id, points / 10000, count(*)::int from player_scores where points > 0 group by guild_id, points / 10000`;
    // This week's answers: one open round in the big server, answered by most of it (the trigger keeps their week).
    const created = await repo.createGame({ guildId: BIG, channelId: '400000000000000900', startedBy: member(1), questionIds: ['q1'], secondsPerQuestion: 60, category: null, difficulty: null, now: NOW });
    const round = created!.rounds[0]!;
    await repo.openRound(round.id, NOW, new Date(NOW.getTime() + 3_600_000));
    openRound = { roundId: round.id, gameId: created!.game.id };
    await admin`insert into trivia_answers (round_id, user_id, guild_id, answer, correct, points, answered_at)
      select ${round.id}, (${member(0)}::bigint + i)::text, ${BIG}, 'a', true, 1 + i * 7919 % 500, ${NOW.toISOString()}::timestamptz
      from generate_series(2, ${BIG_MEMBERS}::int) as i`;
    // The small servers played this week too (their week rows written directly), so that a generic plan sizes a
    // server's week like theirs (~10 rows), as in a real bot's table.
    await admin`insert into player_week_scores (guild_id, week_start, user_id, points)
      select (${BIG}::bigint + g)::text, date_trunc('week', ${NOW.toISOString()}::timestamptz at time zone 'UTC') at time zone 'UTC', (${member(0)}::bigint + m)::text, 1 + (g * m) % 40
      from generate_series(1, ${SMALL_SERVERS}::int) as g, generate_series(1, ${MEMBERS_PER_SMALL}::int) as m`;
    for (const table of ['player_scores', 'player_score_counts', 'player_score_bands', 'player_score_band_groups', 'trivia_answers', 'player_week_scores']) await admin.unsafe(`vacuum analyze ${table}`);
  }, 180_000);

  afterAll(async () => {
    await admin?.end();
    await database?.close();
    await scratch?.drop();
  });

  /** The one statement a repository call sends. */
  async function statementOf(call: () => Promise<unknown>): Promise<Statement> {
    captured = [];
    await call();
    expect(captured, 'one statement per call').toHaveLength(1);
    return captured[0]!;
  }

  /** Pages read (shared hit + read) running the statement with the given plan; writes are rolled back. */
  async function pagesRead(statement: Statement, mode: 'force_generic_plan' | 'force_custom_plan'): Promise<number> {
    const rollback = new Error('rollback');
    let pages = Number.NaN;
    await admin
      .begin(async (tx) => {
        await tx.unsafe(`set local plan_cache_mode = ${mode}`);
        // PREPARE works the parameters' types out from the statement, as the extended protocol does for the bot.
        await tx.unsafe(`prepare checked as ${statement.query}`);
        const [row] = await tx.unsafe(`explain (analyze, buffers, format json) execute checked(${statement.params.map(literal).join(', ')})`);
        const [{ Plan: plan }] = row!['QUERY PLAN'] as [{ Plan: Record<string, number> }];
        pages = plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
        throw rollback; // PREPARE is not transactional: the rollback drops the statement's writes, not the statement
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      })
      .finally(() => admin.unsafe('deallocate all'));
    return pages;
  }

  function literal(value: unknown): string {
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
    throw new Error(`no literal for parameter ${JSON.stringify(value)}`);
  }

  async function expectGenericPlanToSuitTheBigServer(call: () => Promise<unknown>): Promise<void> {
    const statement = await statementOf(call);
    const custom = await pagesRead(statement, 'force_custom_plan');
    const generic = await pagesRead(statement, 'force_generic_plan');
    // Slack for an index scan where the big server's own plan sorts a bitmap first (~100 rows, a page each); a
    // plan that walks the server's rows reads thousands more (the first test).
    expect(generic, `pages read with the generic plan (${generic}) against the big server's own plan (${custom})`).toBeLessThanOrEqual(custom * 2 + 100);
  }

  it("THEN a plan that walks the big server's rows would read far more than the slack allowed", async () => {
    const [{ pages }] = (await admin`select pg_relation_size('player_scores_top_idx') / current_setting('block_size')::int as pages`) as unknown as [{ pages: number }];
    expect(Number(pages)).toBeGreaterThan(500);
  });

  it('THEN the all-time leaderboard for a mid-table member', async () => {
    await expectGenericPlanToSuitTheBigServer(() => repo.leaderboardAllTime(BIG, member(BIG_MEMBERS / 2)));
  });

  it('THEN the all-time leaderboard for the leader', async () => {
    const [leader] = await admin`select user_id from player_scores where guild_id = ${BIG} order by points desc, user_id limit 1`;
    await expectGenericPlanToSuitTheBigServer(() => repo.leaderboardAllTime(BIG, String(leader!['user_id'])));
  });

  it("THEN a member's stats", async () => {
    await expectGenericPlanToSuitTheBigServer(() => repo.stats(BIG, member(77)));
  });

  it('THEN the weekly leaderboard for a mid-table member', async () => {
    await expectGenericPlanToSuitTheBigServer(() => repo.leaderboardThisWeek(BIG, member(10_000), NOW, 'UTC'));
  });

  it('THEN the weekly leaderboard for a member who has not played this week', async () => {
    await expectGenericPlanToSuitTheBigServer(() => repo.leaderboardThisWeek(BIG, member(1), NOW, 'UTC')); // the game's starter, who did not answer
  });

  it('THEN an answer click (rolled back after it ran)', async () => {
    await expectGenericPlanToSuitTheBigServer(() =>
      repo.recordAnswer({ ...openRound, guildId: BIG, userId: member(BIG_MEMBERS - 5), answer: 'a', correct: true, scoring: { pointsFor: (streak) => 10 + streak }, now: NOW }),
    );
  });

  it('THEN answer clicks written together (rolled back after they ran)', async () => {
    const click = (n: number) => ({ ...openRound, guildId: BIG, userId: member(BIG_MEMBERS - n), answer: 'a', correct: true, scoring: { pointsFor: (streak: number) => 10 + streak }, now: NOW });
    await expectGenericPlanToSuitTheBigServer(() => repo.recordAnswers([click(6), click(7), click(8)]));
  });
});
