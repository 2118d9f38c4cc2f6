// 3. Leaderboard at scale: TriviaRepository.leaderboardAllTime (top 10 + the caller's rank) in a server with
// 1,000,000 scored members, with 10,000 servers in the table, on Postgres. Rows are bulk-inserted with
// generate_series through a raw postgres.js client (bench only) with the trigger off, the counts and bands then
// filled by the statements migrations 0002 and 0005 use; then VACUUM ANALYZE (autovacuum's steady state).
// The call's statement and the floor's are then timed again from pgbench (pgbench.ts), without Node around them.
import postgres from 'postgres';
import { openDatabase, type Database } from '../src/db/client.js';
import { TriviaRepository } from '../src/db/repositories/trivia.js';
import { pgbenchScript, timeWithPgbench } from './pgbench.js';
import { createScratchDatabase } from './scratch-db.js';
import { round, summarize, type LatencySummary } from './stats.js';

export interface LeaderboardResult {
  bigServerMembers: number;
  servers: number;
  rowsInTable: number;
  loadSeconds: number;
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
}

const BIG_GUILD = '800000000000000000';
const USER_BASE = 100000000000000000n;

export async function benchLeaderboard(options: { databaseUrl: string; bigServerMembers: number; otherServers: number; membersPerOtherServer: number; calls: number; log: (line: string) => void }): Promise<LeaderboardResult> {
  const scratch = await createScratchDatabase(options.databaseUrl, 'leaderboard');
  const captured: { query: string; params: unknown[] }[] = [];
  let capture = false;
  const client = postgres(scratch.url, { max: 1, onnotice: () => {} }); // loading and EXPLAIN only
  let database: Database | undefined;
  try {
    // The bot's own database (its pool, prepared statements and plan settings), seeing each statement.
    database = await openDatabase({ kind: 'postgres', url: scratch.url, onStatement: (query, params) => void (capture && captured.push({ query, params: [...params] })) });
    const loadStarted = performance.now();
    await client.unsafe('alter table player_scores disable trigger user');
    // Points skewed like a real server: most members have a few, a handful have thousands; ties are common.
    await client`insert into player_scores (guild_id, user_id, points, answered, correct)
      select ${BIG_GUILD}, (${USER_BASE.toString()}::bigint + i)::text, 1 + floor(power(random(), 3) * 5000)::int, 10, 5
      from generate_series(1, ${options.bigServerMembers}::int) as i`;
    await client`insert into player_scores (guild_id, user_id, points, answered, correct)
      select (${(BigInt(BIG_GUILD) + 1n).toString()}::bigint + g)::text, (${USER_BASE.toString()}::bigint + m)::text, 1 + floor(random() * 500)::int, 3, 1
      from generate_series(1, ${options.otherServers}::int) as g, generate_series(1, ${options.membersPerOtherServer}::int) as m`;
    await client.unsafe('alter table player_scores enable trigger user');
    await client`insert into player_score_counts (guild_id, points, members)
      select guild_id, points, count(*)::int from player_scores where points > 0 group by guild_id, points`;
    await client`insert into player_score_bands (guild_id, band, members)
      select guild_id, points / 100, count(*)::int from player_scores where points > 0 group by guild_id, points / 100`;
    for (const table of ['player_scores', 'player_score_counts', 'player_score_bands']) await client.unsafe(`vacuum analyze ${table}`);
    const loadSeconds = round((performance.now() - loadStarted) / 1000, 1);
    const [{ n }] = (await client`select count(*)::int as n from player_scores`) as unknown as [{ n: number }];
    options.log(`leaderboard: ${n} rows loaded in ${loadSeconds} s`);

    const repo = new TriviaRepository(database.db);
    const userAt = (i: number) => (USER_BASE + BigInt(i)).toString();
    const randomMember = () => userAt(1 + Math.floor(Math.random() * options.bigServerMembers));
    for (let i = 0; i < 20; i++) await repo.leaderboardAllTime(BIG_GUILD, randomMember()); // warm cache and prepared statements
    // Each leaderboard call is followed by the floor statement, so both see the same machine at the same moment.
    const floor: number[] = [];
    const time = async (guildId: string, userId: string) => {
      const t0 = performance.now();
      await repo.leaderboardAllTime(guildId, userId);
      const t1 = performance.now();
      await repo.stats(guildId, userId);
      floor.push(performance.now() - t1);
      return t1 - t0;
    };
    const big: number[] = [];
    for (let i = 0; i < options.calls; i++) big.push(await time(BIG_GUILD, randomMember()));
    const topIds = (await client`select user_id from player_scores where guild_id = ${BIG_GUILD} order by points desc limit 100`).map((r) => String(r['user_id']));
    const top: number[] = [];
    for (let i = 0; i < options.calls; i++) top.push(await time(BIG_GUILD, topIds[i % topIds.length]!));
    const smallGuild = (BigInt(BIG_GUILD) + 1n + BigInt(Math.ceil(options.otherServers / 2))).toString();
    const small: number[] = [];
    for (let i = 0; i < options.calls; i++) small.push(await time(smallGuild, userAt(1 + (i % options.membersPerOtherServer))));

    // The statements of one call for a median-rank caller (explained), and of the floor's call.
    const [median] = await client`select user_id from player_scores where guild_id = ${BIG_GUILD} order by points desc offset ${Math.floor(options.bigServerMembers / 2)} limit 1`;
    const medianId = String(median!['user_id']);
    capture = true;
    await repo.leaderboardAllTime(BIG_GUILD, medianId);
    const leaderboardStatements = captured.splice(0);
    await repo.stats(BIG_GUILD, medianId);
    const floorStatements = captured.splice(0);
    capture = false;
    const explain = [];
    for (const { query, params } of leaderboardStatements) {
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
    const bigFromPgbench = await timeWithPgbench(scratch.url, pgbenchScript(leaderboardStatements, anyMember), options.calls);
    const floorFromPgbench = await timeWithPgbench(scratch.url, pgbenchScript(floorStatements, anyMember), options.calls);
    if (!bigFromPgbench || !floorFromPgbench) options.log('leaderboard: pgbench is not installed; its figures are left out');

    return {
      bigServerMembers: options.bigServerMembers,
      servers: options.otherServers + 1,
      rowsInTable: n,
      loadSeconds,
      calls: options.calls,
      bigServerMs: roundAll(summarize(big)),
      topCallersMs: roundAll(summarize(top)),
      smallServerMs: roundAll(summarize(small)),
      floorMs: roundAll(summarize(floor)),
      ...(bigFromPgbench && floorFromPgbench ? { fromPgbench: { bigServerMs: roundAll(bigFromPgbench), floorMs: roundAll(floorFromPgbench) } } : {}),
      explain,
    };
  } finally {
    await client.end({ timeout: 5 });
    await database?.close();
    await scratch.drop();
  }
}

function roundAll(s: LatencySummary): LatencySummary {
  return { count: s.count, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
}
