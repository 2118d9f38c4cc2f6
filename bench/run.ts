// `npm run bench`: every part in one go, one after another (they would skew each other side by side).
// Prints a table and writes bench/results.json. Never fails on a figure; exits non-zero only if a part crashes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchRoundTrips } from './db-round-trips.js';
import { benchLatency } from './latency.js';
import { benchLeaderboard } from './leaderboard.js';
import { benchMemory } from './memory.js';
import { parseRunOptions, PROFILES, type PartName, type Sizes } from './profiles.js';
import { burstRows, formatTable, latencyRows, leaderboardRows, machine, memoryRows, namedFigures, roundTripRows, schedulerRows, startupRows, type Row } from './report.js';
import { benchSchedulerBurst } from './scheduler-burst.js';
import { DEFAULT_DATABASE_URL } from './scratch-db.js';
import { benchStartup } from './startup.js';
import { benchPgliteBurst } from './pglite-burst.js';
import { benchConcurrentGames, concurrentGamesRows } from './concurrent-games.js';

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Part<R> {
  title: string;
  run(sizes: Sizes, databaseUrl: string): Promise<R>;
  rows(result: R): Row[];
}

const part = <R>(p: Part<R>): Part<unknown> => p as Part<unknown>;

const PARTS: Record<PartName, Part<unknown>> = {
  latency: part({ title: '1. interaction latency', run: (s, databaseUrl) => benchLatency({ ...s.latency, databaseUrl, log }), rows: latencyRows }),
  roundTrips: part({ title: '2. database work per click', run: (s, databaseUrl) => benchRoundTrips({ ...s.roundTrips, databaseUrl }), rows: roundTripRows }),
  leaderboard: part({ title: '3. leaderboard at scale', run: (s, databaseUrl) => benchLeaderboard({ ...s.leaderboard, databaseUrl, log }), rows: leaderboardRows }),
  memory: part({ title: '4. memory', run: (s, databaseUrl) => benchMemory({ ...s.memory, databaseUrl, log }), rows: memoryRows }),
  scheduler: part({ title: '5. scheduler burst', run: (s, databaseUrl) => benchSchedulerBurst({ ...s.scheduler, databaseUrl, log }), rows: schedulerRows }),
  startup: part({ title: '6. start-up', run: (s, databaseUrl) => benchStartup({ ...s.startup, databaseUrl, log }), rows: startupRows }),
  pgliteBurst: part({ title: '7. click burst on the embedded database', run: (s) => benchPgliteBurst({ ...s.pgliteBurst, log }), rows: burstRows }),
  concurrentGames: part({ title: '8. concurrent trivia games', run: (s, databaseUrl) => benchConcurrentGames({ ...s.concurrentGames, tickMs: 1_000, databaseUrl, log }), rows: concurrentGamesRows }),
};

async function main(): Promise<number> {
  let options: ReturnType<typeof parseRunOptions>;
  try {
    options = parseRunOptions(process.argv.slice(2), process.env, DEFAULT_DATABASE_URL);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const sizes = PROFILES[options.profile];
  const results: Record<string, { seconds: number; result?: unknown; error?: string }> = {};
  const rows: Row[] = [];
  let crashed = 0;
  log(`bench: profile ${options.profile}, parts ${options.parts.join(', ')}`);
  for (const name of options.parts) {
    const p = PARTS[name];
    log(`\n== ${p.title}`);
    const started = performance.now();
    try {
      const result = await p.run(sizes, options.databaseUrl);
      results[name] = { seconds: seconds(started), result };
      rows.push(...p.rows(result));
    } catch (error) {
      crashed++;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results[name] = { seconds: seconds(started), error: message };
      rows.push({ part: name, figure: 'CRASHED', value: message.split('\n')[0]!, goal: '', met: null });
      log(`${name} crashed: ${message}`);
    }
    log(`${name}: ${results[name]!.seconds} s`);
  }
  const info = machine();
  const figures = namedFigures(Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r.result])) as Parameters<typeof namedFigures>[0]);
  writeFileSync(RESULTS, `${JSON.stringify({ machine: info, profile: options.profile, parts: options.parts, figures, sizes, results, table: rows }, null, 2)}\n`);
  process.stdout.write(`\n${formatTable(rows)}\n\n${info.cpu}, ${info.cores} cores, ${info.memoryGb} GB, Node ${info.node}, ${info.date}\n`);
  process.stdout.write(`written: ${RESULTS}\n`);
  return crashed > 0 ? 1 : 0;
}

const seconds = (started: number) => Math.round((performance.now() - started) / 100) / 10;

process.exitCode = await main();
