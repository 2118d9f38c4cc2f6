// 4. Memory as users meet it: resident memory of the real bot (own process) connected to 1,000 servers of 10
// channels and 100 members each, through a burst of activity standing in for ~10 minutes of a busy bot, on
// Postgres and on PGlite (the image's default store, which lives in the bot's own process); against the bare
// discord.js client with the bot's own client settings and caches (createDiscordClient) under the same traffic.
// Figures: the peak (the kernel's high-water mark over the process's life: start-up, every GUILD_CREATE and
// the activity) and after the activity. All run compiled, with plain node and the Node flags of the image's CMD.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCommands } from '../src/register-commands.js';
import { DiscordStandIn } from '../stand-in/index.js';
import { startChildBot, type ChildBot, type ChildBotOptions } from './child-bot.js';
import type { ClickTarget } from './click-load.js';
import { inBatches, type LoadServer } from './load-world.js';
import { procMemory, sampleRss } from './proc-memory.js';
import { createScratchDatabase } from './scratch-db.js';
import { ratio } from './stats.js';
import { openChoiceQuestion, setQuestionSeconds } from './trivia-targets.js';

export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
  /** what V8 has reserved for the heap (RSS holds it even when heapUsed is low) */
  heapTotalMb: number;
  externalMb: number;
  /** after a forced garbage collection */
  rssAfterGcMb: number;
  heapUsedAfterGcMb: number;
  cachedChannels: number;
  cachedMembers: number;
  cachedUsers: number;
}

export interface MemoryRun {
  atReady: MemoryFigures;
  afterActivity: MemoryFigures;
  /** the process's highest RSS over its life so far (VmHWM), read after the activity; the sampled peak off Linux */
  peakRssMb: number;
  /** the highest RSS sampled every 100 ms during the activity */
  sampledPeakRssMb: number | undefined;
  readySeconds: number;
}

export interface MemoryResult {
  servers: number;
  channelsPerServer: number;
  membersPerServer: number;
  activity: string;
  /** the bare client (the bot's client settings and caches), same world, same clicks and commands */
  bare: MemoryRun;
  postgres: MemoryRun;
  pglite: MemoryRun;
  ratio: { postgresPeak: number | undefined; pglitePeak: number | undefined; postgresAfter: number | undefined; pgliteAfter: number | undefined };
}

type MemoryServer = LoadServer & { channels: string[] };

export interface MemoryOptions {
  databaseUrl: string;
  servers: number;
  channelsPerServer: number;
  membersPerServer: number;
  games: number;
  commands: number;
  log: (l: string) => void;
}

export async function benchMemory(options: MemoryOptions): Promise<MemoryResult> {
  // Each bot meets a world of its own, built the same way, so none sees what an earlier one left behind.
  const bare = await inWorld(options, (world) => measured({ ...world.bot, mode: 'pong' }, () => activity(world, options, postButtons)));
  options.log(`memory: bare client peak ${bare.peakRssMb} MB; ours on Postgres`);

  const scratch = await createScratchDatabase(options.databaseUrl, 'memory');
  let onPostgres: MemoryRun;
  try {
    onPostgres = await inWorld(options, async (world) => {
      await setQuestionSeconds({ kind: 'postgres', url: scratch.url }, world.servers.map((s) => s.guildId), 3600);
      return measured({ ...world.bot, mode: 'ours', databaseUrl: scratch.url }, () => activity(world, options, playTrivia));
    });
  } finally {
    await scratch.drop();
  }
  options.log(`memory: ours on Postgres peak ${onPostgres.peakRssMb} MB; ours on PGlite`);

  const dir = mkdtempSync(join(tmpdir(), 'ds9-bench-memory-'));
  let onPglite: MemoryRun;
  try {
    onPglite = await inWorld(options, async (world) => {
      await setQuestionSeconds({ kind: 'pglite', dir }, world.servers.map((s) => s.guildId), 3600);
      return measured({ ...world.bot, mode: 'ours', pgliteDir: dir }, () => activity(world, options, playTrivia));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    servers: options.servers,
    channelsPerServer: options.channelsPerServer,
    membersPerServer: options.membersPerServer,
    activity: `${options.games} servers with a question that every member answers (ours: /trivia play; the bare client: a message with buttons), ${options.commands} /trivia leaderboard and stats, 200 new channels and roles`,
    bare,
    postgres: onPostgres,
    pglite: onPglite,
    ratio: {
      postgresPeak: ratio(onPostgres.peakRssMb, bare.peakRssMb),
      pglitePeak: ratio(onPglite.peakRssMb, bare.peakRssMb),
      postgresAfter: ratio(onPostgres.afterActivity.rssMb, bare.afterActivity.rssMb),
      pgliteAfter: ratio(onPglite.afterActivity.rssMb, bare.afterActivity.rssMb),
    },
  };
}

interface World {
  discord: DiscordStandIn;
  servers: MemoryServer[];
  bot: { token: string; apiUrl: string; exposeGc: true; asDeployed: true };
}

/** A stand-in with the part's servers, channels and members, and the bot's commands registered. */
async function inWorld<R>(options: MemoryOptions, run: (world: World) => Promise<R>): Promise<R> {
  const discord = await DiscordStandIn.start();
  try {
    const servers: MemoryServer[] = [];
    for (let s = 0; s < options.servers; s++) {
      const guild = discord.createGuild({ name: `Gamma Quadrant ${s}` });
      const channels = Array.from({ length: options.channelsPerServer }, (_, c) => discord.createChannel(guild.id, { name: `deck-${c}` }).id);
      const members = Array.from({ length: options.membersPerServer }, (_, m) => discord.createMember(guild.id, { username: `m${s}-${m}` }).id);
      servers.push({ guildId: guild.id, channelId: channels[0]!, channels, members });
    }
    await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });
    return await run({ discord, servers, bot: { token: discord.token, apiUrl: discord.restBase, exposeGc: true, asDeployed: true } });
  } finally {
    await discord.stop();
  }
}

/** Starts a bot, reads its memory at ready, runs the activity while sampling, reads it again (peak first), stops it. */
async function measured(options: ChildBotOptions, run: (bot: ChildBot) => Promise<void>): Promise<MemoryRun> {
  const bot = await startChildBot(options);
  try {
    const atReady = await figures(bot);
    const sampler = sampleRss(bot.process.pid!);
    await run(bot);
    const sampledPeakRssMb = sampler.stop();
    let peak: number | undefined;
    const afterActivity = await figures(bot, () => (peak = procMemory(bot.process.pid!)?.peakRssMb));
    return { atReady, afterActivity, peakRssMb: peak ?? Math.max(sampledPeakRssMb ?? 0, afterActivity.rssMb), sampledPeakRssMb, readySeconds: Math.round(bot.spawnToReadyMs / 100) / 10 };
  } finally {
    await bot.stop();
  }
}

type OpenQuestion = (discord: DiscordStandIn, server: MemoryServer) => Promise<ClickTarget>;

/** Ours: `/trivia play` in each playing server (the bot posts the question). */
const playTrivia: OpenQuestion = (discord, server) => openChoiceQuestion(discord, server);

/** The bare client: a message with four buttons posted with the bot's token, as a question would be. */
const postButtons: OpenQuestion = async (discord, server) => {
  const customIds = ['a', 'b', 'c', 'd'].map((x) => `floor:${x}`);
  const response = await fetch(`${discord.restBase}/v10/channels/${server.channelId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content: 'Pick one', components: [{ type: 1, components: customIds.map((id) => ({ type: 2, style: 1, label: id, custom_id: id })) }] }),
  });
  if (!response.ok) throw new Error(`posting the buttons failed: ${response.status}`);
  const { id } = (await response.json()) as { id: string };
  return { messageId: id, customIds, members: server.members.slice(1), nextMember: 0 };
};

/** The same traffic for every bot: a question per playing server that all its members answer, commands, new channels and roles. */
async function activity({ discord, servers }: World, options: MemoryOptions, open: OpenQuestion): Promise<void> {
  const playing = servers.slice(0, options.games);
  const targets = await inBatches(playing, 10, (s) => open(discord, s));
  let clicks = 0;
  await inBatches(targets, 10, async (t) => {
    for (const userId of t.members) {
      await discord.clickButton({ userId, messageId: t.messageId, customId: t.customIds[clicks++ % t.customIds.length]! });
    }
  });
  await inBatches(Array.from({ length: options.commands }, (_, i) => i), 10, async (i) => {
    const s = servers[(i * 7919) % servers.length]!;
    const userId = s.members[i % s.members.length]!;
    const channelId = s.channels[i % s.channels.length]!;
    const sub = i % 2 === 0 ? 'leaderboard' : 'stats';
    await (await discord.slashCommand({ channelId, userId, command: 'trivia', subcommand: sub })).reply();
  });
  for (let i = 0; i < Math.min(200, servers.length); i++) {
    const s = servers[i]!;
    discord.createChannel(s.guildId, { name: `holosuite-${i}` });
    discord.createRole(s.guildId, { name: `Crew ${i}` });
  }
  await new Promise((r) => setTimeout(r, 2000));
}

/** Memory figures without, then with, a forced collection; `beforeGc` runs between (the peak is read there). */
async function figures(bot: ChildBot, beforeGc: () => void = () => {}): Promise<MemoryFigures> {
  const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
  const before = await bot.memory(false);
  beforeGc();
  const after = await bot.memory(true);
  return {
    rssMb: mb(before.rss),
    heapUsedMb: mb(before.heapUsed),
    heapTotalMb: mb(before.heapTotal),
    externalMb: mb(before.external),
    rssAfterGcMb: mb(after.rss),
    heapUsedAfterGcMb: mb(after.heapUsed),
    cachedChannels: after.cachedChannels,
    cachedMembers: after.cachedMembers,
    cachedUsers: after.cachedUsers,
  };
}
