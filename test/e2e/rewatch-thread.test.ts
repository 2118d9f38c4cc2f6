// /rewatch-thread end to end: members set up a weekly rewatch through the stand-in, the real bot posts the
// threads as the ManualClock moves, and the tests read what members see (replies, threads, messages).
// This file: setup and the commands members use; rewatch-thread-run.test.ts: the schedule running;
// rewatch-thread-faults.test.ts: two processes, crashes and Discord failures.
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from './world.js';
import {
  FIRST_SLOT,
  botMessages,
  episodes,
  moderator,
  plan,
  rewatch,
  rewatchThreads,
  scheduleText,
  setup,
  slot,
  statusText,
  threadNameOf,
  threadTexts,
  tickAt,
  timestamp,
  when,
} from './rewatch-helpers.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

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

describe('/rewatch-thread now, skip, pause, resume, delay, stop', () => {
  it('GIVEN a schedule WHEN a moderator posts now THEN the thread opens at once and the schedule continues from it', async () => {
    world = await createWorld();
    await setup(world);
    const reply = await moderator(world, 'now');
    const [thread] = rewatchThreads(world);
    expect(thread).toMatchObject({ name: threadNameOf(0), type: 11, autoArchiveDuration: 10080 });
    // Posted on Thursday: Friday's slot is only a day away, so the next thread waits for the Friday after.
    expect(reply).toBe(
      `Thread posted for **The Changing Face of Evil** (7x20) (1 of 6): <#${thread!.id}>.\nThe next thread follows on ${when(slot(1))}.`,
    );
    const [starter] = threadTexts(world, thread!);
    expect(starter).toContain('**The Changing Face of Evil** (7x20): episode 1 of 6');
    expect(starter).toContain('Originally aired April 28, 1999.');
    expect(starter).toContain(`- ${episodes[0]!.prompts[0]}`);
    expect(starter).toContain('Spoiler rule:');
    expect(starter).not.toContain('Previous episode');
    expect(await statusText(world)).toContain(`Last thread: <#${thread!.id}>.`);

    await tickAt(world, FIRST_SLOT);
    expect(rewatchThreads(world)).toHaveLength(1);
    await tickAt(world, slot(1));
    expect(rewatchThreads(world).map((t) => t.name)).toEqual([threadNameOf(0), threadNameOf(1)]);
  });

  it('GIVEN a schedule WHEN a moderator skips THEN the next slot opens the episode after, and status lists the skipped one', async () => {
    world = await createWorld();
    await setup(world);
    expect(await moderator(world, 'skip')).toBe(
      `Skipped **The Changing Face of Evil** (7x20). Next: **When It Rains...** (7x21) on ${when(FIRST_SLOT)}.`,
    );
    await tickAt(world, FIRST_SLOT);
    expect(rewatchThreads(world).map((t) => t.name)).toEqual([threadNameOf(1)]);
    const status = await statusText(world);
    expect(status).toContain('Progress: 1 thread posted; next up is episode 3 of 6.');
    expect(status).toContain('Skipped (no thread): 7x20.');
  });

  it('GIVEN a rewatch set up to start at 7x24 THEN status never calls the episodes before it skipped, only those skipped since', async () => {
    world = await createWorld();
    await setup(world, { start: '7x24' });
    await tickAt(world, FIRST_SLOT);
    expect(rewatchThreads(world).map((t) => t.name)).toEqual([threadNameOf(4)]);
    let status = await statusText(world);
    expect(status).toContain(`Last thread: <#${rewatchThreads(world)[0]!.id}>.`);
    expect(status).not.toContain('Skipped');
    await moderator(world, 'skip');
    status = await statusText(world);
    expect(status).toContain('Skipped (no thread): 7x25.');
  });

  it('GIVEN a paused schedule THEN no thread opens until resume, which continues at the next slot without late threads', async () => {
    world = await createWorld();
    await setup(world);
    expect(await moderator(world, 'pause')).toBe('Rewatch paused. No threads will be posted until someone runs /rewatch-thread resume.');
    const status = await statusText(world);
    expect(status).toContain('Next: **The Changing Face of Evil** (7x20), once the schedule is resumed.');
    expect(status).toContain(`**Paused:** paused by <@${world.members.sisko.id}>.`);
    // Changing a paused schedule the wrong way gets a short private answer.
    for (const [sub, answer] of [['pause', 'already paused'], ['now', 'The rewatch is paused. Use /rewatch-thread resume first.']] as const) {
      const refused = await rewatch(world, 'sisko', sub);
      expect(refused.ephemeral).toBe(true);
      expect(refused.content).toContain(answer);
    }

    await tickAt(world, FIRST_SLOT);
    await tickAt(world, slot(1, 60 * 60_000));
    expect(rewatchThreads(world)).toHaveLength(0);
    expect(await moderator(world, 'resume')).toBe(`Rewatch resumed. Next: **The Changing Face of Evil** (7x20) on ${when(slot(2))}.`);
    expect((await rewatch(world, 'sisko', 'resume')).content).toBe('The rewatch is not paused.');
    await tickAt(world, slot(2));
    const [thread] = rewatchThreads(world);
    expect(thread?.name).toBe(threadNameOf(0));
    expect(threadTexts(world, thread!)[0]).not.toContain('opens late');
    expect(await statusText(world)).not.toContain('Skipped');
  });

  it('GIVEN a delay of two weeks THEN schedule lists every episode two weeks later and the thread opens then', async () => {
    world = await createWorld();
    await setup(world);
    expect(await scheduleText(world)).toBe(
      [
        `**Coming up in *${plan.name}*** (every Friday at 20:00 UTC):`,
        ...episodes.map((e, i) => `${i + 1}. **${e.title}** (${e.code}): ${timestamp(slot(i))}`),
      ].join('\n'),
    );
    expect(await moderator(world, 'delay', { weeks: 2 })).toBe(`Delayed by 2 weeks. The next thread now opens on ${when(slot(2))}.`);
    const upcoming = (await scheduleText(world)).split('\n').slice(1);
    expect(upcoming).toEqual(episodes.map((e, i) => `${i + 1}. **${e.title}** (${e.code}): ${timestamp(slot(i + 2))}`));
    expect(await statusText(world)).toContain(`Next: **The Changing Face of Evil** (7x20) on ${when(slot(2))}.`);

    await tickAt(world, FIRST_SLOT);
    await tickAt(world, slot(1));
    expect(rewatchThreads(world)).toHaveLength(0);
    await tickAt(world, slot(2));
    expect(rewatchThreads(world).map((t) => t.name)).toEqual([threadNameOf(0)]);
    expect((await scheduleText(world)).split('\n')[1]).toBe(`2. **When It Rains...** (7x21): ${timestamp(slot(3))}`);
  });

  it('GIVEN a running rewatch WHEN a moderator stops it THEN the schedule is gone, no more threads open and the old ones stay', async () => {
    world = await createWorld();
    await setup(world);
    await tickAt(world, FIRST_SLOT);
    expect(await moderator(world, 'stop')).toBe('Rewatch stopped and its schedule removed. The threads already posted stay where they are.');
    expect(await statusText(world)).toContain('This server has no rewatch schedule');
    expect(await scheduleText(world)).toContain('This server has no rewatch schedule');
    await tickAt(world, slot(1));
    await tickAt(world, slot(2));
    expect(rewatchThreads(world).map((t) => [t.name, t.deleted])).toEqual([[threadNameOf(0), false]]);
    expect(botMessages(world, world.channel.id)).toEqual([]);
  });
});
