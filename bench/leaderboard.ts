// 3. Leaderboard at scale: both boards members ask for, top 10 + the caller's rank, on Postgres:
//   all time (TriviaRepository.leaderboardAllTime) in a server with 1,000,000 scored members among 10,000
//   servers, points reaching a long tail (1% of members with 10,000-100,000 points, as a long-lived server has);
//   this week (TriviaRepository.leaderboardThisWeek, the UTC week holding a moment late in the loaded week) over
//   the same server's answers, kept per member and week by migration 0011's trigger as they are loaded:
//   two weeks of games, every round answered by ~100 members drawn with a skew, so a few regulars answer nearly
//   every question (tens of thousands of points a week) and most members a handful.
// Rows are bulk-inserted with generate_series through a raw postgres.js client (bench only) with the score
// trigger off, the counts, bands and groups of bands then filled by the statements migrations 0002, 0005 and
// 0012 use; then VACUUM ANALYZE (autovacuum's steady state). The floor, interleaved call by call: the one-row
// read of a member's stats by primary key through the same client. The statements are then timed again from pgbench (pgbench.ts).
import postgres from 'postgres';
import { openDatabase, type Database } from '../src/db/client.js';
import { TriviaRepository } from '../src/db/repositories/trivia.js';
import { startOfLocalWeek } from '../src/time/schedule-time.js';
import { pgbenchScript, timeWithPgbench } from './pgbench.js';
import { createScratchDatabase } from './scratch-db.js';
import { ratio, round, summarize, type LatencySummary } from './stats.js';

/** One board's calls, each followed by the floor's (so both see the same machine at the same moment). */
export interface BoardFigures {
  calls: number;
  /** callers spread over every rank of the big server */
  bigServerMs: LatencySummary;
  /** callers in the top 100: "how many are ahead of me" is short */
  topCallersMs: LatencySummary;
  /** a 20-member server in the same table */
  smallServerMs: LatencySummary;
  /** the floor: one member's stats row by primary key through the same client, interleaved with the calls above */
  floorMs: LatencySummary;
  /** the big server's statement and the floor's, each from pgbench with random callers; absent without pgbench */
  fromPgbench?: { bigServerMs: LatencySummary; floorMs: LatencySummary };
  /** EXPLAIN (ANALYZE, BUFFERS) of each statement for a caller at the median rank */
  explain: { statement: string; executionMs: number; plan: string[] }[];
  /** board / floor, big server, random callers */
  ratio: { p50: number | undefined; p99: number | undefined };
}

export interface LeaderboardResult {
  bigServerMembers: number;
  servers: number;
  rowsInTable: number;
  /** members of the big server with 10,000 points or more; its highest total */
  longTail: { members: number; highestPoints: number };
  week: { answers: number; answersThisWeek: number; playersThisWeek: number; topWeeklyPoints: number };
  loadSeconds: number;
  allTime: BoardFigures;
  weekly: BoardFigures;
}

const BIG_GUILD = '800000000000000000';
const USER_BASE = 100000000000000000n;

export interface LeaderboardOptions {
  databaseUrl: string;
  bigServerMembers: number;
  otherServers: number;
  membersPerOtherServer: number;
  /** calls per caller group, all-time board */
  calls: number;
  /** calls per caller group, weekly board */
  weeklyCalls: number;
  /** games of the big server: one a day over `days` days (half of them this week), `roundsPerDay` rounds, `answersPerRound` members answering each */
  week: { days: number; roundsPerDay: number; answersPerRound: number; players: number };
  log: (line: string) => void;
}

type Board = 'allTime' | 'weekly';

export async function benchLeaderboard(options: LeaderboardOptions): Promise<LeaderboardResult> {
  const scratch = await createScratchDatabase(options.databaseUrl, 'leaderboard');
  const captured: { query: string; params: unknown[] }[] = [];
  let capture = false;
  const client = postgres(scratch.url, { max: 1, onnotice: () => {} }); // loading and EXPLAIN only
  let database: Database | undefined;
  try {
    // The bot's own database (its pool, prepared statements and plan settings), seeing each statement.
    database = await openDatabase({ kind: 'postgres', url: scratch.url, onStatement: (query, params) => void (capture && captured.push({ query, params: [...params] })) });
    const loadStarted = performance.now();
    await loadScores(client, options);
    const { weekStart, now } = await loadAnswers(client, options);
    for (const table of ['player_scores', 'player_score_counts', 'player_score_bands', 'player_score_band_groups', 'trivia_games', 'trivia_rounds', 'trivia_answers', 'player_week_scores']) await client.unsafe(`vacuum analyze ${table}`);
    const loadSeconds = round((performance.now() - loadStarted) / 1000, 1);
    const [facts] = (await client`select
        (select count(*)::int from player_scores) as n,
        (select count(*)::int from player_scores where guild_id = ${BIG_GUILD} and points >= 10000) as tail,
        (select max(points)::int from player_scores where guild_id = ${BIG_GUILD}) as highest,
        (select count(*)::int from trivia_answers) as answers,
        (select count(*)::int from trivia_answers where guild_id = ${BIG_GUILD} and answered_at >= ${weekStart}) as this_week,
        (select count(distinct user_id)::int from trivia_answers where guild_id = ${BIG_GUILD} and answered_at >= ${weekStart}) as players,
        (select max(p)::int from (select sum(points) as p from trivia_answers where guild_id = ${BIG_GUILD} and answered_at >= ${weekStart} group by user_id) w) as top_week`) as unknown as [
      { n: number; tail: number; highest: number; answers: number; this_week: number; players: number; top_week: number },
    ];
    options.log(`leaderboard: ${facts.n} score rows and ${facts.answers} answers loaded in ${loadSeconds} s`);

    const repo = new TriviaRepository(database.db);
    const call = (board: Board, guildId: string, userId: string) => (board === 'allTime' ? repo.leaderboardAllTime(guildId, userId) : repo.leaderboardThisWeek(guildId, userId, now, 'UTC'));
    const userAt = (i: number) => (USER_BASE + BigInt(i)).toString();
    const randomMember = () => userAt(1 + Math.floor(Math.random() * options.bigServerMembers));
    const topIds = (await client`select user_id from player_scores where guild_id = ${BIG_GUILD} order by points desc limit 100`).map((r) => String(r['user_id']));
    const smallGuild = (BigInt(BIG_GUILD) + 1n + BigInt(Math.ceil(options.otherServers / 2))).toString();
    const [median] = await client`select user_id from player_scores where guild_id = ${BIG_GUILD} order by points desc offset ${Math.floor(options.bigServerMembers / 2)} limit 1`;
    const medianId = String(median!['user_id']);

    const measure = async (board: Board, calls: number): Promise<BoardFigures> => {
      for (let i = 0; i < 20; i++) await call(board, BIG_GUILD, randomMember()); // warm cache and prepared statements
      const floor: number[] = [];
      // Each board call is followed by the floor statement, so both see the same machine at the same moment.
      const time = async (guildId: string, userId: string) => {
        const t0 = performance.now();
        await call(board, guildId, userId);
        const t1 = performance.now();
        await repo.stats(guildId, userId);
        floor.push(performance.now() - t1);
        return t1 - t0;
      };
      const big: number[] = [];
      for (let i = 0; i < calls; i++) big.push(await time(BIG_GUILD, randomMember()));
      const top: number[] = [];
      for (let i = 0; i < calls; i++) top.push(await time(BIG_GUILD, topIds[i % topIds.length]!));
      const small: number[] = [];
      for (let i = 0; i < calls; i++) small.push(await time(smallGuild, userAt(1 + (i % options.membersPerOtherServer))));

      // The statements of one call for a median-rank caller (explained), and of the floor's call.
      capture = true;
      await call(board, BIG_GUILD, medianId);
      const boardStatements = captured.splice(0);
      await repo.stats(BIG_GUILD, medianId);
      const floorStatements = captured.splice(0);
      capture = false;
      const explain = [];
      for (const { query, params } of boardStatements) {
        const rows = await client.unsafe(`explain (analyze, buffers) ${query}`, params as never[]);
        const plan = rows.map((r) => String(r['QUERY PLAN']));
        const execution = plan.find((l) => l.startsWith('Execution Time'));
        explain.push({
          statement: query.replace(/\s+/g, ' ').slice(0, 140),
          executionMs: execution ? Number(/([\d.]+) ms/.exec(execution)?.[1]) : Number.NaN,
          plan: plan.filter((l) => /->|Scan|Sort|Aggregate|Limit|Heap Fetches|Buffers|Rows Removed/.test(l) || !l.startsWith(' ')).slice(0, 12).map((l) => l.trimEnd()),
        });
      }

      // The same statements from pgbench, a caller drawn at random from the big server each call.
      const anyMember = { value: medianId, expression: `${USER_BASE} + random(1, ${options.bigServerMembers})` };
      const boardFromPgbench = await timeWithPgbench(scratch.url, pgbenchScript(boardStatements, anyMember), calls);
      const floorFromPgbench = await timeWithPgbench(scratch.url, pgbenchScript(floorStatements, anyMember), calls);
      if (!boardFromPgbench || !floorFromPgbench) options.log('leaderboard: pgbench is not installed; its figures are left out');
      const bigServerMs = roundAll(summarize(big));
      const floorMs = roundAll(summarize(floor));
      return {
        calls,
        bigServerMs,
        topCallersMs: roundAll(summarize(top)),
        smallServerMs: roundAll(summarize(small)),
        floorMs,
        ...(boardFromPgbench && floorFromPgbench ? { fromPgbench: { bigServerMs: roundAll(boardFromPgbench), floorMs: roundAll(floorFromPgbench) } } : {}),
        explain,
        ratio: { p50: ratio(bigServerMs.p50, floorMs.p50), p99: ratio(bigServerMs.p99, floorMs.p99) },
      };
    };
    const allTime = await measure('allTime', options.calls);
    options.log(`leaderboard: all time p99 ${allTime.bigServerMs.p99} ms (floor ${allTime.floorMs.p99} ms); this week`);
    const weekly = await measure('weekly', options.weeklyCalls);
    return {
      bigServerMembers: options.bigServerMembers,
      servers: options.otherServers + 1,
      rowsInTable: facts.n,
      longTail: { members: facts.tail, highestPoints: facts.highest },
      week: { answers: facts.answers, answersThisWeek: facts.this_week, playersThisWeek: facts.players, topWeeklyPoints: facts.top_week },
      loadSeconds,
      allTime,
      weekly,
    };
  } finally {
    await client.end({ timeout: 5 });
    await database?.close();
    await scratch.drop();
  }
}

/** All-time scores: the big server skewed like a long-lived server (99% of members with 1-5,000 points, few with thousands; 1% with 10,000-100,000), the others small. */
async function loadScores(client: postgres.Sql, options: LeaderboardOptions): Promise<void> {
  await client.unsafe('alter table player_scores disable trigger user');
  await client`insert into player_scores (guild_id, user_id, points, answered, correct)
    select ${BIG_GUILD}, (${USER_BASE.toString()}::bigint + i)::text,
      case when random() < 0.01 then 10000 + floor(power(random(), 2) * 90000)::int else 1 + floor(power(random(), 3) * 5000)::int end, 10, 5
    from generate_series(1, ${options.bigServerMembers}::int) as i`;
  await client`insert into player_scores (guild_id, user_id, points, answered, correct)
    select (${(BigInt(BIG_GUILD) + 1n).toString()}::bigint + g)::text, (${USER_BASE.toString()}::bigint + m)::text, 1 + floor(random() * 500)::int, 3, 1
    from generate_series(1, ${options.otherServers}::int) as g, generate_series(1, ${options.membersPerOtherServer}::int) as m`;
  await client.unsafe('alter table player_scores enable trigger user');
  await client`insert into player_score_counts (guild_id, points, members)
    select guild_id, points, count(*)::int from player_scores where points > 0 group by guild_id, points`;
  await client`insert into player_score_bands (guild_id, band, members)
    select guild_id, points / 100, count(*)::int from player_scores where points > 0 group by guild_id, points / 100`;
  await client`insert into player_score_band_groups (guild_id, band_group, members)
    select guild_id, points / 10000, count(*)::int from player_scores where points > 0 group by guild_id, points / 10000`;
}

/**
 * Answers for the weekly board: the big server played a game a day for `days` days, half of them (at most 7)
 * in the UTC week the board is asked for (last week, so every answer is in the past); each round answered by
 * `answersPerRound` members drawn with a skew (member k about as often as k^-3/4), 70% of answers right for
 * 10-25 points. The small server gets a game this week too. The answers go in through the week trigger (as the
 * bot's do): it keeps player_week_scores. Returns that week's start and the moment the board is asked at (23:00
 * on the day of the week's last game).
 */
async function loadAnswers(client: postgres.Sql, options: LeaderboardOptions): Promise<{ weekStart: Date; now: Date }> {
  const { days, roundsPerDay, answersPerRound, players } = options.week;
  const weekStart = startOfLocalWeek(new Date(Date.now() - 7 * 86_400_000), 'UTC');
  const gamesThisWeek = Math.max(1, Math.min(7, Math.floor(days / 2)));
  const now = weekStart.getTime() + (gamesThisWeek - 1) * 86_400_000 + 23 * 3_600_000;
  const smallGuild = (BigInt(BIG_GUILD) + 1n + BigInt(Math.ceil(options.otherServers / 2))).toString();
  await client`insert into trivia_games (guild_id, channel_id, started_by, status, question_count, seconds_per_question, created_at, ended_at)
    select ${BIG_GUILD}, '900000000000000001', ${USER_BASE.toString()}, 'finished', ${roundsPerDay}::int, 20, to_timestamp(${now / 1000}::float8) - d * interval '1 day' - interval '14 hours', to_timestamp(${now / 1000}::float8) - d * interval '1 day' - interval '1 hour'
    from generate_series(0, ${days - 1}::int) as d`;
  await client`insert into trivia_games (guild_id, channel_id, started_by, status, question_count, seconds_per_question, created_at, ended_at)
    values (${smallGuild}, '900000000000000002', ${USER_BASE.toString()}, 'finished', 20, 20, to_timestamp(${now / 1000}::float8) - interval '1 hour', to_timestamp(${now / 1000}::float8))`;
  await client`insert into trivia_rounds (game_id, round_no, question_id, opens_at, closes_at, revealed_at, reveal_shown_at)
    select g.id, r, 'bench-' || r, g.created_at + r * interval '5 minutes', g.created_at + r * interval '5 minutes' + interval '20 seconds', g.created_at + r * interval '5 minutes' + interval '20 seconds', g.created_at + r * interval '5 minutes' + interval '21 seconds'
    from trivia_games g, generate_series(1, g.question_count) as r`;
  await client`insert into trivia_answers (round_id, user_id, guild_id, answer, correct, points, answered_at)
    select r.id, (${USER_BASE.toString()}::bigint + 1 + floor(power(random(), 4) * ${players}::int))::bigint::text, g.guild_id, 'a', c, case when c then 10 + floor(random() * 16)::int else 0 end, r.opens_at + interval '5 seconds'
    from trivia_rounds r join trivia_games g on g.id = r.game_id, generate_series(1, case when g.guild_id = ${BIG_GUILD} then ${answersPerRound}::int else 20 end) as s(n), lateral (select random() < 0.7 + 0 * s.n as c) as right_answer
    on conflict do nothing`;
  return { weekStart, now: new Date(now) };
}

function roundAll(s: LatencySummary): LatencySummary {
  return { count: s.count, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
}
