// /rewatch-thread end to end: members set up a weekly rewatch through the stand-in, the real bot posts the
// threads as the ManualClock moves, and the tests read what members see (replies, threads, messages).
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent, episodeOrder } from '../../src/content/index.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { RunningBot } from '../../src/bot.js';
import type { OptionInput } from '../../src/sandbox/command-options.js';
import type { VisibleMessage, VisibleThread } from '../../src/sandbox/index.js';
import { postgresEngine } from '../helpers/databases.js';
import { createWorld, T0, type World } from './world.js';
import { timeUp, waitForQuestion } from './trivia-helpers.js';

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;
const FRIDAY = 5;
/** setup at T0 (Thursday 19:00 UTC) for Fridays 20:00 UTC: the first slot is the next evening. */
const FIRST_SLOT = new Date('2026-11-27T20:00:00Z');
const slot = (n: number) => new Date(FIRST_SLOT.getTime() + n * WEEK);

const content = loadContent();
const plan = content.defaultPlan;
const episodes = plan.episodes;
const THREADS_ROUTE = { method: 'POST', path: /^\/api\/v10\/channels\/\d+\/threads$/ } as const;
const MESSAGES_ROUTE = { method: 'POST', path: /^\/api\/v10\/channels\/\d+\/messages$/ } as const;

type Who = keyof World['members'];

let world: World | undefined;
const extraDatabases: Database[] = [];
afterEach(async () => {
  await world?.close();
  world = undefined;
  for (const db of extraDatabases.splice(0)) await db.close();
});

const unix = (at: Date) => Math.floor(at.getTime() / 1000);
const timestamp = (at: Date, style = 'F') => `<t:${unix(at)}:${style}>`;

async function rewatch(w: World, who: Who, subcommand: string, options?: Record<string, OptionInput>): Promise<VisibleMessage> {
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

function setup(w: World, options: Record<string, OptionInput> = {}, who: Who = 'sisko'): Promise<VisibleMessage> {
  return rewatch(w, who, 'setup', { channel: w.channel.id, day: FRIDAY, time: '20:00', timezone: 'UTC', ...options });
}

async function statusText(w: World): Promise<string> {
  const reply = await rewatch(w, 'kira', 'status');
  expect(reply.ephemeral).toBe(true);
  return reply.content;
}

/** The rewatch threads under the world's channel, in the order they were created. */
function rewatchThreads(w: World, channelId = w.channel.id): VisibleThread[] {
  return w.discord.threads(channelId).filter((t) => t.name.startsWith('Rewatch '));
}

function threadNameOf(index: number): string {
  const e = episodes[index]!;
  return `Rewatch ${index + 1}/${episodes.length}: ${e.title} (${e.code})`;
}

/** The bot's own messages in a thread or channel (the stand-in's "thread created" system notes left out). */
function botMessages(w: World, channelId: string): VisibleMessage[] {
  return w.discord.messages(channelId).filter((m) => m.author.bot && m.type === 0 && !m.ephemeral && m.interactionId === null);
}

async function tickAt(w: World, at: Date, bot: RunningBot = w.bot): Promise<void> {
  w.clock.set(at);
  await bot.tick();
}

describe('/rewatch-thread setup', () => {
  it('GIVEN a moderator THEN the reply names the plan, the first episode and the next run as a Discord timestamp', async () => {
    world = await createWorld();
    const reply = await setup(world);
    expect(reply.ephemeral).toBe(false);
    expect(reply.content).toContain(`Rewatch scheduled: *${plan.name}* in <#${world.channel.id}>, every Friday at 20:00 UTC.`);
    expect(reply.content).toContain(`First thread: **The Changing Face of Evil** (7x20) (1 of 6) on ${timestamp(FIRST_SLOT)} (${timestamp(FIRST_SLOT, 'R')}).`);
    expect(reply.pingsAnyone).toBe(false);

    // Another zone: Friday 20:00 in New York (EST in November) is Saturday 01:00 UTC; a later start episode.
    const replaced = await setup(world, { timezone: 'america/new_york', start: '7x22' });
    expect(replaced.content).toContain('Rewatch schedule replaced');
    expect(replaced.content).toContain('every Friday at 20:00 America/New_York');
    expect(replaced.content).toContain(`First thread: **Tacking Into the Wind** (7x22) (3 of 6) on ${timestamp(new Date('2026-11-28T01:00:00Z'))}`);
    expect(await statusText(world)).toContain('next up is episode 3 of 6');
  });

  it('GIVEN a bad time or an unknown time zone THEN a clear message with an example, and nothing is saved', async () => {
    world = await createWorld();
    const badTime = await setup(world, { time: '25:61' });
    expect(badTime.ephemeral).toBe(true);
    expect(badTime.content).toContain('"25:61" is not a time I can read');
    expect(badTime.content).toContain('for example 19:30');
    const badZone = await setup(world, { timezone: 'Bajor/Ashalla' });
    expect(badZone.ephemeral).toBe(true);
    expect(badZone.content).toContain('"Bajor/Ashalla" is not a time zone I know');
    expect(badZone.content).toContain('Europe/Berlin');
    expect(await statusText(world)).toContain('This server has no rewatch schedule');
  });

  it.each([
    ['View Channel', PermissionFlagsBits.ViewChannel],
    ['Send Messages', PermissionFlagsBits.SendMessages],
    ['Create Public Threads', PermissionFlagsBits.CreatePublicThreads],
    ['Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
  ])('GIVEN the bot is denied %s in the channel THEN setup names exactly that permission and saves nothing', async (name, flag) => {
    world = await createWorld();
    world.discord.setChannelOverwrite(world.channel.id, { id: world.guild.botRoleId, type: 0, deny: flag });
    expect(world.discord.botPermissionsIn(world.channel.id) & flag).toBe(0n);
    const reply = await setup(world);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(`I can't run the rewatch in <#${world.channel.id}> yet: I'm missing ${name} there. Grant it and run setup again.`);
    expect(await statusText(world)).toContain('This server has no rewatch schedule');
  });

  it('GIVEN members without Manage Threads or Manage Server THEN every schedule change is refused naming the permission', async () => {
    world = await createWorld();
    for (const who of ['kira', 'odo'] as const) {
      const refused = await setup(world, {}, who);
      expect(refused.ephemeral).toBe(true);
      expect(refused.content).toContain('Manage Threads or Manage Server');
    }
    await setup(world);
    for (const sub of ['now', 'skip', 'pause', 'stop']) {
      expect((await rewatch(world, 'quark', sub)).content).toContain('Manage Threads or Manage Server');
    }
    // Looking is for everyone.
    expect(await statusText(world)).toContain('next up is episode 1 of 6');
    expect(rewatchThreads(world)).toHaveLength(0);
  });
});
