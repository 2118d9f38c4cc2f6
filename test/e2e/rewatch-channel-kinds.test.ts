// /rewatch-thread in the three kinds of channel setup takes: a text channel (public threads), an announcement
// channel (announcement threads) and a forum (one post per episode, tagged for the plan). The same run, catch-up,
// exactly-once recovery and pause on a deleted channel in each, end to end through the stand-in.
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { SPOILER_RULE } from '../../src/discord/rewatch-render.js';
import type { ChannelInfo } from '../../stand-in/index.js';
import { createWorld, type World } from './world.js';
import {
  MINUTE,
  THREADS_ROUTE,
  botMessages,
  episodes,
  plan,
  rewatch,
  rewatchThreads,
  setup,
  slot,
  statusText,
  threadCreateCalls,
  threadNameOf,
  threadTexts,
  tickAt,
  timestamp,
} from './rewatch-helpers.js';

const SUPPRESS_NOTIFICATIONS = 1 << 12;
const THREAD_CREATE = 110;
const CHANNEL_UPDATE = 11;
/** The default plan's tag: its name before the comma, within Discord's 20 characters. */
const PLAN_TAG = 'The Final Chapter';

// Each test works on its own `w`; `world` is only for closing it, so a test that timed out cannot act on the next one's.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const KINDS = [
  { kind: 'text', channelType: 0, threadType: 11, archive: 10080 },
  { kind: 'announcement', channelType: 5, threadType: 10, archive: 10080 },
  // A forum's posts follow its own default auto-archive (a day here), not the week text channels get.
  { kind: 'forum', channelType: 15, threadType: 11, archive: 1440 },
] as const;
type Kind = (typeof KINDS)[number];

function rewatchChannel(w: World, k: Kind, extra: { availableTags?: { name: string; moderated?: boolean }[]; requireTag?: boolean } = {}): ChannelInfo {
  return w.discord.createChannel(w.guild.id, {
    name: `episodes-${k.kind}`,
    type: k.channelType,
    ...(k.kind === 'forum' ? { defaultAutoArchiveDuration: 1440 as const, availableTags: [{ name: 'Spoilers' }], ...extra } : {}),
  });
}

/** Where a kind of channel gets the closing message: the channel, or in a forum the last episode's post. */
function closingPlace(k: Kind, channel: ChannelInfo, lastThreadId: string): string {
  return k.kind === 'forum' ? lastThreadId : channel.id;
}

const closing = (lastThreadId: string) =>
  `That was the last one: all 6 threads of *${plan.name}* are open, ending with <#${lastThreadId}>.\n` +
  'Thank you for watching along. The threads stay open for as long as you want to keep talking.';

describe.each(KINDS)('/rewatch-thread in a $kind channel', (k) => {
  // Six weeks of ticks with two bot start-ups' worth of work: on a loaded machine this takes longer than most tests.
  it('GIVEN the default plan THEN each episode opens once at its slot, linked both ways, with a quiet hand-over and a closing message', { timeout: 120_000 }, async () => {
    const w = (world = await createWorld());
    const channel = rewatchChannel(w, k);
    const reply = await setup(w, { channel: channel.id });
    expect(reply.content).toContain(`Rewatch scheduled: *${plan.name}* in <#${channel.id}>`);
    expect(reply.content.includes(`tagged "${PLAN_TAG}"`)).toBe(k.kind === 'forum');
    for (let n = 0; n < episodes.length; n++) {
      await tickAt(w, slot(n));
      await tickAt(w, slot(n, MINUTE));
    }

    const threads = rewatchThreads(w, channel.id);
    expect(threads.map((t) => t.name)).toEqual(episodes.map((_, i) => threadNameOf(i)));
    threads.forEach((thread, i) => {
      expect(thread).toMatchObject({ type: k.threadType, autoArchiveDuration: k.archive, archived: false, parentId: channel.id });
      const [starter, ...after] = botMessages(w, thread.id);
      const e = episodes[i]!;
      expect(starter!.content).toContain(`**${e.title}** (${e.code}): episode ${i + 1} of 6 in *${plan.name}*.`);
      expect(starter!.content).toContain(SPOILER_RULE);
      expect(JSON.stringify(starter!.components)).toContain(`"custom_id":"trivia:episode:${e.code}"`);
      if (i > 0) expect(starter!.content).toContain(`Previous episode's thread: <#${threads[i - 1]!.id}>`);
      const next = threads[i + 1];
      const handOver = after.filter((m) => m.content.startsWith('The rewatch has moved on'));
      if (next) {
        expect(handOver.map((m) => m.content)).toEqual([`The rewatch has moved on: ${episodes[i + 1]!.title} (${episodes[i + 1]!.code}) is open for discussion in <#${next.id}>.`]);
        expect(handOver[0]!.flags & SUPPRESS_NOTIFICATIONS).toBe(SUPPRESS_NOTIFICATIONS); // routine: no push notification
      } else {
        expect(handOver).toEqual([]);
      }
      if (k.kind === 'forum') {
        expect(thread.starter?.id).toBe(starter!.id); // a post's first message is part of the post
        expect(thread.appliedTags).toEqual([]); // no tag of that name, and no Manage Channels to add one
      }
    });

    const last = threads[5]!;
    const closingMessages = botMessages(w, closingPlace(k, channel, last.id)).filter((m) => m.content.startsWith('That was the last one'));
    expect(closingMessages.map((m) => m.content)).toEqual([closing(last.id)]);
    expect(closingMessages[0]!.flags & SUPPRESS_NOTIFICATIONS).toBe(0); // the end of the run is news
    if (k.kind !== 'forum') expect(botMessages(w, channel.id)).toHaveLength(1);
    expect(threads.flatMap((t) => t.messages).concat(w.discord.messages(channel.id)).some((m) => m.pingsAnyone)).toBe(false);

    // Every thread or post says in the server's audit log why the bot made it.
    const created = w.discord.auditLog(w.guild.id).filter((e) => e.actionType === THREAD_CREATE);
    expect(created.map((e) => [e.targetId, e.reason])).toEqual(threads.map((t, i) => [t.id, `DS9 rewatch: episode ${episodes[i]!.code} (${episodes[i]!.title})`]));
    expect(await statusText(w)).toContain('Finished: 6 of 6 episodes got a thread.');
    await tickAt(w, slot(7));
    expect(rewatchThreads(w, channel.id)).toHaveLength(6);
  });

  it('GIVEN Discord made the thread but its answer was lost THEN the next tick adopts it: one thread, one starter', async () => {
    const w = (world = await createWorld());
    const channel = rewatchChannel(w, k);
    await setup(w, { channel: channel.id });
    // Discord stores the thread (a forum post with its first message), then the response fails.
    w.discord.failNext({ ...THREADS_ROUTE, status: 500, afterEffect: true });
    await tickAt(w, slot(0));
    expect(rewatchThreads(w, channel.id)).toHaveLength(1);
    expect(await statusText(w)).toContain('Last problem: Discord did not accept the thread yet (Discord error 500).');

    await tickAt(w, slot(0, MINUTE));
    await tickAt(w, slot(0, 5 * MINUTE));
    const [thread, ...more] = rewatchThreads(w, channel.id);
    expect(more).toEqual([]);
    expect(thread!.name).toBe(threadNameOf(0));
    expect(threadTexts(w, thread!)).toHaveLength(1);
    expect(threadTexts(w, thread!)[0]).toContain('**The Changing Face of Evil** (7x20): episode 1 of 6');
    expect(threadCreateCalls(w)).toBe(1);
    const status = await statusText(w);
    expect(status).toContain('Progress: 1 thread posted; next up is episode 2 of 6.');
    expect(status).not.toContain('Last problem');

    await tickAt(w, slot(1));
    const threads = rewatchThreads(w, channel.id);
    expect(threads.map((t) => t.name)).toEqual([threadNameOf(0), threadNameOf(1)]);
    expect(threadTexts(w, threads[1]!)[0]).toContain(`Previous episode's thread: <#${thread!.id}>`);
  });

  it('GIVEN a hand-over notice Discord stored before its answer failed THEN the bot sends it again with the same nonce and one notice shows', async () => {
    const w = (world = await createWorld());
    const channel = rewatchChannel(w, k);
    await setup(w, { channel: channel.id });
    await tickAt(w, slot(0));
    const [first] = rewatchThreads(w, channel.id);
    const messageRoute = new RegExp(`^/api/v10/channels/${first!.id}/messages$`);
    const before = w.discord.requestCounts()['POST /channels/:id/messages'] ?? 0;
    w.discord.failNext({ method: 'POST', path: messageRoute, status: 500, afterEffect: true });
    await tickAt(w, slot(1));
    const [, second] = rewatchThreads(w, channel.id);
    const notices = threadTexts(w, first!).filter((t) => t.startsWith('The rewatch has moved on'));
    expect(notices).toEqual([`The rewatch has moved on: When It Rains... (7x21) is open for discussion in <#${second!.id}>.`]);
    // The first attempt, stored but unanswered, and its repeat: the stand-in returned the stored message.
    const starters = k.kind === 'forum' ? 0 : 1;
    expect((w.discord.requestCounts()['POST /channels/:id/messages'] ?? 0) - before).toBe(starters + 2);
  });

  it('GIVEN the bot was down for three slots THEN it opens only the latest overdue episode, marked late, and lists what it skipped', async () => {
    const w = (world = await createWorld());
    const channel = rewatchChannel(w, k);
    await setup(w, { channel: channel.id });
    await tickAt(w, slot(0));
    await w.bot.stop();
    w.clock.set(slot(3, 2 * 60 * MINUTE));
    const restarted = await w.startAnotherBot();
    await restarted.tick();
    const threads = rewatchThreads(w, channel.id);
    expect(threads.map((t) => t.name)).toEqual([threadNameOf(0), threadNameOf(3)]);
    const [starter] = threadTexts(w, threads[1]!);
    expect(starter).toContain(`This thread was due ${timestamp(slot(3))} and opens late`);
    expect(starter).toContain('these got no thread of their own: When It Rains... (7x21), Tacking Into the Wind (7x22).');
    expect(threadTexts(w, threads[0]!)[1]).toContain(`is open for discussion in <#${threads[1]!.id}>`);
    expect(await statusText(w)).toContain('Skipped (no thread): 7x21, 7x22.');
  });

  it('GIVEN the rewatch channel was deleted THEN the schedule pauses, the system channel is told once, and nothing is posted', async () => {
    const w = (world = await createWorld());
    const channel = rewatchChannel(w, k);
    w.discord.setSystemChannel(w.guild.id, w.channel.id);
    await setup(w, { channel: channel.id });
    await tickAt(w, slot(0));
    w.discord.deleteChannel(channel.id);
    await tickAt(w, slot(1));
    await tickAt(w, slot(2));
    // A forum is read before its post is made, so there the missing channel shows before any thread request.
    expect(threadCreateCalls(w)).toBe(k.kind === 'forum' ? 1 : 2);
    const reason = 'the rewatch channel no longer exists. A moderator can pick another with /rewatch-thread setup (its start option continues from any episode).';
    expect(botMessages(w, w.channel.id).map((m) => m.content)).toEqual([`The weekly rewatch is paused: ${reason}`]);
    const status = await statusText(w);
    expect(status).toContain(`**Paused:** ${reason}`);
    expect(status).toContain('Next: **When It Rains...** (7x21), once the schedule is resumed.');
  });
});

describe('/rewatch-thread setup checks what each kind of channel needs', () => {
  it.each([
    ['text', 'Create Public Threads', PermissionFlagsBits.CreatePublicThreads],
    ['announcement', 'Create Public Threads', PermissionFlagsBits.CreatePublicThreads],
    ['announcement', 'Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
    ['forum', 'Send Messages (Create Posts)', PermissionFlagsBits.SendMessages],
    ['forum', 'Send Messages in Threads', PermissionFlagsBits.SendMessagesInThreads],
    ['forum', 'View Channel', PermissionFlagsBits.ViewChannel],
  ] as const)('GIVEN a %s channel where the bot lacks %s THEN setup names exactly that and saves nothing', async (kind, name, flag) => {
    const w = (world = await createWorld());
    const channel = rewatchChannel(w, KINDS.find((k) => k.kind === kind)!);
    w.discord.setChannelOverwrite(channel.id, { id: w.guild.botRoleId, type: 0, deny: flag });
    const reply = await setup(w, { channel: channel.id });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(`I can't run the rewatch in <#${channel.id}> yet: I'm missing ${name} there. Grant it and run setup again.`);
    expect(await statusText(w)).toContain('This server has no rewatch schedule');
  });

  it('GIVEN a forum where the bot may not create public threads THEN setup still works: posts need Send Messages, not Create Public Threads', async () => {
    const w = (world = await createWorld());
    const forum = rewatchChannel(w, KINDS[2]);
    w.discord.setChannelOverwrite(forum.id, { id: w.guild.botRoleId, type: 0, deny: PermissionFlagsBits.CreatePublicThreads });
    w.discord.setChannelOverwrite(forum.id, { id: w.guild.everyoneRoleId, type: 0, deny: PermissionFlagsBits.CreatePublicThreads });
    expect((await setup(w, { channel: forum.id })).content).toContain('Rewatch scheduled');
    await tickAt(w, slot(0));
    expect(rewatchThreads(w, forum.id).map((t) => t.name)).toEqual([threadNameOf(0)]);
  });

  it('GIVEN a voice channel THEN Discord does not offer it for the option', async () => {
    const w = (world = await createWorld());
    const voice = w.discord.createChannel(w.guild.id, { name: 'holosuite', type: 2 });
    await expect(setup(w, { channel: voice.id })).rejects.toThrow(/channel/i);
  });
});

describe('/rewatch-thread forum tags', () => {
  const forumKind = KINDS[2];

  it('GIVEN the forum has the plan\'s tag (any case) THEN every post carries it and the forum is not changed', async () => {
    const w = (world = await createWorld());
    const forum = rewatchChannel(w, forumKind, { availableTags: [{ name: 'Spoilers' }, { name: 'the final chapter' }] });
    await setup(w, { channel: forum.id });
    await tickAt(w, slot(0));
    await tickAt(w, slot(1));
    expect(rewatchThreads(w, forum.id).map((t) => t.appliedTags)).toEqual([['the final chapter'], ['the final chapter']]);
    expect(w.discord.forumTags(forum.id).map((t) => t.name)).toEqual(['Spoilers', 'the final chapter']);
    expect(w.discord.requestCounts()['PATCH /channels/:id'] ?? 0).toBe(0);
  });

  it('GIVEN no such tag and the bot has Manage Channels THEN it adds the tag once, saying why in the audit log, and tags every post', async () => {
    const w = (world = await createWorld());
    const forum = rewatchChannel(w, forumKind);
    w.discord.setChannelOverwrite(forum.id, { id: w.guild.botRoleId, type: 0, allow: PermissionFlagsBits.ManageChannels });
    await setup(w, { channel: forum.id });
    await tickAt(w, slot(0));
    await tickAt(w, slot(1));
    expect(w.discord.forumTags(forum.id).map((t) => [t.name, t.moderated])).toEqual([['Spoilers', false], [PLAN_TAG, false]]);
    expect(rewatchThreads(w, forum.id).map((t) => t.appliedTags)).toEqual([[PLAN_TAG], [PLAN_TAG]]);
    const updates = w.discord.auditLog(w.guild.id).filter((e) => e.actionType === CHANNEL_UPDATE);
    expect(updates.map((e) => [e.targetId, e.reason])).toEqual([[forum.id, `DS9 rewatch: tag "${PLAN_TAG}" for the rewatch's posts`]]);
  });

  it('GIVEN a forum that requires tags, without the plan\'s tag, and no Manage Channels THEN setup says what to add; with the tag it works', async () => {
    const w = (world = await createWorld());
    const forum = rewatchChannel(w, forumKind, { requireTag: true });
    const refused = await setup(w, { channel: forum.id });
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe(
      `<#${forum.id}> requires a tag on every post, and it has no tag "${PLAN_TAG}" for this rewatch. Add that tag to the forum (or give me Manage Channels there to add it myself) and run setup again.`,
    );
    expect(await statusText(w)).toContain('This server has no rewatch schedule');

    w.discord.setChannelOverwrite(forum.id, { id: w.guild.botRoleId, type: 0, allow: PermissionFlagsBits.ManageChannels });
    expect((await setup(w, { channel: forum.id })).content).toContain('Rewatch scheduled');
    await tickAt(w, slot(0));
    expect(rewatchThreads(w, forum.id).map((t) => t.appliedTags)).toEqual([[PLAN_TAG]]);
  });

  it('GIVEN the forum starts requiring tags after setup and the bot cannot add one THEN the schedule pauses saying how to fix it', async () => {
    const w = (world = await createWorld());
    const forum = rewatchChannel(w, forumKind);
    w.discord.setSystemChannel(w.guild.id, w.channel.id);
    await setup(w, { channel: forum.id });
    await tickAt(w, slot(0));
    const [first] = rewatchThreads(w, forum.id);
    w.discord.updateForum(forum.id, { requireTag: true }); // a moderator switches on 'require tags'
    await tickAt(w, slot(1));
    expect(rewatchThreads(w, forum.id)).toHaveLength(1);
    const reason = `the forum requires a tag on every post and has no tag "${PLAN_TAG}" the bot may use. Add that tag to the forum (or give the bot Manage Channels there); then a moderator can continue with /rewatch-thread resume.`;
    // In a forum the notice goes into the latest post: the forum itself takes no messages.
    expect(threadTexts(w, first!).filter((t) => t.includes('paused'))).toEqual([`The weekly rewatch is paused: ${reason}`]);
    expect(await statusText(w)).toContain(`**Paused:** ${reason}`);
    expect((await rewatch(w, 'sisko', 'resume')).content).toContain('Rewatch resumed');
  });
});
