// One REST proxy for every process of the bot (DISCORD_REST_PROXY_URL -> `npm run rest-proxy`, discord.js's
// @discordjs/proxy). Discord's limit of 50 requests a second is per bot, not per process: the stand-in enforces
// it across every connection (`enforceGlobalRateLimit`). Two bot processes with different shard ranges
// (SHARD_COUNT=2, SHARD_IDS=0 and 1) share one Postgres and find a burst of rewatch schedules due at once; both
// post threads as fast as their REST clients let them. Sent straight to Discord, each process keeps its own count
// of the 50 a second and together they go over it (global 429s); through one proxy, none.
//
// The burst is REST_PROXY_BURST_THREADS threads (300 by default, ~600 requests: well past a second's worth for
// both processes together, and under a minute per run; the 2,000 takes ~100 s a run here).
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { openDatabase } from '../../src/db/client.js';
import { DiscordStandIn } from '../../stand-in/index.js';
import { killAllBotProcesses, startBotProcess, type BotProcess } from '../helpers/bot-process.js';
import { createScratchDatabase } from '../helpers/databases.js';

const postgresUrl = process.env.DATABASE_URL;
const THREADS = Number(process.env['REST_PROXY_BURST_THREADS'] ?? 300);
const plan = loadContent().defaultPlan;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await killAllBotProcesses();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

interface BurstResult {
  globalRateLimited: number;
  /** schedules with more than one thread */
  duplicates: number;
  /** schedules without their thread */
  missing: number;
  /** threads whose starter message is not the bot's one message */
  incomplete: number;
  seconds: number;
  processes: BotProcess[];
  token: string;
}

/** N servers, each with a rewatch schedule due now; two `npm start` processes (shards 0 and 1 of 2), optionally through one proxy. */
async function runBurst(throughProxy: boolean): Promise<BurstResult> {
  const discord = await DiscordStandIn.start({ enforceGlobalRateLimit: true });
  cleanups.push(() => discord.stop());
  const servers = Array.from({ length: THREADS }, (_, i) => {
    const guild = discord.createGuild({ name: `Bajor ${i}` });
    return { guildId: guild.id, channelId: discord.createChannel(guild.id, { name: 'rewatch' }).id };
  });
  const scratch = await createScratchDatabase(postgresUrl!);
  cleanups.push(() => scratch.drop());
  await (await openDatabase({ kind: 'postgres', url: scratch.url })).close(); // the migrations
  const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
  cleanups.push(() => sql.end());
  const due = new Date(Date.now() - 1000);
  await sql`insert into rewatch_schedules (guild_id, channel_id, plan_id, weekday, hour, minute, time_zone, next_run_at, created_by)
    select g, c, ${plan.id}, ${due.getUTCDay()}::int, ${due.getUTCHours()}::int, ${due.getUTCMinutes()}::int, 'UTC', ${due}, '100000000000000001'
    from unnest(${servers.map((s) => s.guildId)}::text[], ${servers.map((s) => s.channelId)}::text[]) as t(g, c)`;

  const watched: BotProcess[] = [];
  const env: Record<string, string> = { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restBase, DATABASE_URL: scratch.url, SHARD_COUNT: '2' };
  if (throughProxy) {
    const proxy = startBotProcess({ entry: 'src/rest-proxy.ts', env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restBase, REST_PROXY_PORT: '0' } });
    watched.push(proxy);
    const [listening] = await proxy.waitForLog((l) => l.msg === 'REST proxy listening', { timeoutMs: 30_000, description: 'the REST proxy listening' });
    env['DISCORD_REST_PROXY_URL'] = `http://127.0.0.1:${String(listening!['port'])}/api`;
  }

  // The first thread waits until both processes are up, so the burst starts with both posting (as at a minute
  // tick where every server chose the same time), not with one process alone while the other starts.
  let release = () => {};
  discord.holdNext({ method: 'POST', path: /^\/api\/v10\/channels\/\d+\/threads$/, count: 1, until: new Promise<void>((resolve) => (release = resolve)) });
  cleanups.push(async () => release());
  const processes = [startBotProcess({ env: { ...env, SHARD_IDS: '0' } }), startBotProcess({ env: { ...env, SHARD_IDS: '1' } })];
  watched.push(...processes);
  const safety = setTimeout(release, 12_000);
  const ready = await Promise.all(processes.map((p) => p.ready(1)));
  expect(ready.map(([line]) => line!['shards'])).toEqual([[0], [1]]);
  clearTimeout(safety);
  const started = Date.now();
  release();

  // Progress is read from the database (a schedule moves on once its thread and starter message are posted):
  // walking the stand-in's 2,000 channels on every poll would stall the event loop that serves the bots' requests
  // and stamps their arrival times.
  const waiting = async () => (await sql<{ n: number }[]>`select count(*)::int as n from rewatch_schedules where next_index = 0`)[0]!.n;
  await until(async () => (await waiting()) === 0, watched, { timeoutMs: 60_000 + THREADS * 200, description: async () => `every schedule moved on (${await waiting()} of ${THREADS} left)` });
  const seconds = (Date.now() - started) / 1000;
  let duplicates = 0;
  let missing = 0;
  let incomplete = 0;
  for (const s of servers) {
    const threads = discord.threads(s.channelId);
    if (threads.length === 0) missing++;
    duplicates += Math.max(0, threads.length - 1);
    for (const t of threads) if (t.messages.filter((m) => m.author.bot).length !== 1) incomplete++;
  }
  return { globalRateLimited: discord.globalRateLimitCount(), duplicates, missing, incomplete, seconds, processes, token: discord.token };
}

/** The warnings and errors the processes logged, for a failure message. */
function problems(processes: BotProcess[]): string {
  return processes
    .flatMap((p) => p.logs().filter((l) => (l.level ?? 0) >= 40))
    .slice(-20)
    .map((l) => JSON.stringify(l).slice(0, 600))
    .join('\n');
}

/** Polls `check` every 500 ms; fails at once if a bot process exits, or with `description` at the deadline. */
async function until(check: () => boolean | Promise<boolean>, processes: BotProcess[], opts: { timeoutMs: number; description: () => string | Promise<string> }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (await check()) return;
    const gone = processes.find((p) => p.exited);
    if (gone) throw new Error(`a bot process exited\n${gone.tail()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${await opts.description()}\n${problems(processes)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(!postgresUrl)(`a burst of ${THREADS} rewatch threads from two processes with different shard ranges, Discord's global limit enforced`, () => {
  it('GIVEN one REST proxy for both THEN no global 429s, no duplicate and no missing threads', async () => {
    const result = await runBurst(true);
    console.info(`through the proxy: ${THREADS} threads in ${result.seconds.toFixed(1)} s, ${result.globalRateLimited} global 429s`);
    expect({ globalRateLimited: result.globalRateLimited, duplicates: result.duplicates, missing: result.missing, incomplete: result.incomplete }).toEqual({
      globalRateLimited: 0,
      duplicates: 0,
      missing: 0,
      incomplete: 0,
    });
    // Both processes posted: the burst was shared, not one process's alone.
    for (const p of result.processes) expect(p.logs().filter((l) => l.msg === 'rewatch thread posted').length).toBeGreaterThan(0);
    for (const p of result.processes) expect(p.output()).not.toContain(result.token);
  }, 240_000 + THREADS * 400);

  it('GIVEN each process calls Discord itself THEN together they go over the global limit and collect 429s (their retries still post every thread once)', async () => {
    const result = await runBurst(false);
    console.info(`straight to Discord: ${THREADS} threads in ${result.seconds.toFixed(1)} s, ${result.globalRateLimited} global 429s`);
    expect(result.globalRateLimited).toBeGreaterThan(0);
    expect({ duplicates: result.duplicates, missing: result.missing, incomplete: result.incomplete }).toEqual({ duplicates: 0, missing: 0, incomplete: 0 });
  }, 240_000 + THREADS * 400);
});
