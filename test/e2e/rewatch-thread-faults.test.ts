// /rewatch-thread end to end when things go wrong: two bot processes on one database, a process that dies
// between creating the thread and recording it, Discord answering 429 or 500, and a deleted channel.
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningBot } from '../../src/bot.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { RewatchRepository } from '../../src/db/repositories/rewatch.js';
import { engines } from '../helpers/databases.js';
import { createWorld, type World } from './world.js';
import {
  MINUTE,
  THREADS_ROUTE,
  botMessages,
  episodes,
  moderator,
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
  when,
} from './rewatch-helpers.js';

let world: World | undefined;
const extraDatabases: Database[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await world?.close();
  world = undefined;
  for (const db of extraDatabases.splice(0)) await db.close();
});

/** A second bot process: on Postgres with its own connection pool, on PGlite sharing the in-memory database. */
async function secondProcess(w: World): Promise<RunningBot> {
  if (!w.database.url) return w.startAnotherBot();
  const own = await openDatabase({ kind: 'postgres', url: w.database.url });
  extraDatabases.push(own);
  return w.startAnotherBot({ database: own });
}

describe.each(engines)('/rewatch-thread with two bot processes ($name)', (engine) => {
  it('GIVEN two processes ticking the same database at every slot THEN each episode gets exactly one thread', async () => {
    world = await createWorld({ engine });
    const other = await secondProcess(world);
    await setup(world);
    for (let n = 0; n < episodes.length; n++) {
      world.clock.set(slot(n));
      await Promise.all([world.bot.tick(), other.tick(), world.bot.tick(), other.tick()]);
    }
    const threads = rewatchThreads(world);
    expect(threads.map((t) => t.name)).toEqual(episodes.map((_, i) => threadNameOf(i)));
    expect(threads.map((t) => threadTexts(world!, t).length)).toEqual([2, 2, 2, 2, 2, 1]);
    expect(threadCreateCalls(world)).toBe(episodes.length);
    expect(await statusText(world)).toContain('Finished: 6 of 6 episodes got a thread.');
  });
});

describe.each(engines)('/rewatch-thread when a process dies after posting ($name)', (engine) => {
  it('GIVEN the thread was created on Discord but never recorded THEN the next process adopts it: no duplicate, links intact', async () => {
    world = await createWorld({ engine });
    await setup(world);
    // The process dies right after Discord created the thread: nothing is recorded and its lease is never given back.
    vi.spyOn(RewatchRepository.prototype, 'completePost').mockRejectedValueOnce(new Error('killed'));
    vi.spyOn(RewatchRepository.prototype, 'release').mockResolvedValueOnce(true);
    await tickAt(world, slot(0));
    vi.restoreAllMocks();
    await world.bot.stop();
    const [orphan] = rewatchThreads(world);
    expect(orphan?.name).toBe(threadNameOf(0));

    const next = await secondProcess(world);
    await tickAt(world, slot(0, MINUTE), next);
    expect(await statusText(world)).toContain('Progress: 0 threads posted; next up is episode 1 of 6.'); // the dead process's lease holds
    await tickAt(world, slot(0, 3 * MINUTE), next);
    expect(rewatchThreads(world).map((t) => t.id)).toEqual([orphan!.id]);
    expect(threadTexts(world, orphan!)).toHaveLength(1);
    const status = await statusText(world);
    expect(status).toContain('Progress: 1 thread posted; next up is episode 2 of 6.');
    expect(status).toContain(`Last thread: <#${orphan!.id}>.`);
    expect(status).toContain(`Next: **When It Rains...** (7x21) on ${when(slot(1))}.`);

    await tickAt(world, slot(1), next);
    const threads = rewatchThreads(world);
    expect(threads.map((t) => t.name)).toEqual([threadNameOf(0), threadNameOf(1)]);
    expect(threadTexts(world, threads[1]!)[0]).toContain(`Previous episode's thread: <#${orphan!.id}>`);
    expect(threadTexts(world, orphan!)[1]).toContain(`<#${threads[1]!.id}>`);
  });
});

describe('/rewatch-thread when Discord fails', () => {
  it('GIVEN Discord answers 500 to the thread THEN the schedule is kept, status shows the problem, and a later tick posts one thread', async () => {
    world = await createWorld();
    await setup(world);
    // One attempt per tick: discord.js does not repeat the POST (the thread may exist after a 500), the next tick does.
    world.discord.failNext({ ...THREADS_ROUTE, status: 500, count: 2 });
    await tickAt(world, slot(0));
    expect(rewatchThreads(world)).toHaveLength(0);
    expect(threadCreateCalls(world)).toBe(1);
    let status = await statusText(world);
    expect(status).toContain('next up is episode 1 of 6');
    expect(status).not.toContain('Paused');
    expect(status).toContain('Last problem: Discord did not accept the thread yet (Discord error 500).');
    expect(status).toContain(`Retrying the post ${timestamp(slot(0, MINUTE), 'R')}.`);

    await tickAt(world, slot(0, MINUTE / 2)); // backoff: not yet
    expect(threadCreateCalls(world)).toBe(1);
    await tickAt(world, slot(0, MINUTE));
    await tickAt(world, slot(0, 2 * MINUTE));
    const threads = rewatchThreads(world);
    expect(threads.map((t) => t.name)).toEqual([threadNameOf(0)]);
    expect(threadTexts(world, threads[0]!)[0]).not.toContain('opens late');
    status = await statusText(world);
    expect(status).toContain('Progress: 1 thread posted; next up is episode 2 of 6.');
    expect(status).not.toContain('Last problem');
    expect(status).not.toContain('Retrying');
  });

  it('GIVEN Discord answers 500 to a moderator\'s now THEN they are told nothing was lost, and trying again posts one thread', async () => {
    world = await createWorld();
    await setup(world);
    world.discord.failNext({ ...THREADS_ROUTE, status: 500, count: 1 });
    const refused = await rewatch(world, 'sisko', 'now');
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe(
      'Discord did not take the thread just now (Discord error 500). Nothing was lost: try again in a minute, or let the schedule post it at its time.',
    );
    expect(rewatchThreads(world)).toHaveLength(0);
    expect(await moderator(world, 'now')).toContain('Thread posted for **The Changing Face of Evil** (7x20) (1 of 6)');
    await tickAt(world, slot(0));
    expect(rewatchThreads(world).map((t) => t.name)).toEqual([threadNameOf(0)]);
  });

  it('GIVEN Discord answers 429 THEN a short retry_after is waited out, a long one is retried on a later tick, and each episode gets one thread', async () => {
    world = await createWorld();
    await setup(world);
    world.discord.failNext({ ...THREADS_ROUTE, status: 429, retryAfter: 0.3 });
    await tickAt(world, slot(0));
    expect(threadCreateCalls(world)).toBe(2);
    expect(rewatchThreads(world).map((t) => t.name)).toEqual([threadNameOf(0)]);
    expect(await statusText(world)).not.toContain('Last problem');

    // A tick sleeping through a long rate limit would outlive its two-minute lease, and a process taking the
    // schedule over would post the same thread again. So the post fails at once and is retried with backoff.
    world.discord.failNext({ ...THREADS_ROUTE, status: 429, retryAfter: 300 });
    await tickAt(world, slot(1));
    expect(rewatchThreads(world)).toHaveLength(1);
    let status = await statusText(world);
    expect(status).toMatch(/Last problem: Discord did not accept the thread yet \(rate limited for 30\d s\)/);
    expect(status).toContain(`Retrying the post ${timestamp(slot(1, MINUTE), 'R')}.`);
    expect(status).not.toContain('Paused');

    await tickAt(world, slot(1, MINUTE));
    expect(threadCreateCalls(world)).toBe(4);
    expect(rewatchThreads(world).map((t) => t.name)).toEqual([threadNameOf(0), threadNameOf(1)]);
    status = await statusText(world);
    expect(status).toContain('Progress: 2 threads posted; next up is episode 3 of 6.');
    expect(status).not.toContain('Last problem');
  });

  it('GIVEN the rewatch channel was deleted THEN the schedule pauses with the reason in status, the system channel is told once, and nothing is posted', async () => {
    world = await createWorld();
    const gone = world.discord.createChannel(world.guild.id, { name: 'rewatch' });
    world.discord.setSystemChannel(world.guild.id, world.channel.id);
    await setup(world, { channel: gone.id });
    world.discord.deleteChannel(gone.id);
    await tickAt(world, slot(0));
    await tickAt(world, slot(1));
    expect(world.discord.threads(world.guild.id)).toHaveLength(0);
    expect(threadCreateCalls(world)).toBe(1);
    const reason = 'the rewatch channel no longer exists. A moderator can pick another with /rewatch-thread setup (its start option continues from any episode).';
    expect(botMessages(world, world.channel.id).map((m) => m.content).filter((c) => c.includes('paused'))).toEqual([
      `The weekly rewatch is paused: ${reason}`,
    ]);
    const status = await statusText(world);
    expect(status).toContain(`**Paused:** ${reason}`);
    expect(status).toContain('Next: **The Changing Face of Evil** (7x20), once the schedule is resumed.');
  });

  it('GIVEN the bot lost Create Public Threads THEN the schedule pauses, the channel is told why, and resume continues after the fix', async () => {
    world = await createWorld();
    await setup(world);
    world.discord.setChannelOverwrite(world.channel.id, { id: world.guild.botRoleId, type: 0, deny: PermissionFlagsBits.CreatePublicThreads });
    await tickAt(world, slot(0));
    expect(rewatchThreads(world)).toHaveLength(0);
    const reason = 'the bot lacks a permission in the rewatch channel. It needs View Channel, Send Messages, Create Public Threads and Send Messages in Threads there; then a moderator can continue with /rewatch-thread resume.';
    expect(botMessages(world, world.channel.id).map((m) => m.content)).toEqual([
      `The weekly rewatch is paused: ${reason}`,
    ]);
    expect(await statusText(world)).toContain(`**Paused:** ${reason}`);

    world.discord.setChannelOverwrite(world.channel.id, { id: world.guild.botRoleId, type: 0, deny: 0n });
    world.clock.set(slot(0, 60 * MINUTE));
    expect(await moderator(world, 'resume')).toContain(`on ${when(slot(1))}`);
    await tickAt(world, slot(1));
    expect(rewatchThreads(world).map((t) => t.name)).toEqual([threadNameOf(0)]);
    expect(await statusText(world)).not.toContain('Paused');
  });
});
