// 1. Interaction latency: the same click load against a bare discord.js client (the floor) and the real bot.
// Each bot runs in its own process, both up at once, taking turns under the steady load; the stand-ins and the
// load generator run here.
import { openDatabase } from '../src/db/client.js';
import { registerCommands } from '../src/register-commands.js';
import { DiscordStandIn } from '../stand-in/index.js';
import { startChildBot, type ChildBot } from './child-bot.js';
import { postgresPids, processTimes, type ProcessTimes } from './cpu-usage.js';
import { clickLoadRun, mergeRuns, runClickLoad, stepUp, type ClickTarget, type LoadResult, type LoadRun, type StepUpResult } from './click-load.js';
import { buildServers, inBatches, type LoadServer } from './load-world.js';
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

export type PerProcess = { standIn?: number; bot?: number; postgres?: number };

export interface BotLatency {
  steady: LoadResult;
  stepUp: StepUpResult;
  /** CPU ms per answered click over the steady run, by process: the stand-in with the load generator (this process), the bot, and Postgres (every postgres process on this machine); empty off Linux */
  cpuPerClickMs: PerProcess;
  /** ms per answered click that those processes spent ready to run but waiting for a CPU */
  runQueueWaitPerClickMs: PerProcess;
  /** the bot's event-loop delay over the steady run (1 ms resolution) */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** the bot's garbage-collection pauses over the steady run */
  gcPauses: { pauses: number; totalMs: number; maxMs: number; msPerClick: number };
}

export interface LatencyResult {
  servers: number;
  baseline: BotLatency;
  ours: BotLatency & { engine: 'postgres'; gamesStartedWith: string };
  ratio: { p50: number | undefined; p99: number | undefined; clickToAnswerP50: number | undefined; clickToAnswerP99: number | undefined };
}

/** Slices of the steady run per bot: the bots take turns (baseline, ours, ours, baseline, ...), so a noisy
 * spell on a shared machine falls on both rather than on whichever bot happened to run then. */
const STEADY_SLICES = 4;

/** One bot ready to be clicked: its stand-in, its process, the buttons members click and the reply they should see. */
export interface Rig {
  discord: DiscordStandIn;
  bot: ChildBot;
  targets: ClickTarget[];
  expectReply: (content: string) => boolean;
  usesPostgres: boolean;
  /** stops the bot and its stand-in (and drops its database); again is a no-op */
  close(): Promise<void>;
}

/** `close` that runs once, however often it is called. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

export async function benchLatency(options: LatencyOptions): Promise<LatencyResult> {
  const membersPerServer = membersNeeded(options);
  options.log(`latency: ${options.servers} servers x ${membersPerServer} members; both bots up, taking turns`);
  const baselineRig = await startBaseline(options.servers, membersPerServer);
  let oursRig: Rig | undefined;
  try {
    oursRig = await startOurs(options, membersPerServer);
    // A short warm-up each (JIT, connection pools), not counted.
    for (const rig of [baselineRig, oursRig]) await runClickLoad({ ...rig, rate: 50, durationMs: 1000 });
    const [baseline, ours] = await interleavedSteady([baselineRig, oursRig], options);
    options.log(`latency: steady run done (p99 baseline ${baseline.steady.latencyMs.p99} ms, ours ${ours.steady.latencyMs.p99} ms); step-ups, one bot at a time`);
    // Each step-up ends past what its bot can take; the bot is stopped before the other's starts so its backlog is not in the way.
    const baselineSteps = await stepUpOf(baselineRig, options);
    await baselineRig.close();
    const oursSteps = await stepUpOf(oursRig, options);
    return {
      servers: options.servers,
      baseline: { ...baseline, stepUp: baselineSteps },
      ours: { ...ours, stepUp: oursSteps, engine: 'postgres', gamesStartedWith: '/trivia play questions:1 through the stand-in (free-text questions stopped and replayed so every click is a button answer)' },
      ratio: {
        p50: ratio(ours.steady.latencyMs.p50, baseline.steady.latencyMs.p50),
        p99: ratio(ours.steady.latencyMs.p99, baseline.steady.latencyMs.p99),
        clickToAnswerP50: ratio(ours.steady.clickToAnswerMs.p50, baseline.steady.clickToAnswerMs.p50),
        clickToAnswerP99: ratio(ours.steady.clickToAnswerMs.p99, baseline.steady.clickToAnswerMs.p99),
      },
    };
  } finally {
    await oursRig?.close();
    await baselineRig.close();
  }
}

/** Enough members that nobody clicks the same question twice over the steady run and every step. */
function membersNeeded(o: LatencyOptions): number {
  let clicks = (o.rate * o.durationMs) / 1000;
  for (let i = 0, rate = o.rate * 2; i < o.maxSteps; i++, rate *= 2) clicks += (rate * o.stepMs) / 1000;
  return Math.ceil(clicks / o.servers) + 2;
}

/** The steady load, durationMs per bot in STEADY_SLICES turns, with what each bot's processes spent on it. */
async function interleavedSteady(rigs: [Rig, Rig], options: LatencyOptions): Promise<[Omit<BotLatency, 'stepUp'>, Omit<BotLatency, 'stepUp'>]> {
  const accounts = rigs.map((rig) => ({ rig, runs: [] as LoadRun[], cpuMs: {} as PerProcess, waitMs: {} as PerProcess }));
  const sliceMs = options.durationMs / STEADY_SLICES;
  for (let slice = 0; slice < STEADY_SLICES; slice++) {
    for (const account of slice % 2 === 0 ? accounts : [...accounts].reverse()) {
      const { rig } = account;
      const groups = processGroups(rig);
      rig.bot.measure(true);
      const before = timesByGroup(groups);
      account.runs.push(await clickLoadRun({ ...rig, rate: options.rate, durationMs: sliceMs }));
      const after = timesByGroup(groups);
      rig.bot.measure(false);
      for (const name of Object.keys(groups) as (keyof PerProcess)[]) {
        const [b, a] = [before[name], after[name]];
        if (!a || !b) continue;
        account.cpuMs[name] = (account.cpuMs[name] ?? 0) + a.cpuMs - b.cpuMs;
        account.waitMs[name] = (account.waitMs[name] ?? 0) + a.runQueueWaitMs - b.runQueueWaitMs;
      }
      await pause(500);
    }
  }
  const results = [];
  for (const { rig, runs, cpuMs, waitMs } of accounts) {
    const steady = mergeRuns(runs);
    const perClick = (totals: PerProcess): PerProcess => Object.fromEntries(Object.entries(totals).map(([name, total]) => [name, round(total / Math.max(1, steady.answered), 3)]));
    const { ms: loopDelayMs, gc } = await rig.bot.loopDelay();
    results.push({ steady, cpuPerClickMs: perClick(cpuMs), runQueueWaitPerClickMs: perClick(waitMs), loopDelayMs, gcPauses: { ...gc, msPerClick: round(gc.totalMs / Math.max(1, steady.answered), 3) } });
  }
  return [results[0]!, results[1]!];
}

/** This process (the stand-ins and the load generator), the bot's process, and Postgres's if the bot uses it. */
function processGroups(rig: Rig): Partial<Record<keyof PerProcess, number[]>> {
  return { standIn: [process.pid], bot: [rig.bot.process.pid!], ...(rig.usesPostgres ? { postgres: postgresPids() } : {}) };
}

function timesByGroup(groups: Partial<Record<keyof PerProcess, number[]>>): Partial<Record<keyof PerProcess, ProcessTimes>> {
  return Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, processTimes(pids)]));
}

async function stepUpOf(rig: Rig, options: LatencyOptions): Promise<StepUpResult> {
  await pause(1000);
  return stepUp({ ...rig, from: options.rate * 2, maxSteps: options.maxSteps, durationMs: options.stepMs, pauseMs: 1000 });
}

/** The floor: a bare discord.js client, and in each server's channel a message with four buttons posted with the bot's token. */
export async function startBaseline(serverCount: number, membersPerServer: number): Promise<Rig> {
  const discord = await DiscordStandIn.start();
  try {
    const servers = buildServers(discord, serverCount, membersPerServer);
    const bot = await startChildBot({ mode: 'baseline', token: discord.token, apiUrl: discord.restBase, asDeployed: true });
    try {
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
      return { discord, bot, targets, expectReply: (content) => content === 'ok', usesPostgres: false, close: once(async () => (await bot.stop(), await discord.stop())) };
    } catch (error) {
      await bot.stop();
      throw error;
    }
  } catch (error) {
    await discord.stop();
    throw error;
  }
}

/** The real bot on Postgres, with a trivia question open in every server (started with /trivia play). */
async function startOurs(options: LatencyOptions, membersPerServer: number): Promise<Rig> {
  const discord = await DiscordStandIn.start();
  const scratch = await createScratchDatabase(options.databaseUrl, 'latency');
  const closeWorld = async () => (await discord.stop(), await scratch.drop());
  try {
    const servers = buildServers(discord, options.servers, membersPerServer);
    // Migrate, then give every server 120 s questions so no question closes during the run.
    await (await openDatabase({ kind: 'postgres', url: scratch.url })).close();
    await setQuestionSeconds(scratch.url, servers.map((s) => s.guildId), 120);
    const rig = await ourBotRig(discord, servers, { databaseUrl: scratch.url }, closeWorld);
    options.log(`latency: ${rig.targets.length} trivia questions open (started with /trivia play through the stand-in)`);
    return rig;
  } catch (error) {
    await closeWorld();
    throw error;
  }
}

/**
 * Our bot (as deployed) on the stand-in's servers, on Postgres or PGlite, with a trivia question open in each
 * server (started with /trivia play); `closeWorld` runs after the bot stops. If it fails to start, the caller
 * closes the world.
 */
export async function ourBotRig(discord: DiscordStandIn, servers: LoadServer[], store: { databaseUrl: string } | { pgliteDir: string }, closeWorld: () => Promise<void>): Promise<Rig> {
  await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });
  const bot = await startChildBot({ mode: 'ours', token: discord.token, apiUrl: discord.restBase, ...store, asDeployed: true });
  try {
    const targets = await inBatches(servers, 10, (server) => openChoiceQuestion(discord, server));
    return { discord, bot, targets, expectReply: (content) => content.includes('Locked in'), usesPostgres: 'databaseUrl' in store, close: once(async () => (await bot.stop(), await closeWorld())) };
  } catch (error) {
    await bot.stop();
    throw error;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
