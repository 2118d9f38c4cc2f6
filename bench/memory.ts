// 4. Memory: resident memory of the real bot (own process, Postgres) connected to 1,000 servers of 10 channels
// and 100 members each, after a burst of activity standing in for ~10 minutes of a busy bot; a bare
// discord.js client on the same world shows what discord.js itself holds. Both run compiled, with plain node,
// with the Node flags of the Docker image's CMD, as the image runs the bot (tsx alone adds ~25 MB).
import { registerCommands } from '../src/register-commands.js';
import { DiscordStandIn } from '../stand-in/index.js';
import { startChildBot, type ChildBot } from './child-bot.js';
import { inBatches, type LoadServer } from './load-world.js';
import { createScratchDatabase } from './scratch-db.js';
import { openDatabase } from '../src/db/client.js';
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

export interface MemoryResult {
  servers: number;
  channelsPerServer: number;
  membersPerServer: number;
  activity: string;
  baselineAtReady: MemoryFigures;
  oursAtReady: MemoryFigures;
  oursAfterActivity: MemoryFigures;
  readySeconds: number;
}

export async function benchMemory(options: { databaseUrl: string; servers: number; channelsPerServer: number; membersPerServer: number; games: number; commands: number; log: (l: string) => void }): Promise<MemoryResult> {
  const discord = await DiscordStandIn.start();
  const scratch = await createScratchDatabase(options.databaseUrl, 'memory');
  try {
    const servers: (LoadServer & { channels: string[] })[] = [];
    for (let s = 0; s < options.servers; s++) {
      const guild = discord.createGuild({ name: `Gamma Quadrant ${s}` });
      const channels = Array.from({ length: options.channelsPerServer }, (_, c) => discord.createChannel(guild.id, { name: `deck-${c}` }).id);
      const members = Array.from({ length: options.membersPerServer }, (_, m) => discord.createMember(guild.id, { username: `m${s}-${m}` }).id);
      servers.push({ guildId: guild.id, channelId: channels[0]!, channels, members });
    }
    options.log(`memory: world built (${options.servers} x ${options.channelsPerServer} channels x ${options.membersPerServer} members)`);
    await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });
    await (await openDatabase({ kind: 'postgres', url: scratch.url })).close();
    await setQuestionSeconds(scratch.url, servers.map((s) => s.guildId), 120);

    const baseline = await startChildBot({ mode: 'baseline', token: discord.token, apiUrl: discord.restBase, exposeGc: true, asDeployed: true });
    const baselineAtReady = await figures(baseline);
    await baseline.stop();

    const bot = await startChildBot({ mode: 'ours', token: discord.token, apiUrl: discord.restBase, databaseUrl: scratch.url, exposeGc: true, asDeployed: true });
    try {
      const oursAtReady = await figures(bot);
      // Activity: games with every member answering, leaderboards and stats, new channels and roles.
      const playing = servers.slice(0, options.games);
      const targets = await inBatches(playing, 10, (s) => openChoiceQuestion(discord, s));
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
      const oursAfterActivity = await figures(bot);
      return {
        servers: options.servers,
        channelsPerServer: options.channelsPerServer,
        membersPerServer: options.membersPerServer,
        activity: `${targets.length} trivia games with ${clicks} answer clicks, ${options.commands} /trivia leaderboard and stats, 200 new channels and roles`,
        baselineAtReady,
        oursAtReady,
        oursAfterActivity,
        readySeconds: Math.round(bot.spawnToReadyMs / 100) / 10,
      };
    } finally {
      await bot.stop();
    }
  } finally {
    await discord.stop();
    await scratch.drop();
  }
}

async function figures(bot: ChildBot): Promise<MemoryFigures> {
  const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
  const before = await bot.memory(false);
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
