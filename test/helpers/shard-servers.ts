// Servers spread over shards, and a member's view of a trivia game on them: shared by the tests that run the bot
// in several processes (start:sharded, shard ranges per host).
import { PermissionFlagsBits } from 'discord.js';
import { expect } from 'vitest';
import { loadContent, type Question } from '../../src/content/index.js';
import { shardOfGuild, type ChannelInfo, type DiscordStandIn, type GuildInfo, type MemberInfo, type VisibleMessage } from '../../stand-in/index.js';
import { buttonFor, buttonIds } from '../e2e/trivia-helpers.js';
import type { BotProcess } from './bot-process.js';

const content = loadContent();
/** What a step may take when the bot is in other processes on a busy machine: only a hang runs into it. */
const STEP_LIMIT_MS = 60_000;

export interface ShardServer {
  shard: number;
  guild: GuildInfo;
  channel: ChannelInfo;
  /** Manage Server and Manage Threads */
  captain: MemberInfo;
  players: MemberInfo[];
}

/** Creates servers until each of `shardCount` shards has one (a guild id carries its creation millisecond, which sets its shard). */
export async function oneServerPerShard(discord: DiscordStandIn, shardCount: number): Promise<ShardServer[]> {
  const byShard = new Map<number, GuildInfo>();
  for (let n = 0; byShard.size < shardCount; n++) {
    if (n > 200 * shardCount) throw new Error('could not get a server on every shard');
    const guild = discord.createGuild({ name: `Station ${n}` });
    const shard = shardOfGuild(guild.id, shardCount);
    if (byShard.has(shard)) discord.removeGuild(guild.id);
    else byShard.set(shard, guild);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return [...byShard.entries()]
    .sort(([a], [b]) => a - b)
    .map(([shard, guild]) => {
      const role = discord.createRole(guild.id, { name: 'Captains', permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageThreads });
      return {
        shard,
        guild,
        channel: discord.createChannel(guild.id, { name: 'ops' }),
        captain: discord.createMember(guild.id, { username: 'sisko', roles: [role.id] }),
        players: [discord.createMember(guild.id, { username: 'kira' }), discord.createMember(guild.id, { username: 'quark' })],
      };
    });
}

/** `/trivia <subcommand>` by `member` in the server's channel; what the member sees. */
export async function triviaCommand(discord: DiscordStandIn, server: ShardServer, member: MemberInfo, subcommand: string, options?: Record<string, number>) {
  const handle = await discord.slashCommand({ guildId: server.guild.id, channelId: server.channel.id, userId: member.id, command: 'trivia', subcommand, ...(options ? { options } : {}) });
  expect(handle.error, `/trivia ${subcommand} on shard ${server.shard}`).toBeUndefined();
  return handle.reply({ timeoutMs: STEP_LIMIT_MS });
}

/** The game's first question in the server's channel, failing at once if a bot process exits meanwhile. */
export async function firstQuestion(discord: DiscordStandIn, server: ShardServer, processes: BotProcess[]): Promise<{ message: VisibleMessage; question: Question }> {
  const message = await discord.waitFor(
    () => {
      const gone = processes.find((p) => p.exited);
      if (gone) throw new Error(`a bot process exited\n${gone.tail()}`);
      return discord.messages(server.channel.id).find((m) => m.author.bot && (m.embeds[0]?.title ?? '').startsWith('Question 1 of'));
    },
    { timeoutMs: STEP_LIMIT_MS, description: `the question on shard ${server.shard}` },
  );
  return { message, question: content.questions.find((q) => (message.embeds[0]?.description ?? '').startsWith(q.prompt))! };
}

/** Answers right or wrong as `member` (buttons, or the form for free text); the member's private reply. */
export async function answerQuestion(discord: DiscordStandIn, member: MemberInfo, message: VisibleMessage, q: Question, right: boolean): Promise<string> {
  if (q.type === 'free-text') {
    const open = await discord.clickButton({ userId: member.id, messageId: message.id, customId: buttonIds(message)[0]!.customId });
    const submitted = await discord.submitModal({ userId: member.id, channelId: message.channelId, customId: open.modal!.custom_id, fields: { answer: right ? q.accepted[0]! : 'Morn' } });
    return (await submitted.reply()).content;
  }
  return (await (await discord.clickButton({ userId: member.id, messageId: message.id, customId: buttonFor(message, q, right) })).reply()).content;
}

/** A one-question game on each server: started by its first player, answered right by them and wrong by the second; the questions, server by server. */
export async function playOneQuestionEach(discord: DiscordStandIn, servers: readonly ShardServer[], processes: BotProcess[]): Promise<{ message: VisibleMessage; question: Question }[]> {
  const started = await Promise.all(servers.map((s) => triviaCommand(discord, s, s.players[0]!, 'play', { questions: 1 })));
  for (const reply of started) expect(reply.content).toContain('started a game of 1 question');
  const questions = await Promise.all(servers.map((s) => firstQuestion(discord, s, processes)));
  for (const [i, s] of servers.entries()) {
    const { message, question: q } = questions[i]!;
    expect(await answerQuestion(discord, s.players[0]!, message, q, true)).toContain('Locked in');
    expect(await answerQuestion(discord, s.players[1]!, message, q, false)).toContain('Locked in');
  }
  return questions;
}
