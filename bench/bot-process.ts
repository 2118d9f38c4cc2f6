// Child-process entry for the benchmarks: one bot per process, so its CPU and memory are its own.
//   BENCH_BOT_MODE=ours     the real bot (startBot, configured from the environment exactly like `npm start`)
//   BENCH_BOT_MODE=pong     a bare discord.js client (the bot's own client settings and caches: createDiscordClient)
//                           that answers every interaction with a fixed reply
//   BENCH_BOT_MODE=durable  the same bare client, which first writes one row per click (primary key on the
//                           interaction id) into the bot's database (openDatabase on DATABASE_URL or PGLITE_DIR,
//                           the same driver and settings as ours, the statement prepared as ours' click is), then replies
// Talks to the parent over IPC: sends { type: 'ready', msSinceProcessStart } once logged in; answers
// { type: 'memory', gc } with process memory figures, { type: 'loopDelay' } with the event-loop delay and the
// garbage collector's pauses seen while measuring (then starts over), and { type: 'stop' } by exiting;
// { type: 'measure', on } starts and pauses that measuring (so a bot's idle spells between loads are left out).
import { createHistogram, PerformanceObserver } from 'node:perf_hooks';
import { Events, MessageFlags, type Client, type Interaction } from 'discord.js';
import { databaseTarget, startBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { createDiscordClient } from '../src/discord/client.js';
import { createLogger } from '../src/logger.js';

export type ParentMessage = { type: 'memory'; gc: boolean } | { type: 'measure'; on: boolean } | { type: 'loopDelay' } | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready'; msSinceProcessStart: number; guilds: number }
  | { type: 'memory'; rss: number; heapUsed: number; heapTotal: number; external: number; cachedUsers: number; cachedMembers: number; cachedChannels: number }
  | { type: 'loopDelay'; ms: { p50: number; p99: number; max: number }; gc: { pauses: number; totalMs: number; maxMs: number } }
  | { type: 'failed'; message: string };

const send = (message: ChildMessage) => process.send?.(message);

/** The floors: the bot's own discord.js client (same settings and caches), no router, no engine. */
async function startBare(record?: (interaction: Interaction) => Promise<void>): Promise<{ client: Client; stop(): Promise<void> }> {
  const config = loadConfig();
  const client = createDiscordClient({ apiUrl: config.discordApiUrl });
  let failed = false;
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isRepliable()) return;
    void (async () => {
      await record?.(interaction);
      await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    })().catch((error: unknown) => {
      // Said once on stderr (the parent shows it if the process fails); an unanswered click is counted anyway.
      if (!failed) process.stderr.write(`bench ${process.env['BENCH_BOT_MODE']}: answering failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      failed = true;
    });
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.discordToken);
  await ready;
  return { client, stop: async () => void (await client.destroy()) };
}

/** The table the durable floor writes; created by the floor itself (it is not part of the bot's schema). */
export const DURABLE_TABLE = 'bench_durable_clicks';
const INSERT = `insert into ${DURABLE_TABLE} (interaction_id, guild_id, user_id, custom_id, clicked_at) values ($1, $2, $3, $4, $5)`;

/** The durable floor: opens the bot's database as the bot does (while logging in), writes a row per click, then replies. */
async function startDurable(): Promise<{ client: Client; stop(): Promise<void> }> {
  const opening = openDatabase(databaseTarget(loadConfig()));
  opening.catch(() => {});
  let database: Database | undefined;
  const bare = await startBare(async (interaction) => {
    database ??= await opening;
    const customId = interaction.isMessageComponent() ? interaction.customId : '';
    // Through drizzle's public $client, prepared, as the bot sends its answer click's statement.
    await database.db.$client.unsafe(INSERT, [interaction.id, interaction.guildId ?? '', interaction.user.id, customId, new Date().toISOString()], { prepare: true });
  });
  database = await opening;
  await database.db.$client.unsafe(
    `create table if not exists ${DURABLE_TABLE} (interaction_id text primary key, guild_id text not null, user_id text not null, custom_id text not null, clicked_at timestamptz not null)`,
  );
  return { client: bare.client, stop: async () => (await bare.stop(), await database?.close()) };
}

async function startOurs(): Promise<{ client: Client; stop(): Promise<void> }> {
  const config = loadConfig();
  const bot = await startBot({ config, logger: createLogger(config.logLevel) });
  return { client: bot.client, stop: () => bot.stop() };
}

async function main(): Promise<void> {
  const mode = process.env['BENCH_BOT_MODE'];
  const running = mode === 'pong' ? await startBare() : mode === 'durable' ? await startDurable() : await startOurs();
  send({ type: 'ready', msSinceProcessStart: performance.now(), guilds: running.client.guilds.cache.size });
  // Event-loop delay: how long a 1 ms timer takes to fire, timed only while measuring (monitorEventLoopDelay
  // would count a paused spell as one long delay when it resumes).
  const loopDelay = createHistogram();
  let measuring = false;
  const tick = () => {
    const scheduled = performance.now();
    setTimeout(() => {
      if (!measuring) return;
      loopDelay.record(Math.max(1, Math.round((performance.now() - scheduled) * 1e6)));
      tick();
    }, 1);
  };
  let gc = { pauses: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    if (!measuring) return;
    for (const entry of list.getEntries()) gc = { pauses: gc.pauses + 1, totalMs: gc.totalMs + entry.duration, maxMs: Math.max(gc.maxMs, entry.duration) };
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory') {
      if (message.gc) (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      const { client } = running;
      send({
        type: 'memory',
        rss: m.rss,
        heapUsed: m.heapUsed,
        heapTotal: m.heapTotal,
        external: m.external,
        cachedUsers: client.users.cache.size,
        cachedMembers: client.guilds.cache.reduce((n, g) => n + g.members.cache.size, 0),
        cachedChannels: client.channels.cache.size,
      });
    } else if (message.type === 'measure') {
      const starting = message.on && !measuring;
      measuring = message.on;
      if (starting) tick();
    } else if (message.type === 'loopDelay') {
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const round2 = (x: number) => Math.round(x * 100) / 100;
      send({ type: 'loopDelay', ms: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) }, gc: { pauses: gc.pauses, totalMs: round2(gc.totalMs), maxMs: round2(gc.maxMs) } });
      loopDelay.reset();
      gc = { pauses: 0, totalMs: 0, maxMs: 0 };
    } else if (message.type === 'stop') {
      void running.stop().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void running.stop().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
