// 7. A click burst on the embedded database: every member of one server clicks the same question in the same
// instant, the real bot on PGlite (its store when no DATABASE_URL is set) against the bare discord.js client.
// PGlite executes statements synchronously on the thread that owns it; this shows whether the bot's thread
// (gateway, replies, timers) stays free while it works through the queue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordStandIn } from '../stand-in/index.js';
import type { ClickTarget } from './click-load.js';
import { ourBotRig, startBare, type Rig } from './latency.js';
import { buildServers } from './load-world.js';
import { ratio, summarize, type LatencySummary } from './stats.js';

export interface BurstOptions {
  clicks: number;
  log: (line: string) => void;
}

export interface BurstFigures {
  /** stand-in timestamps: INTERACTION_CREATE sent -> callback received, for every click of the burst */
  latencyMs: LatencySummary;
  /** not answered within Discord's 3 s window */
  errors: number;
  /** answered with "thinking..." first (the bot defers a reply that is slow to come) and the answer in an edit */
  deferred: number;
  unexpected: number;
  /** the bot's longest event-loop stall during the burst */
  loopDelayMaxMs: number;
  /** the bot process's resident memory once every reply is in (ours: PGlite's thread included) */
  rssMb: number;
}

export interface BurstResult {
  clicks: number;
  ours: BurstFigures & { engine: 'pglite' };
  baseline: BurstFigures;
  ratio: { p50: number | undefined; max: number | undefined };
}

const DEFERRED_REPLY = 5;

/** Clicks before the burst, not counted: JIT warm-up on both bots. */
const WARM_UP = 20;

export async function benchPgliteBurst(options: BurstOptions): Promise<BurstResult> {
  const members = WARM_UP + options.clicks + 1;
  const baselineRig = await startBare('pong', 1, members, {});
  let baseline: BurstFigures;
  try {
    baseline = await burst(baselineRig, options.clicks);
  } finally {
    await baselineRig.close();
  }
  options.log(`pgliteBurst: baseline done (last reply ${baseline.latencyMs.max} ms); ours on PGlite`);
  const oursRig = await startOursOnPglite(members);
  try {
    const ours = await burst(oursRig, options.clicks);
    return {
      clicks: options.clicks,
      ours: { ...ours, engine: 'pglite' },
      baseline,
      ratio: { p50: ratio(ours.latencyMs.p50, baseline.latencyMs.p50), max: ratio(ours.latencyMs.max, baseline.latencyMs.max) },
    };
  } finally {
    await oursRig.close();
  }
}

/** A few warm-up clicks one by one, then `clicks` members click at once. */
async function burst(rig: Rig, clicks: number): Promise<BurstFigures> {
  const target = rig.targets[0]!;
  for (let i = 0; i < WARM_UP; i++) await click(rig, target);
  rig.bot.measure(true);
  const handles = await Promise.all(Array.from({ length: clicks }, () => click(rig, target)));
  rig.bot.measure(false);
  const { ms } = await rig.bot.loopDelay();
  const answered = handles.filter((h) => h.callbackType !== null);
  const replies = await Promise.all(answered.map((h) => h.reply({ timeoutMs: 15_000 }).then((m) => m.content, () => '')));
  const { rss } = await rig.bot.memory(false);
  return {
    latencyMs: summarize(answered.map((h) => h.latencyMs ?? Number.NaN)),
    errors: handles.length - answered.length,
    deferred: answered.filter((h) => h.callbackType === DEFERRED_REPLY).length,
    unexpected: replies.filter((content) => !rig.expectReply(content)).length,
    loopDelayMaxMs: ms.max,
    rssMb: Math.round(rss / 1024 / 102.4) / 10,
  };
}

function click(rig: Rig, target: ClickTarget) {
  const userId = target.members[target.nextMember++ % target.members.length]!;
  return rig.discord.clickButton({ userId, messageId: target.messageId, customId: target.customIds[0]! });
}

/** The real bot on a fresh PGlite directory, with a trivia question open (started with /trivia play). */
async function startOursOnPglite(members: number): Promise<Rig> {
  const discord = await DiscordStandIn.start();
  const dir = mkdtempSync(join(tmpdir(), 'ds9-bench-burst-'));
  const closeWorld = async () => (await discord.stop(), rmSync(dir, { recursive: true, force: true }));
  try {
    return await ourBotRig(discord, buildServers(discord, 1, members), { pgliteDir: dir }, closeWorld);
  } catch (error) {
    await closeWorld();
    throw error;
  }
}
