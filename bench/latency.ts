// 1. Interaction latency: the same click load against a bare discord.js client (the floor) and the real bot.
// Each bot runs in its own process; the stand-in and the load generator run here.
import { openDatabase } from '../src/db/client.js';
import { registerCommands } from '../src/discord/register-commands.js';
import { DiscordStandIn } from '../src/sandbox/index.js';
import { startChildBot, type ChildBot } from './child-bot.js';
import { ownCpuMs, postgresCpuMs } from './cpu-usage.js';
import { runClickLoad, stepUp, type ClickTarget, type LoadResult, type StepUpResult } from './click-load.js';
import { buildServers, inBatches } from './load-world.js';
import { createScratchDatabase } from './scratch-db.js';
import { ratio, round } from './stats.js';
import { openChoiceQuestion, setQuestionSeconds } from './trivia-targets.js';

export interface LatencyOptions {
  databaseUrl: string;
  servers: number;
  rate: number;
  durationMs: number;
  stepMs: number;
  maxSteps: number;
  log: (line: string) => void;
}

export interface BotLatency {
  steady: LoadResult;
  stepUp: StepUpResult;
  /** CPU ms per answered click over the steady run, by process: the stand-in with the load generator (this process), the bot, and Postgres (every postgres process on this machine; absent off Linux) */
  cpuPerClickMs: { standIn: number; bot: number; postgres?: number };
  /** the bot's event-loop delay over the steady run (1 ms resolution) */
  loopDelayMs: { p50: number; p99: number; max: number };
}

export interface LatencyResult {
  servers: number;
  baseline: BotLatency;
  ours: BotLatency & { engine: 'postgres'; gamesStartedWith: string };
  ratio: { p50: number | undefined; p99: number | undefined; clickToAnswerP50: number | undefined; clickToAnswerP99: number | undefined };
}

export async function benchLatency(options: LatencyOptions): Promise<LatencyResult> {
  const membersPerServer = membersNeeded(options);
  options.log(`latency: ${options.servers} servers x ${membersPerServer} members; baseline first`);
  const baseline = await measureBaseline(options, membersPerServer);
  options.log(`latency: baseline p50 ${baseline.steady.latencyMs.p50} ms p99 ${baseline.steady.latencyMs.p99} ms; now the real bot`);
  const ours = await measureOurs(options, membersPerServer);
  return {
    servers: options.servers,
    baseline,
    ours,
    ratio: {
      p50: ratio(ours.steady.latencyMs.p50, baseline.steady.latencyMs.p50),
      p99: ratio(ours.steady.latencyMs.p99, baseline.steady.latencyMs.p99),
      clickToAnswerP50: ratio(ours.steady.clickToAnswerMs.p50, baseline.steady.clickToAnswerMs.p50),
      clickToAnswerP99: ratio(ours.steady.clickToAnswerMs.p99, baseline.steady.clickToAnswerMs.p99),
    },
  };
}

/** Enough members that nobody clicks the same question twice over the steady run and every step. */
function membersNeeded(o: LatencyOptions): number {
  let clicks = (o.rate * o.durationMs) / 1000;
  for (let i = 0, rate = o.rate * 2; i < o.maxSteps; i++, rate *= 2) clicks += (rate * o.stepMs) / 1000;
  return Math.ceil(clicks / o.servers) + 2;
}

async function runPhases(discord: DiscordStandIn, bot: ChildBot, targets: ClickTarget[], options: LatencyOptions, expectReply: (c: string) => boolean): Promise<BotLatency> {
  // A short warm-up (JIT, connection pools), not counted.
  await runClickLoad({ discord, targets, rate: 50, durationMs: 1000, expectReply });
  const before = { standIn: ownCpuMs(), bot: (await bot.usage()).cpuMs, postgres: postgresCpuMs() };
  const steady = await runClickLoad({ discord, targets, rate: options.rate, durationMs: options.durationMs, expectReply });
  const botAfter = await bot.usage();
  const postgresAfter = postgresCpuMs();
  const perClick = (ms: number) => round(ms / Math.max(1, steady.answered), 3);
  const cpuPerClickMs = {
    standIn: perClick(ownCpuMs() - before.standIn),
    bot: perClick(botAfter.cpuMs - before.bot),
    ...(postgresAfter !== undefined && before.postgres !== undefined ? { postgres: perClick(postgresAfter - before.postgres) } : {}),
  };
  await pause(1000);
  const steps = await stepUp({ discord, targets, from: options.rate * 2, maxSteps: options.maxSteps, durationMs: options.stepMs, pauseMs: 1000, expectReply });
  return { steady, stepUp: steps, cpuPerClickMs, loopDelayMs: botAfter.loopDelayMs };
}

async function measureBaseline(options: LatencyOptions, membersPerServer: number): Promise<BotLatency> {
  const discord = await DiscordStandIn.start();
  try {
    const servers = buildServers(discord, options.servers, membersPerServer);
    const bot = await startChildBot({ mode: 'baseline', token: discord.token, apiUrl: discord.restBase, asDeployed: true });
    try {
      // The floor's "question": a message with four buttons in each channel, posted with the bot's token.
      const targets = await inBatches(servers, 20, async (server) => {
        const customIds = ['a', 'b', 'c', 'd'].map((x) => `floor:${x}`);
        const response = await fetch(`${discord.restBase}/v10/channels/${server.channelId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'Pick one', components: [{ type: 1, components: customIds.map((id) => ({ type: 2, style: 1, label: id, custom_id: id })) }] }),
        });
        if (!response.ok) throw new Error(`posting the baseline message failed: ${response.status}`);
        const { id } = (await response.json()) as { id: string };
        return { messageId: id, customIds, members: server.members.slice(1), nextMember: 0 };
      });
      return await runPhases(discord, bot, targets, options, (content) => content === 'ok');
    } finally {
      await bot.stop();
    }
  } finally {
    await discord.stop();
  }
}

async function measureOurs(options: LatencyOptions, membersPerServer: number): Promise<BotLatency & { engine: 'postgres'; gamesStartedWith: string }> {
  const discord = await DiscordStandIn.start();
  const scratch = await createScratchDatabase(options.databaseUrl, 'latency');
  try {
    const servers = buildServers(discord, options.servers, membersPerServer);
    await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });
    // Migrate, then give every server 120 s questions so no question closes during the run.
    await (await openDatabase({ kind: 'postgres', url: scratch.url })).close();
    await setQuestionSeconds(scratch.url, servers.map((s) => s.guildId), 120);
    const bot = await startChildBot({ mode: 'ours', token: discord.token, apiUrl: discord.restBase, databaseUrl: scratch.url, asDeployed: true });
    try {
      const targets = await inBatches(servers, 10, (server) => openChoiceQuestion(discord, server));
      options.log(`latency: ${targets.length} trivia questions open (started with /trivia play through the stand-in)`);
      const result = await runPhases(discord, bot, targets, options, (content) => content.includes('Locked in'));
      return { ...result, engine: 'postgres', gamesStartedWith: '/trivia play questions:1 through the stand-in (free-text questions stopped and replayed so every click is a button answer)' };
    } finally {
      await bot.stop();
    }
  } finally {
    await discord.stop();
    await scratch.drop();
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
