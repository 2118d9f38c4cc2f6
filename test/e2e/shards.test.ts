// Shard ranges per host (SHARD_IDS of SHARD_COUNT): two "hosts" share one bot's four shards and one Postgres.
// Host A runs shards 0-1 in one `npm start` process; host B runs shards 2 and 3 with `npm run start:sharded`
// (a ShardingManager that spawns only its range). The stand-in routes every server to the connection that
// identified its shard ((guild_id >> 22) % 4, as Discord does), so a server is answered only if some host runs
// its shard. Every server has a rewatch schedule that is due when the hosts start and a trivia game: the
// background jobs of all three bot processes must still post each thread once and reveal each game once.
import { spawnSync } from 'node:child_process';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { findProjectRoot, loadContent } from '../../src/content/index.js';
import { openDatabase } from '../../src/db/client.js';
import { registerCommands } from '../../src/register-commands.js';
import { DiscordStandIn } from '../../stand-in/index.js';
import { killAllBotProcesses, startBotProcess } from '../helpers/bot-process.js';
import { createScratchDatabase } from '../helpers/databases.js';
import { oneServerPerShard, playOneQuestionEach, triviaCommand, type ShardServer } from '../helpers/shard-servers.js';

const postgresUrl = process.env.DATABASE_URL;
const content = loadContent();
const root = findProjectRoot();
const SHARD_COUNT = 4;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await killAllBotProcesses();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});


/** Schedules due a second ago, one per server, written as setup would leave them (first episode next). */
async function seedDueSchedules(url: string, servers: ShardServer[]): Promise<void> {
  await (await openDatabase({ kind: 'postgres', url })).close(); // the migrations
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const due = new Date(Date.now() - 1000);
    for (const s of servers) {
      await sql`insert into rewatch_schedules (guild_id, channel_id, plan_id, weekday, hour, minute, time_zone, next_run_at, created_by)
        values (${s.guild.id}, ${s.channel.id}, ${content.defaultPlan.id}, ${due.getUTCDay()}, ${due.getUTCHours()}, ${due.getUTCMinutes()}, 'UTC', ${due}, ${s.captain.id})`;
    }
  } finally {
    await sql.end();
  }
}

describe('configuration of shard ranges', () => {
  it('GIVEN start:sharded with SHARD_IDS but no SHARD_COUNT, or ids past the count THEN it stops at once with one line saying what to set', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/sharded.ts'], {
        cwd: root,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', DISCORD_TOKEN: 'super.secret.token', DATABASE_URL: 'postgres://ds9@127.0.0.1:1/ds9', ...env },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const missing = run({ SHARD_IDS: '0-3' });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual(['Invalid configuration:', expect.stringMatching(/^ {2}- SHARD_IDS needs SHARD_COUNT, the number of shards across every host/)]);
    const outside = run({ SHARD_IDS: '2,4', SHARD_COUNT: '4' });
    expect(outside.status).toBe(1);
    expect(outside.stderr).toContain('SHARD_IDS must stay below SHARD_COUNT (shards are numbered 0 to 3), but lists shard 4');
    expect(outside.stdout + outside.stderr).not.toContain('super.secret.token');
    expect(outside.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(!postgresUrl)('shard ranges on two hosts (SHARD_COUNT=4: npm start with 0-1, start:sharded with 2,3; one Postgres)', () => {
  it('GIVEN a server on each shard THEN each host connects only its shards, every server is answered, each rewatch episode gets one thread and each game is revealed once', async () => {
    const discord = await DiscordStandIn.start();
    cleanups.push(() => discord.stop());
    const servers = await oneServerPerShard(discord, SHARD_COUNT);
    await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });
    const scratch = await createScratchDatabase(postgresUrl!);
    cleanups.push(() => scratch.drop());
    await seedDueSchedules(scratch.url, servers);

    // Discord is slow to create the first threads, so whichever processes are up keep their leases while the
    // others start and catch up: all three really contend for the due schedules. Released once all are ready.
    let release = () => {};
    discord.holdNext({ method: 'POST', path: /^\/api\/v10\/channels\/\d+\/threads$/, count: 2, until: new Promise<void>((resolve) => (release = resolve)) });
    cleanups.push(async () => release());
    const env = { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restBase, DATABASE_URL: scratch.url, SHARD_COUNT: String(SHARD_COUNT) };
    const hostA = startBotProcess({ entry: 'src/index.ts', env: { ...env, SHARD_IDS: '0-1' } });
    const hostB = startBotProcess({ entry: 'src/sharded.ts', env: { ...env, SHARD_IDS: '2,3' } });
    const hosts = [hostA, hostB];
    const safety = setTimeout(release, 12_000);
    const [readyA, readyB] = await Promise.all([hostA.ready(1), hostB.ready(2)]);
    setTimeout(() => {
      clearTimeout(safety);
      release();
    }, 1_000);

    // Host A: one process, shards 0 and 1, the two servers on them. Host B: a process per shard, 2 and 3.
    expect(readyA!.map((l) => [l['shards'], l['guilds']])).toEqual([[[0, 1], 2]]);
    expect(readyB!.map((l) => [l['shards'], l['guilds']]).sort()).toEqual([[[2], 1], [[3], 1]]);
    expect(hostB.logs().filter((l) => l.msg === 'shard launched').map((l) => l['shardId'])).toEqual([2, 3]);
    expect(discord.connections(), 'one gateway connection per shard, none twice').toBe(SHARD_COUNT);

    // Every server is answered: the stand-in delivers its interactions only to the connection of its shard.
    for (const s of servers) {
      const reply = await triviaCommand(discord, s, s.captain, 'settings', { seconds: 10 });
      expect(reply.content, `settings on shard ${s.shard}`).toContain('Trivia settings saved.');
    }
    await playOneQuestionEach(discord, servers, hosts);

    // Each game is revealed once and summed up once, by whichever of the three processes got there first.
    for (const [i, s] of servers.entries()) {
      const summaries = () => discord.messages(s.channel.id).filter((m) => m.embeds.some((e) => e.title === 'Trivia over'));
      await discord.waitFor(() => summaries().length > 0, { timeoutMs: 60_000, description: `the summary on shard ${s.shard}` });
      // The last reveal comes with the summary, above it.
      const reveal = summaries()[0]!.embeds[0]!;
      expect(reveal.title).toBe('Question 1 of 1 · answer');
      expect(discord.messages(s.channel.id).filter((m) => m.embeds.some((e) => e.title?.endsWith('· answer')))).toHaveLength(1);
      const fields = Object.fromEntries((reveal.fields ?? []).map((f) => [f.name, f.value]));
      expect(fields['Answers'], `reveal on shard ${s.shard}`).toBe('1 of 2 right');
    }

    // One thread per server for the first episode, each with one starter message.
    await discord.waitFor(() => servers.every((s) => discord.threads(s.channel.id).length > 0), { timeoutMs: 60_000, description: 'a rewatch thread in every server' });
    const posted = [...hostA.logs(), ...hostB.logs()].filter((l) => l.msg === 'rewatch thread posted');
    expect(posted).toHaveLength(SHARD_COUNT);
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    cleanups.push(() => sql.end());
    const rows = await sql<{ guild_id: string; next_index: number; posts: number }[]>`
      select s.guild_id, s.next_index, (select count(*)::int from rewatch_posts p where p.schedule_id = s.id) as posts from rewatch_schedules s`;
    expect(rows.map((r) => [r.next_index, r.posts])).toEqual(servers.map(() => [1, 1]));

    // Later ticks of all three processes change nothing: still one summary per game and one thread per server.
    for (const s of servers) {
      await triviaCommand(discord, s, s.players[1]!, 'stats');
      expect(discord.messages(s.channel.id).filter((m) => m.embeds.some((e) => e.title === 'Trivia over'))).toHaveLength(1);
      const threads = discord.threads(s.channel.id);
      expect(threads, `threads on shard ${s.shard}`).toHaveLength(1);
      expect(threads[0]!.name).toContain(`(${content.defaultPlan.episodes[0]!.code})`);
      expect(threads[0]!.messages.filter((m) => m.author.bot)).toHaveLength(1);
    }
    for (const host of hosts) expect(host.output()).not.toContain(discord.token);
  }, 150_000);
});
