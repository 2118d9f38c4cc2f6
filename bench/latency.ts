// 1. Interaction latency: the same click load against the real bot and two floors, each bot in its own process
// as the Docker image runs it, taking turns under the steady load (each round one slice of each, in rotating
// order); the stand-ins and the load generator run here.
//   durable floor: the bare discord.js client (the bot's own client settings and caches) that writes one row per
//                  click into the same database engine, with the same driver and settings, then replies. The goal.
//   pong:          the same client answering at once, writing nothing. Information: what discord.js alone costs.
// First on Postgres (all three), then on PGlite, the image's default store (ours and the durable floor).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { registerCommands } from '../src/register-commands.js';
import { DiscordStandIn } from '../stand-in/index.js';
import { startChildBot, type BotMode, type ChildBot } from './child-bot.js';
import { processTimes, type ProcessTimes } from './cpu-usage.js';
import { clickLoadRun, mergeRuns, runClickLoad, stepUp, waits, type ClickTarget, type LoadResult, type LoadRun, type StepUpResult } from './click-load.js';
import { ratioPerRound, rotation, spread, type Spread } from './load-stats.js';
import { buildServers, inBatches, type LoadServer } from './load-world.js';
import { createScratchDatabase } from './scratch-db.js';
import { ratio, round } from './stats.js';
import { openChoiceQuestion, setQuestionSeconds } from './trivia-targets.js';

export interface LatencyOptions {
  databaseUrl: string;
  servers: number;
  rate: number;
  /** steady load per bot, in slices of sliceMs taken in turns */
  durationMs: number;
  sliceMs: number;
  stepMs: number;
  maxSteps: number;
  /** the PGlite phase: ours and the durable floor, each on a PGlite directory of its own */
  pglite: { servers: number; rate: number; durationMs: number };
  log: (line: string) => void;
}

export type PerProcess = { standIn?: number; bot?: number; postgres?: number };

export interface BotLatency {
  steady: LoadResult;
  /** CPU ms per click over the steady slices, by process: the stand-in with the load generator (this process), the bot, and the Postgres backends serving its database; empty off Linux */
  cpuPerClickMs: PerProcess;
  /** ms per click that those processes spent ready to run but waiting for a CPU */
  runQueueWaitPerClickMs: PerProcess;
  /** the bot's event-loop delay over the steady slices (1 ms resolution) */
  loopDelayMs: { p50: number; p99: number; max: number };
  /** the bot's garbage-collection pauses over the steady slices */
  gcPauses: { pauses: number; totalMs: number; maxMs: number; msPerClick: number };
  /** each round's p99 (one slice), in the order run */
  p99PerRoundMs: number[];
  stepUp?: StepUpResult;
}

export interface Ratios {
  /** from each click's scheduled time to its answer, unanswered clicks as 3,000 ms */
  p50: number | undefined;
  p99: number | undefined;
  /** the p99 ratio of each round (one slice of each bot, run side by side) */
  p99PerRound: Spread;
  p50PerRound: Spread;
}

export interface LatencyPhase {
  engine: 'postgres' | 'pglite';
  servers: number;
  rate: number;
  sliceSeconds: number;
  rounds: number;
  ours: BotLatency;
  durable: BotLatency;
  pong?: BotLatency;
  ratio: { durable: Ratios; pong?: Ratios };
}

export interface LatencyResult {
  gamesStartedWith: string;
  postgres: LatencyPhase;
  pglite: LatencyPhase;
}

/** One bot ready to be clicked: its stand-in, its process, the buttons members click and the reply they should see. */
export interface Rig {
  name: 'ours' | 'durable' | 'pong';
  discord: DiscordStandIn;
  bot: ChildBot;
  targets: ClickTarget[];
  expectReply: (content: string) => boolean;
  /** the Postgres database the bot uses (its backends' CPU is counted), if any */
  postgresUrl?: string;
  /** stops the bot and its stand-in (and drops its database); again is a no-op */
  close(): Promise<void>;
}

/** `close` that runs once, however often it is called. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/** Seconds each question stays open: longer than the whole part, so none closes while it runs. */
const QUESTION_SECONDS = 3600;

export async function benchLatency(options: LatencyOptions): Promise<LatencyResult> {
  const postgresPhase = await onPostgres(options);
  const pglitePhase = await onPglite(options);
  return {
    gamesStartedWith: '/trivia play questions:1 through the stand-in (free-text questions stopped and replayed so every click is a button answer)',
    postgres: postgresPhase,
    pglite: pglitePhase,
  };
}

async function onPostgres(options: LatencyOptions): Promise<LatencyPhase> {
  const { servers, rate, durationMs } = options;
  const members = membersNeeded(rate, durationMs, servers, options);
  options.log(`latency: Postgres, ${servers} servers x ${members} members; three bots up, taking turns`);
  const rigs: Rig[] = [];
  try {
    rigs.push(await startBare('pong', servers, members, {}));
    const floorDb = await createScratchDatabase(options.databaseUrl, 'latency_floor');
    rigs.push(await startBare('durable', servers, members, { databaseUrl: floorDb.url }, () => floorDb.drop()));
    rigs.push(await startOurs(servers, members, { kind: 'postgres', databaseUrl: options.databaseUrl }, options.log));
    const [pong, durable, ours] = rigs as [Rig, Rig, Rig];
    const steady = await interleavedSteady([ours, durable, pong], { rate, durationMs, sliceMs: options.sliceMs, log: options.log });
    options.log(`latency: steady done (p99 ours ${steady.ours!.steady.waitMs.p99} ms, durable ${steady.durable!.steady.waitMs.p99} ms, pong ${steady.pong!.steady.waitMs.p99} ms)`);
    if (options.maxSteps === 0) return phase('postgres', options, steady, {});
    // Each step-up ends past what its bot can take; the others are stopped first so no backlog is in the way.
    options.log('latency: step-ups, one bot at a time');
    await pong.close();
    const durableSteps = await stepUpOf(durable, options);
    await durable.close();
    const oursSteps = await stepUpOf(ours, options);
    return phase('postgres', options, steady, { ours: oursSteps, durable: durableSteps });
  } finally {
    for (const rig of rigs) await rig.close();
  }
}

async function onPglite(options: LatencyOptions): Promise<LatencyPhase> {
  const { servers, rate, durationMs } = options.pglite;
  const members = membersNeeded(rate, durationMs, servers, { maxSteps: 0, stepMs: 0, rate });
  options.log(`latency: PGlite, ${servers} servers x ${members} members; ours and the durable floor, taking turns`);
  const rigs: Rig[] = [];
  try {
    const floorDir = mkdtempSync(join(tmpdir(), 'ds9-bench-floor-'));
    const dropFloorDir = async () => rmSync(floorDir, { recursive: true, force: true });
    let durable: Rig;
    try {
      durable = await startBare('durable', servers, members, { pgliteDir: floorDir }, dropFloorDir);
    } catch (error) {
      await dropFloorDir();
      throw error;
    }
    rigs.push(durable);
    const ours = await startOurs(servers, members, { kind: 'pglite' }, options.log);
    rigs.push(ours);
    const steady = await interleavedSteady([ours, durable], { rate, durationMs, sliceMs: options.sliceMs, log: options.log });
    return phase('pglite', { ...options, servers, rate }, steady, {});
  } finally {
    for (const rig of rigs) await rig.close();
  }
}

function phase(
  engine: LatencyPhase['engine'],
  options: { servers: number; rate: number; sliceMs: number },
  steady: SteadyResult,
  steps: { ours?: StepUpResult; durable?: StepUpResult },
): LatencyPhase {
  const { ours, durable, pong } = steady;
  return {
    engine,
    servers: options.servers,
    rate: options.rate,
    sliceSeconds: options.sliceMs / 1000,
    rounds: steady.rounds,
    ours: { ...ours!, ...(steps.ours ? { stepUp: steps.ours } : {}) },
    durable: { ...durable!, ...(steps.durable ? { stepUp: steps.durable } : {}) },
    ...(pong ? { pong } : {}),
    ratio: { durable: ratios(steady, 'durable'), ...(pong ? { pong: ratios(steady, 'pong') } : {}) },
  };
}

function ratios(steady: SteadyResult, floor: 'durable' | 'pong'): Ratios {
  const ours = steady.ours!;
  const other = steady[floor]!;
  return {
    p50: ratio(ours.steady.waitMs.p50, other.steady.waitMs.p50),
    p99: ratio(ours.steady.waitMs.p99, other.steady.waitMs.p99),
    p99PerRound: spread(ratioPerRound(steady.waits.ours!, steady.waits[floor]!, 99)),
    p50PerRound: spread(ratioPerRound(steady.waits.ours!, steady.waits[floor]!, 50)),
  };
}

/** Enough members that nobody clicks the same question twice over the warm-up, the steady run and every step. */
function membersNeeded(rate: number, durationMs: number, servers: number, o: { maxSteps: number; stepMs: number; rate: number }): number {
  let clicks = (rate * durationMs) / 1000 + WARM_UP.rate * (WARM_UP.ms / 1000);
  for (let i = 0, r = o.rate * 2; i < o.maxSteps; i++, r *= 2) clicks += (r * o.stepMs) / 1000;
  return Math.ceil(clicks / servers) + 2;
}

/** A short warm-up per bot (JIT, connection pools, prepared statements), not counted. */
const WARM_UP = { rate: 100, ms: 2000 };
const PAUSE_BETWEEN_SLICES_MS = 250;

type Name = Rig['name'];
interface SteadyResult extends Partial<Record<Name, Omit<BotLatency, 'stepUp'>>> {
  rounds: number;
  /** each bot's click waits, one array per round */
  waits: Partial<Record<Name, number[][]>>;
}

/** The steady load: `durationMs` per bot, in rounds of one `sliceMs` slice each, the bots' order rotating every round. */
async function interleavedSteady(rigs: Rig[], options: { rate: number; durationMs: number; sliceMs: number; log: (l: string) => void }): Promise<SteadyResult> {
  for (const rig of rigs) await runClickLoad({ ...rig, rate: WARM_UP.rate, durationMs: WARM_UP.ms });
  const accounts = rigs.map((rig) => ({ rig, runs: [] as LoadRun[], cpuMs: {} as PerProcess, waitMs: {} as PerProcess }));
  const rounds = Math.max(1, Math.round(options.durationMs / options.sliceMs));
  for (let r = 0; r < rounds; r++) {
    for (const account of rotation(accounts, r)) {
      const { rig } = account;
      const groups = await processGroups(rig);
      rig.bot.measure(true);
      const before = timesByGroup(groups);
      account.runs.push(await clickLoadRun({ ...rig, rate: options.rate, durationMs: options.sliceMs }));
      const after = timesByGroup(groups);
      rig.bot.measure(false);
      for (const name of Object.keys(groups) as (keyof PerProcess)[]) {
        const [b, a] = [before[name], after[name]];
        if (!a || !b) continue;
        account.cpuMs[name] = (account.cpuMs[name] ?? 0) + a.cpuMs - b.cpuMs;
        account.waitMs[name] = (account.waitMs[name] ?? 0) + a.runQueueWaitMs - b.runQueueWaitMs;
      }
      await pause(PAUSE_BETWEEN_SLICES_MS);
    }
    if ((r + 1) % 4 === 0) options.log(`latency: round ${r + 1}/${rounds}`);
  }
  const result: SteadyResult = { rounds, waits: {} };
  for (const { rig, runs, cpuMs, waitMs } of accounts) {
    const steady = mergeRuns(runs);
    const perClick = (totals: PerProcess): PerProcess => Object.fromEntries(Object.entries(totals).map(([name, total]) => [name, round(total / Math.max(1, steady.sent), 3)]));
    const { ms: loopDelayMs, gc } = await rig.bot.loopDelay();
    result.waits[rig.name] = runs.map(waits);
    result[rig.name] = {
      steady,
      cpuPerClickMs: perClick(cpuMs),
      runQueueWaitPerClickMs: perClick(waitMs),
      loopDelayMs,
      gcPauses: { ...gc, msPerClick: round(gc.totalMs / Math.max(1, steady.sent), 3) },
      p99PerRoundMs: runs.map((run) => mergeRuns([run]).waitMs.p99),
    };
  }
  return result;
}

/** This process (the stand-ins and the load generator), the bot's process, and the Postgres backends connected to its database. */
async function processGroups(rig: Rig): Promise<Partial<Record<keyof PerProcess, number[]>>> {
  return { standIn: [process.pid], bot: [rig.bot.process.pid!], ...(rig.postgresUrl ? { postgres: await backendPids(rig.postgresUrl) } : {}) };
}

/** The Postgres backends serving a database (its name in the URL), from pg_stat_activity. */
async function backendPids(url: string): Promise<number[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
    return rows.map((r) => Number(r['pid']));
  } catch {
    return [];
  } finally {
    await sql.end({ timeout: 2 });
  }
}

function timesByGroup(groups: Partial<Record<keyof PerProcess, number[]>>): Partial<Record<keyof PerProcess, ProcessTimes>> {
  return Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, processTimes(pids)]));
}

async function stepUpOf(rig: Rig, options: LatencyOptions): Promise<StepUpResult> {
  await pause(1000);
  return stepUp({ ...rig, from: options.rate * 2, maxSteps: options.maxSteps, durationMs: options.stepMs, pauseMs: 1000 });
}

/**
 * A floor (pong or durable): the bare client on a stand-in of its own, and in each server's channel a message
 * with four buttons posted with the bot's token. `closeStore` runs after the bot stops (drops its database).
 */
export async function startBare(
  mode: Exclude<BotMode, 'ours'>,
  serverCount: number,
  membersPerServer: number,
  store: { databaseUrl?: string; pgliteDir?: string },
  closeStore: () => Promise<void> = async () => {},
): Promise<Rig> {
  const discord = await DiscordStandIn.start();
  const closeWorld = async () => (await discord.stop(), await closeStore());
  try {
    const servers = buildServers(discord, serverCount, membersPerServer);
    const bot = await startChildBot({ mode, token: discord.token, apiUrl: discord.restBase, ...store, asDeployed: true });
    try {
      const targets = await inBatches(servers, 20, async (server) => {
        const customIds = ['a', 'b', 'c', 'd'].map((x) => `floor:${x}`);
        const response = await fetch(`${discord.restBase}/v10/channels/${server.channelId}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'Pick one', components: [{ type: 1, components: customIds.map((id) => ({ type: 2, style: 1, label: id, custom_id: id })) }] }),
        });
        if (!response.ok) throw new Error(`posting the floor's message failed: ${response.status}`);
        const { id } = (await response.json()) as { id: string };
        return { messageId: id, customIds, members: server.members.slice(1), nextMember: 0 };
      });
      return {
        name: mode,
        discord,
        bot,
        targets,
        expectReply: (content) => content === 'ok',
        ...(store.databaseUrl ? { postgresUrl: store.databaseUrl } : {}),
        close: once(async () => (await bot.stop(), await closeWorld())),
      };
    } catch (error) {
      await bot.stop();
      throw error;
    }
  } catch (error) {
    await closeWorld();
    throw error;
  }
}

/** The real bot on a fresh Postgres database or PGlite directory, with a trivia question open in every server (started with /trivia play). */
async function startOurs(serverCount: number, membersPerServer: number, engine: { kind: 'postgres'; databaseUrl: string } | { kind: 'pglite' }, log: (l: string) => void): Promise<Rig> {
  const discord = await DiscordStandIn.start();
  const scratch = engine.kind === 'postgres' ? await createScratchDatabase(engine.databaseUrl, 'latency') : undefined;
  const dir = engine.kind === 'pglite' ? mkdtempSync(join(tmpdir(), 'ds9-bench-latency-')) : undefined;
  const closeWorld = async () => {
    await discord.stop();
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const servers = buildServers(discord, serverCount, membersPerServer);
    const target = scratch ? ({ kind: 'postgres', url: scratch.url } as const) : ({ kind: 'pglite', dir: dir! } as const);
    await setQuestionSeconds(target, servers.map((s) => s.guildId), QUESTION_SECONDS);
    const rig = await ourBotRig(discord, servers, scratch ? { databaseUrl: scratch.url } : { pgliteDir: dir! }, closeWorld);
    log(`latency: ${rig.targets.length} trivia questions open on ${engine.kind} (started with /trivia play through the stand-in)`);
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
    return {
      name: 'ours',
      discord,
      bot,
      targets,
      expectReply: (content) => content.includes('Locked in'),
      ...('databaseUrl' in store ? { postgresUrl: store.databaseUrl } : {}),
      close: once(async () => (await bot.stop(), await closeWorld())),
    };
  } catch (error) {
    await bot.stop();
    throw error;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
