// Shared helpers for the /rewatch-thread end-to-end tests: run the command as a member, move the clock and
// tick the bot, and read what members see (replies, threads, the bot's messages).
import { expect } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { loadContent } from '../../src/content/index.js';
import type { OptionInput } from '../../stand-in/command-options.js';
import type { VisibleMessage, VisibleThread } from '../../stand-in/index.js';
import type { World } from './world.js';

export const MINUTE = 60_000;
export const WEEK = 7 * 24 * 60 * MINUTE;
export const FRIDAY = 5;
/** setup at T0 (Thursday 19:00 UTC) for Fridays 20:00 UTC: the first slot is the next evening. */
export const FIRST_SLOT = new Date('2026-11-27T20:00:00Z');
export const slot = (n: number, plusMs = 0) => new Date(FIRST_SLOT.getTime() + n * WEEK + plusMs);

export const content = loadContent();
export const plan = content.defaultPlan;
export const episodes = plan.episodes;
export const THREADS_ROUTE = { method: 'POST', path: /^\/api\/v10\/channels\/\d+\/threads$/ } as const;

export type Who = keyof World['members'];

export const unix = (at: Date) => Math.floor(at.getTime() / 1000);
export const timestamp = (at: Date, style = 'F') => `<t:${unix(at)}:${style}>`;
/** How the replies show a moment: the full date and, in brackets, "in 3 days". */
export const when = (at: Date) => `${timestamp(at)} (${timestamp(at, 'R')})`;

export async function rewatch(w: World, who: Who, subcommand: string, options?: Record<string, OptionInput>): Promise<VisibleMessage> {
  const handle = await w.discord.slashCommand({
    guildId: w.guild.id,
    channelId: w.channel.id,
    userId: w.members[who].id,
    command: 'rewatch-thread',
    subcommand,
    ...(options ? { options } : {}),
  });
  return handle.reply();
}

/** sisko sets up Fridays 20:00 UTC in the world's channel, unless told otherwise. */
export function setup(w: World, options: Record<string, OptionInput> = {}, who: Who = 'sisko'): Promise<VisibleMessage> {
  return rewatch(w, who, 'setup', { channel: w.channel.id, day: FRIDAY, time: '20:00', timezone: 'UTC', ...options });
}

/** A public reply from sisko (everything that changes the schedule is answered in public). */
export async function moderator(w: World, subcommand: string, options?: Record<string, OptionInput>): Promise<string> {
  const reply = await rewatch(w, 'sisko', subcommand, options);
  expect(reply.ephemeral, reply.content).toBe(false);
  expect(reply.pingsAnyone).toBe(false);
  return reply.content;
}

/** What a plain member sees in /rewatch-thread status (only to them). */
export async function statusText(w: World): Promise<string> {
  const reply = await rewatch(w, 'kira', 'status');
  expect(reply.ephemeral).toBe(true);
  return reply.content;
}

export async function scheduleText(w: World): Promise<string> {
  const reply = await rewatch(w, 'kira', 'schedule');
  expect(reply.ephemeral).toBe(true);
  return reply.content;
}

/** The rewatch threads under the world's channel, in the order they were created. */
export function rewatchThreads(w: World, channelId = w.channel.id): VisibleThread[] {
  return w.discord.threads(channelId).filter((t) => t.name.startsWith('Rewatch '));
}

export function threadNameOf(index: number): string {
  const e = episodes[index]!;
  return `Rewatch ${index + 1}/${episodes.length}: ${e.title} (${e.code})`;
}

/** The bot's own messages in a thread or channel (the stand-in's "thread created" system notes left out). */
export function botMessages(w: World, channelId: string): VisibleMessage[] {
  return w.discord.messages(channelId).filter((m) => m.author.bot && m.type === 0 && !m.ephemeral && m.interactionId === null);
}

/** The bot's messages in a thread, as text: the starter first, then any hand-over note. */
export function threadTexts(w: World, thread: VisibleThread): string[] {
  return botMessages(w, thread.id).map((m) => m.content);
}

export async function tickAt(w: World, at: Date, bot: RunningBot = w.bot): Promise<void> {
  w.clock.set(at);
  await bot.tick();
}

/** Requests the stand-in saw for creating threads (each attempt counts, retries included). */
export function threadCreateCalls(w: World): number {
  return w.discord.requestCounts()['POST /channels/:id/threads'] ?? 0;
}
