// /rewatch-thread end to end, the schedule running: a whole plan week by week on the ManualClock, and a
// bot that was offline for weeks catching up with one late thread.
import { afterEach, describe, expect, it } from 'vitest';
import { SPOILER_RULE, formatAirDate } from '../../src/discord/rewatch-render.js';
import { createWorld, type World } from './world.js';
import {
  MINUTE,
  botMessages,
  episodes,
  plan,
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

describe('/rewatch-thread running week by week', () => {
  it('GIVEN the default plan THEN every episode gets one thread at its slot, in order, linked both ways, then a closing message and the schedule ends', async () => {
    world = await createWorld();
    await setup(world);
    for (let n = 0; n < episodes.length; n++) {
      await tickAt(world, slot(n, -MINUTE));
      expect(rewatchThreads(world)).toHaveLength(n);
      await tickAt(world, slot(n));
      await tickAt(world, slot(n, MINUTE)); // the next minute's tick finds nothing more to do
      expect(rewatchThreads(world)).toHaveLength(n + 1);
      if (n === 2) {
        const status = await statusText(world);
        expect(status).toContain('Progress: 3 threads posted; next up is episode 4 of 6.');
        expect(status).toContain(`Next: **Extreme Measures** (7x23) on ${when(slot(3))}.`);
        expect(status).toContain(`Last thread: <#${rewatchThreads(world)[2]!.id}>.`);
        expect(status).not.toContain('Last problem');
        expect((await scheduleText(world)).split('\n')[1]).toBe(`4. **Extreme Measures** (7x23): ${timestamp(slot(3))}`);
      }
    }

    const threads = rewatchThreads(world);
    expect(threads.map((t) => t.name)).toEqual(episodes.map((_, i) => threadNameOf(i)));
    threads.forEach((thread, i) => {
      const e = episodes[i]!;
      const [starter, handOver, ...rest] = threadTexts(world!, thread);
      expect(thread).toMatchObject({ type: 11, autoArchiveDuration: 10080, archived: false });
      expect(starter).toContain(`**${e.title}** (${e.code}): episode ${i + 1} of 6 in *${plan.name}*.`);
      expect(starter).toContain(`Originally aired ${formatAirDate(e.airDate)}.`);
      for (const prompt of e.prompts) expect(starter).toContain(`- ${prompt}`);
      expect(starter).toContain(SPOILER_RULE);
      expect(starter).not.toContain('opens late');
      if (i > 0) expect(starter).toContain(`Previous episode's thread: <#${threads[i - 1]!.id}>`);
      else expect(starter).not.toContain('Previous episode');
      const next = threads[i + 1];
      if (next) {
        const n = episodes[i + 1]!;
        expect(handOver).toBe(`The rewatch has moved on: ${n.title} (${n.code}) is open for discussion in <#${next.id}>.`);
      } else {
        expect(handOver).toBeUndefined();
      }
      expect(rest).toEqual([]);
    });
    expect(botMessages(world, world.channel.id).map((m) => m.content)).toEqual([
      `That was the last one: all 6 threads of *${plan.name}* are open, ending with <#${threads[5]!.id}>.\n` +
        'Thank you for watching along. The threads stay open for as long as you want to keep talking.',
    ]);
    expect(world.discord.messages(world.channel.id).concat(threads.flatMap((t) => t.messages)).some((m) => m.pingsAnyone)).toBe(false);

    const status = await statusText(world);
    expect(status).toContain('Finished: 6 of 6 episodes got a thread.');
    expect(status).toContain(`Last thread: <#${threads[5]!.id}>.`);
    expect(await scheduleText(world)).toBe(`*${plan.name}* has finished: every episode has had its thread.`);
    await tickAt(world, slot(6));
    await tickAt(world, slot(8));
    expect(rewatchThreads(world)).toHaveLength(6);
    expect(botMessages(world, world.channel.id)).toHaveLength(1);
  });
});

describe('/rewatch-thread after downtime', () => {
  it('GIVEN the bot was down for three slots THEN on start it posts only the latest overdue episode, marked late, and status says what was skipped', async () => {
    world = await createWorld();
    await setup(world);
    await tickAt(world, slot(0));
    const [first] = rewatchThreads(world);
    await world.bot.stop();

    world.clock.set(slot(3, 2 * 60 * MINUTE));
    const restarted = await world.startAnotherBot();
    await restarted.tick(); // waits for the start-up catch-up, which already did the work
    const threads = rewatchThreads(world);
    expect(threads.map((t) => t.name)).toEqual([threadNameOf(0), threadNameOf(3)]);
    const [starter] = threadTexts(world, threads[1]!);
    expect(starter).toContain(`This thread was due ${timestamp(slot(3))} and opens late`);
    expect(starter).toContain('these got no thread of their own: When It Rains... (7x21), Tacking Into the Wind (7x22).');
    expect(starter).toContain(`Previous episode's thread: <#${first!.id}>`);
    expect(threadTexts(world, first!)[1]).toContain(`is open for discussion in <#${threads[1]!.id}>`);

    const status = await statusText(world);
    expect(status).toContain('Progress: 2 threads posted; next up is episode 5 of 6.');
    expect(status).toContain(`Next: **The Dogs of War** (7x24) on ${when(slot(4))}.`);
    expect(status).toContain('Opened late: 7x23.');
    expect(status).toContain('Skipped (no thread): 7x21, 7x22.');
    expect(status).toContain('Last problem: 3 weekly slots went by without a post');

    await tickAt(world, slot(4), restarted);
    expect(rewatchThreads(world).map((t) => t.name).at(-1)).toBe(threadNameOf(4));
    expect(threadTexts(world, rewatchThreads(world)[2]!)[0]).not.toContain('opens late');
  });
});
