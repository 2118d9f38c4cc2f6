// Watch-party events end to end: /rewatch-thread setup event:True keeps one Discord scheduled event for the next
// episode, served by the stand-in as Discord serves them, and what members see in the server's Events list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLine } from '../../stand-in/playground-commands.js';
import { PlaygroundSession } from '../../stand-in/playground-session.js';
import { DEFAULT_BOT_PERMISSIONS } from '../../stand-in/index.js';
import { engines } from '../helpers/databases.js';
import { createWorld, type World } from './world.js';
import { MINUTE, WEEK, botMessages, episodes, moderator, rewatch, rewatchThreads, setup, slot, statusText, tickAt, timestamp, when } from './rewatch-helpers.js';

const HOUR = 60 * MINUTE;
const EVENTS_ROUTE = /^\/api\/v10\/guilds\/\d+\/scheduled-events$/;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A world whose Discord keeps the test's time, with the bot allowed to manage events unless told otherwise. */
async function eventsWorld(options: { engine?: (typeof engines)[number]; manageEvents?: boolean } = {}): Promise<World> {
  const w = await createWorld(options.engine ? { engine: options.engine } : {});
  w.discord.useClock(() => w.clock.now().getTime());
  if (options.manageEvents !== false) w.discord.setBotPermissions(w.guild.id, DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents);
  return w;
}

const channelLink = (w: World, id: string) => `https://discord.com/channels/${w.guild.id}/${id}`;
const eventLink = (w: World, id: string) => `https://discord.com/events/${w.guild.id}/${id}`;
const eventName = (i: number) => `Watch party ${i + 1}/${episodes.length}: ${episodes[i]!.title} (${episodes[i]!.code})`;
const events = (w: World) => w.discord.scheduledEvents(w.guild.id);
const eventCreates = (w: World) => w.discord.requestCounts()['POST /guilds/:id/scheduled-events'] ?? 0;

describe.each(engines)('/rewatch-thread watch-party events ($name)', (engine) => {
  it('GIVEN event:True THEN the next episode always has one event at its slot, linked to the discussion; a thread hands it over, delay moves it, skip and stop remove it', async () => {
    world = await eventsWorld({ engine });
    const reply = await setup(world, { event: true });
    const [first] = events(world);
    expect(events(world)).toHaveLength(1);
    expect(first).toMatchObject({
      name: eventName(0),
      entityType: 3,
      location: channelLink(world, world.channel.id),
      start: slot(0),
      end: new Date(slot(0).getTime() + 2 * HOUR),
      status: 1,
      creatorId: world.discord.botUserId,
    });
    expect(first!.description).toContain(`Discussion: ${channelLink(world, world.channel.id)}`);
    expect(reply).toMatchObject({ ephemeral: false, pingsAnyone: false });
    expect(reply.content).toContain(`Watch party for ${episodes[0]!.title} (${episodes[0]!.code}) linking to the discussion on ${timestamp(slot(0))}`);
    expect(reply.content).toContain(eventLink(world, first!.id));
    world.discord.markInterested({ eventId: first!.id, userId: world.members.kira.id });

    // The thread opens at the slot: the event now points at it, and the next episode's event appears.
    await tickAt(world, slot(0));
    const [thread] = rewatchThreads(world);
    const afterPost = events(world);
    expect(afterPost.map((e) => e.name)).toEqual([eventName(0), eventName(1)]);
    expect(afterPost[0]).toMatchObject({ id: first!.id, location: channelLink(world, thread!.id), interested: 1 });
    expect(afterPost[0]!.description).toContain(`Discussion: ${channelLink(world, thread!.id)}`);
    expect(afterPost[1]).toMatchObject({ start: slot(1), location: channelLink(world, world.channel.id) });
    const second = afterPost[1]!;
    expect(await statusText(world)).toContain(`Watch party for ${episodes[1]!.title} (${episodes[1]!.code}) linking to the discussion on ${when(slot(1))}: ${eventLink(world, second.id)} (press Interested for a reminder).`);

    // Past its end the first party is over (Discord completes external events) and leaves the list.
    world.clock.set(slot(0, 3 * HOUR));
    expect(events(world).map((e) => e.id)).toEqual([second.id]);

    await moderator(world, 'delay', { weeks: 1 });
    expect(events(world)).toEqual([expect.objectContaining({ id: second.id, start: slot(2), end: new Date(slot(2).getTime() + 2 * HOUR) })]);

    // Skipping removes the episode's event; the next one's slot is two weeks off, so its event comes a week ahead.
    await moderator(world, 'skip');
    expect(events(world)).toEqual([]);
    expect(await statusText(world)).toContain(`the next episode's event is created ${timestamp(slot(1), 'R')}, a week before it.`);
    await tickAt(world, slot(1));
    expect(events(world)).toEqual([expect.objectContaining({ name: eventName(2), start: slot(2), location: channelLink(world, world.channel.id) })]);

    await moderator(world, 'stop');
    expect(events(world)).toEqual([]);
    expect(eventCreates(world)).toBe(3);
    expect(botMessages(world, world.channel.id)).toEqual([]);
  });
});

describe('/rewatch-thread watch-party events when things go wrong', () => {
  it('GIVEN Discord stores the event but its answer is lost THEN the retry adopts that event instead of making a second one', async () => {
    world = await eventsWorld();
    world.discord.failNext({ method: 'POST', path: EVENTS_ROUTE, status: 500, afterEffect: true });
    const reply = await setup(world, { event: true });
    expect(reply.content).toContain('Rewatch scheduled');
    expect(reply.content).toContain('Watch-party problem: Discord did not take the watch-party event yet (Discord error 500).');
    expect(events(world)).toHaveLength(1);
    const [made] = events(world);

    // The next ticks look for it first, find it, and record it; nothing is created twice.
    await tickAt(world, new Date(world.clock.now().getTime() + 5 * MINUTE));
    await tickAt(world, new Date(world.clock.now().getTime() + 5 * MINUTE));
    expect(events(world)).toEqual([expect.objectContaining({ id: made!.id, name: eventName(0) })]);
    expect(eventCreates(world)).toBe(1);
    const status = await statusText(world);
    expect(status).toContain(eventLink(world, made!.id));
    expect(status).not.toContain('Watch-party problem');
  });

  it('GIVEN the bot loses Manage Events THEN only the events pause, the channel is told how to fix it once, threads keep coming, and the events come back once it is granted again', async () => {
    world = await eventsWorld();
    await setup(world, { event: true });
    const [first] = events(world);
    world.discord.setBotPermissions(world.guild.id, DEFAULT_BOT_PERMISSIONS);

    await moderator(world, 'delay', { weeks: 1 });
    const notices = botMessages(world, world.channel.id).map((m) => m.content);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain("The rewatch's watch-party events are paused: Discord does not let the bot manage events. It needs Manage Events");
    expect(notices[0]).toContain('The weekly threads go on as planned.');
    expect(botMessages(world, world.channel.id)[0]!.pingsAnyone).toBe(false);
    expect(events(world)).toEqual([expect.objectContaining({ id: first!.id, start: slot(0) })]); // Discord kept it where it was
    const status = await statusText(world);
    expect(status).toContain('**Watch-party events paused:** Discord does not let the bot manage events.');

    // The thread still opens at its (delayed) slot; the events stay quiet, and nobody is told twice.
    await tickAt(world, slot(1));
    expect(rewatchThreads(world)).toHaveLength(1);
    expect(botMessages(world, world.channel.id)).toHaveLength(1);

    world.discord.setBotPermissions(world.guild.id, DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents);
    await tickAt(world, slot(2));
    expect(rewatchThreads(world)).toHaveLength(2);
    const back = events(world).filter((e) => e.start > slot(2));
    expect(back).toEqual([expect.objectContaining({ name: eventName(2), start: slot(3) })]);
    expect(await statusText(world)).not.toContain('paused');
  });

  it('GIVEN the bot lacks Manage Events THEN setup with event:True is refused, naming the permission, and nothing is saved', async () => {
    world = await eventsWorld({ manageEvents: false });
    const reply = await setup(world, { event: true });
    expect(reply.content).toBe(
      "I can't keep watch-party events yet: I'm missing Manage Events (server-wide; Create Events is enough). Grant it and run setup again, or set it up without event.",
    );
    expect(events(world)).toEqual([]);
    expect((await rewatch(world, 'kira', 'status')).content).toContain('no rewatch schedule');
  });

  it('GIVEN event-channel names a voice channel THEN the events take place there; setup without events removes it', async () => {
    world = await eventsWorld();
    const lounge = world.discord.createChannel(world.guild.id, { name: 'Quarks', type: ChannelType.GuildVoice });
    world.discord.setBotPermissions(world.guild.id, DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents | PermissionFlagsBits.Connect);
    const reply = await setup(world, { 'event-channel': lounge.id });
    expect(reply.content).toContain(`in <#${lounge.id}> on ${timestamp(slot(0))}`);
    expect(events(world)).toEqual([expect.objectContaining({ name: eventName(0), entityType: 2, channelId: lounge.id, location: null, start: slot(0) })]);

    const refused = await setup(world, { event: false, 'event-channel': lounge.id });
    expect(refused.content).toContain('event-channel is where the watch parties take place');
    expect(events(world)).toHaveLength(1);

    await setup(world);
    expect(events(world)).toEqual([]);
    expect(await statusText(world)).not.toContain('Watch part');
  });

  it('GIVEN the rewatch channel is deleted THEN the schedule pauses itself and its watch-party event goes with it', async () => {
    world = await eventsWorld();
    await setup(world, { event: true });
    expect(events(world)).toHaveLength(1);
    world.discord.deleteChannel(world.channel.id);
    await tickAt(world, slot(0));
    expect(rewatchThreads(world)).toEqual([]);
    expect(events(world)).toEqual([]);
  });

  it('GIVEN a paused rewatch THEN its event is removed, and resume brings the next one back', async () => {
    world = await eventsWorld();
    await setup(world, { event: true });
    await moderator(world, 'pause');
    expect(events(world)).toEqual([]);
    world.clock.set(new Date(slot(0).getTime() + 2 * WEEK + HOUR));
    await moderator(world, 'resume');
    expect(events(world)).toEqual([expect.objectContaining({ name: eventName(0), start: slot(3) })]);

    // Posted on request the thread opens now and the next episode takes slot 3: its party replaces this one there.
    await moderator(world, 'now');
    expect(rewatchThreads(world)).toHaveLength(1);
    expect(events(world)).toEqual([expect.objectContaining({ name: eventName(1), start: slot(3) })]);
  });
});

describe('watch-party events in the playground', () => {
  it('GIVEN setup with event:True THEN "events" lists the watch party as the server\'s Events list shows it, and it follows the thread', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ds9-events-playground-'));
    let session: PlaygroundSession | undefined;
    try {
      session = await PlaygroundSession.start({ dataDir, startAt: new Date('2026-11-26T19:00:00Z') });
      const run = (line: string) => session!.run(parseLine(line)!);
      await run('as admin');
      expect(await run('events')).toBe('No events scheduled.');
      await run('/rewatch-thread setup channel:#ops day:Friday time:20:00 timezone:UTC event:True');
      expect(await run('events')).toBe(`1. ${eventName(0)}: Friday, November 27, 2026 at 8:00 PM (UTC) (in 1 day), at #ops, 0 interested`);
      await run('/rewatch-thread now');
      // The thread opened early: the party keeps its time and now points at the thread (the next one comes a week ahead).
      expect(await run('events')).toBe(`1. ${eventName(0)}: Friday, November 27, 2026 at 8:00 PM (UTC) (in 1 day), at #Rewatch 1/6: ${episodes[0]!.title} (${episodes[0]!.code}), 0 interested`);
    } finally {
      await session?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
