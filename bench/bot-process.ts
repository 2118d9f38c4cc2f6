// Child-process entry for the benchmarks: one bot per process, so its CPU and memory are its own.
//   BENCH_BOT_MODE=ours      the real bot (startBot, configured from the environment exactly like `npm start`)
//   BENCH_BOT_MODE=baseline  a bare discord.js client that answers every interaction with a fixed reply
// Talks to the parent over IPC: sends { type: 'ready', msSinceProcessStart } once logged in; answers
// { type: 'memory', gc } with process memory figures, { type: 'loopDelay' } with the event-loop delay and the
// garbage collector's pauses seen while measuring (then starts over), and { type: 'stop' } by exiting;
// { type: 'measure', on } starts and pauses that measuring (so a bot's idle spells between loads are left out).
import { createHistogram, PerformanceObserver } from 'node:perf_hooks';
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { startBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

export type ParentMessage = { type: 'memory'; gc: boolean } | { type: 'measure'; on: boolean } | { type: 'loopDelay' } | { type: 'stop' };
export type ChildMessage =
  | { type: 'ready'; msSinceProcessStart: number; guilds: number }
  | { type: 'memory'; rss: number; heapUsed: number; heapTotal: number; external: number; cachedUsers: number; cachedMembers: number; cachedChannels: number }
  | { type: 'loopDelay'; ms: { p50: number; p99: number; max: number }; gc: { pauses: number; totalMs: number; maxMs: number } }
  | { type: 'failed'; message: string };

const send = (message: ChildMessage) => process.send?.(message);

async function startBaseline(): Promise<{ client: Client; stop(): Promise<void> }> {
  const config = loadConfig();
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: config.discordApiUrl ? { api: config.discordApiUrl } : {} });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isRepliable()) void interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral }).catch(() => {});
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.discordToken);
  await ready;
  return { client, stop: async () => void (await client.destroy()) };
}

async function startOurs(): Promise<{ client: Client; stop(): Promise<void> }> {
  const config = loadConfig();
  const bot = await startBot({ config, logger: createLogger(config.logLevel) });
  return { client: bot.client, stop: () => bot.stop() };
}

async function main(): Promise<void> {
  const mode = process.env['BENCH_BOT_MODE'];
  const running = mode === 'baseline' ? await startBaseline() : await startOurs();
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
