// `npm run start:sharded` with SHARD_COUNT=2 against the stand-in and one Postgres: the ShardingManager
// runs two bot processes, the stand-in routes each server to its shard, and both servers are served.
// Each server has a rewatch schedule that is already due when the processes start (both processes catch up
// on start-up, and either may claim either schedule while the other is still posting: the lease decides), and each plays a trivia game
// (both processes tick every running game: the database decides who reveals).
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../../src/content/index.js';
import { openDatabase, type Database } from '../../../src/db/client.js';
import { GuildSettingsRepository } from '../../../src/db/repositories/guild-settings.js';
import { RewatchRepository } from '../../../src/db/repositories/rewatch.js';
import { registerCommands } from '../../../src/register-commands.js';
import { DiscordStandIn } from '../../../stand-in/index.js';
import { killAllBotProcesses, startBotProcess } from '../../helpers/bot-process.js';
import { createScratchDatabase } from '../../helpers/databases.js';
import { oneServerPerShard, playOneQuestionEach, triviaCommand } from '../../helpers/shard-servers.js';

const postgresUrl = process.env.DATABASE_URL;
const content = loadContent();
const SHARDS = 2;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await killAllBotProcesses();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});


describe.skipIf(!postgresUrl)('npm run start:sharded (2 shard processes, one Postgres)', () => {
  it('GIVEN a server on each shard THEN both are answered by their own process, each rewatch episode gets one thread and each game is revealed once', async () => {
    const discord = await DiscordStandIn.start();
    cleanups.push(() => discord.stop());
    const servers = await oneServerPerShard(discord, SHARDS);
    await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });

    const scratch = await createScratchDatabase(postgresUrl!);
    cleanups.push(() => scratch.drop());
    const database: Database = await openDatabase({ kind: 'postgres', url: scratch.url });
    cleanups.push(() => database.close());
    // Set-up straight in the database: 5-second questions, and a rewatch schedule per server that is due now.
    const now = new Date();
    for (const s of servers) {
      await new GuildSettingsRepository(database.db).update(s.guild.id, { secondsPerQuestion: 5 }, now);
      const saved = await new RewatchRepository(database.db).saveSchedule(
        { guildId: s.guild.id, channelId: s.channel.id, planId: content.defaultPlan.id, weekday: 3, hour: 20, minute: 0, timeZone: 'UTC', nextIndex: 0, nextRunAt: new Date(now.getTime() - 1000), createdBy: s.captain.id },
        now,
      );
      expect(saved).not.toBeNull();
    }

    // Discord is slow to create the first threads: the first process is still mid-post (holding a lease) when
    // the second one starts and catches up, so both really contend for the due schedules. The held requests
    // go through shortly after the second process is ready (and well within discord.js's 15 s request timeout).
    let release = () => {};
    discord.holdNext({ method: 'POST', path: /^\/api\/v10\/channels\/\d+\/threads$/, count: SHARDS, until: new Promise<void>((resolve) => (release = resolve)) });
    cleanups.push(async () => release());
    const manager = startBotProcess({
      entry: 'src/sharded.ts',
      env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restBase, DATABASE_URL: scratch.url, SHARD_COUNT: String(SHARDS) },
    });
    await manager.ready(1);
    const safety = setTimeout(release, 12_000);
    const ready = await manager.ready(SHARDS);
    setTimeout(() => {
      clearTimeout(safety);
      release();
    }, 1_500);
    expect(new Set(ready.map((l) => l.pid)).size, 'two processes').toBe(SHARDS);
    expect(ready.map((l) => l.guilds), 'each process sees only its shard\'s server').toEqual([1, 1]);
    expect(discord.connections()).toBe(SHARDS);

    // Both servers are answered (the stand-in only delivers a server's interactions to its shard's connection).
    const questions = await playOneQuestionEach(discord, servers, [manager]);

    // Each game ends once: one reveal, one summary, whichever process got there first.
    for (const [i, s] of servers.entries()) {
      const summaries = () => discord.messages(s.channel.id).filter((m) => m.embeds.some((e) => e.title === 'Trivia over'));
      await discord.waitFor(() => summaries().length > 0, { timeoutMs: 60_000, description: `the summary in ${s.guild.name}` });
      expect(summaries()).toHaveLength(1);
      // The reveal comes with the summary, above it; the question's message stays as it was.
      const reveal = summaries()[0]!.embeds[0]!;
      expect(reveal.title).toBe('Question 1 of 1 · answer');
      expect(discord.message(questions[i]!.message.id)?.edited).toBe(false);
      const fields = Object.fromEntries((reveal.fields ?? []).map((f) => [f.name, f.value]));
      expect(fields['Answers']).toBe('1 of 2 right');
    }

    // The due schedules: one thread per server for the first episode, each with one starter message.
    await manager.waitForLog((l) => l.msg === 'rewatch thread posted', { count: SHARDS, timeoutMs: 60_000, description: 'both rewatch threads' });
    for (const s of servers) {
      const threads = discord.threads(s.channel.id);
      expect(threads, `threads in ${s.guild.name}`).toHaveLength(1);
      expect(threads[0]!.name).toContain(`(${content.defaultPlan.episodes[0]!.code})`);
      expect(threads[0]!.messages.filter((m) => m.author.bot)).toHaveLength(1);
    }
    const repo = new RewatchRepository(database.db);
    for (const s of servers) {
      const schedule = await repo.scheduleForGuild(s.guild.id);
      expect(schedule?.nextIndex).toBe(1);
      expect(await repo.posts(schedule!.id, schedule!.generation)).toHaveLength(1);
    }

    // Stats are exact on both shards.
    for (const s of servers) {
      const stats = await triviaCommand(discord, s, s.players[1]!, 'stats');
      const fields = Object.fromEntries((stats.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
      expect(fields['Answered']).toBe('1');
      expect(fields['Correct']).toBe('0 (0%)');
    }
    // Still one summary per game now that both processes have ticked many times more.
    for (const s of servers) expect(discord.messages(s.channel.id).filter((m) => m.embeds.some((e) => e.title === 'Trivia over'))).toHaveLength(1);
    // The logs of both processes never show the token.
    expect(manager.output()).not.toContain(discord.token);
  }, 180_000);
});
