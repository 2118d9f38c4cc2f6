// The rewatch scheduler end to end below Discord: the real service, publisher, scheduler and repository on
// every database engine, a ManualClock, and an in-memory Discord behind the ThreadPoster port.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { loadContent, type Content } from '../../src/content/index.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { LEASE_MS, RewatchRepository } from '../../src/db/repositories/rewatch.js';
import { explainRefusal } from '../../src/discord/refusals.js';
import { rewatchTexts } from '../../src/discord/rewatch-render.js';
import { Refusal, UserError } from '../../src/errors.js';
import {
  DeliveryError,
  EpisodePublisher,
  RewatchScheduler,
  RewatchService,
  type ExistingThread,
  type RunOutcome,
  type ThreadPoster,
} from '../../src/rewatch/index.js';
import { rewatchSchedules } from '../../src/db/schema.js';
import { engines, type TestDatabase } from '../helpers/databases.js';

const CHANNEL = '600000000000000001';
const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;
// Wednesday 4 March 2026, 12:00 in Berlin; the rewatch runs Thursdays 19:30 Berlin time (18:30 UTC in winter).
const START = new Date('2026-03-04T11:00:00Z');

interface FakeThread {
  id: string;
  guildId: string;
  channelId: string;
  name: string;
  messages: string[];
}

/** An in-memory Discord: threads, channel messages, scripted failures. Shared by every poster made from it. */
class FakeDiscord {
  threads: FakeThread[] = [];
  channelMessages = new Map<string, string[]>();
  notices: { guildId: string; channelId: string; content: string }[] = [];
  deletedChannels = new Set<string>();
  /** The episode each thread's Play button is for. */
  starterEpisodes = new Map<string, string>();
  createCalls = 0;
  private failures: { op: 'create' | 'find' | 'message'; error: DeliveryError }[] = [];
  private seq = 700000000000000000n;
  /** When set, createThread waits for this before answering (to hold a tick in progress). */
  gate: Promise<void> | null = null;

  failNext(op: 'create' | 'find' | 'message', error: DeliveryError, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push({ op, error });
  }

  private maybeFail(op: 'create' | 'find' | 'message', channelId: string): void {
    if (this.deletedChannels.has(channelId)) throw DeliveryError.channelUnusable('the rewatch channel no longer exists.');
    const i = this.failures.findIndex((f) => f.op === op);
    if (i >= 0) throw this.failures.splice(i, 1)[0]!.error;
  }

  poster(): ThreadPoster {
    return {
      createThread: async ({ guildId, channelId, name, starter }) => {
        this.createCalls++;
        if (this.gate) await this.gate;
        this.maybeFail('create', channelId);
        const thread = { id: String(++this.seq), guildId, channelId, name, messages: [] as string[] };
        this.threads.push(thread);
        this.maybeFail('message', thread.id);
        thread.messages.push(starter.content);
        this.starterEpisodes.set(thread.id, starter.episodeCode);
        return { threadId: thread.id };
      },
      postStarter: async (threadId, starter) => {
        this.maybeFail('message', threadId);
        this.threads.find((t) => t.id === threadId)?.messages.push(starter.content);
        this.starterEpisodes.set(threadId, starter.episodeCode);
      },
      findThreads: async ({ channelId, name }): Promise<ExistingThread[]> => {
        this.maybeFail('find', channelId);
        return this.threads.filter((t) => t.channelId === channelId && t.name === name).map((t) => ({ threadId: t.id, hasMessages: t.messages.length > 0 }));
      },
      postMessage: async (channelId, { content }) => {
        this.maybeFail('message', channelId);
        const thread = this.threads.find((t) => t.id === channelId);
        if (thread) thread.messages.push(content);
        else this.channelMessages.set(channelId, [...(this.channelMessages.get(channelId) ?? []), content]);
      },
      notifyProblem: async ({ guildId, channelId, message }) => {
        if (channelId === null || this.deletedChannels.has(channelId)) return false;
        this.notices.push({ guildId, channelId, content: message.content });
        return true;
      },
    };
  }
}

describe.each(engines)('rewatch scheduling on $name', (engine) => {
  let database: TestDatabase;
  let content: Content;
  let guildSeq = 0;
  const extra: Database[] = [];

  beforeAll(async () => {
    database = await engine.open();
    content = loadContent();
  });
  afterEach(async () => {
    await Promise.all(extra.splice(0).map((d) => d.close()));
  });
  afterAll(async () => database?.dispose());

  function bot(discord: FakeDiscord, clock: ManualClock, db = database.db) {
    const repository = new RewatchRepository(db);
    const publisher = new EpisodePublisher({ repository, poster: discord.poster(), plans: content.plans, texts: rewatchTexts });
    const service = worded(new RewatchService({ repository, publisher, plans: content.plans, defaultPlan: content.defaultPlan, texts: rewatchTexts }));
    const scheduler = new RewatchScheduler({ repository, publisher, clock });
    return { repository, publisher, service, scheduler };
  }

  async function world(options: { planId?: string; start?: string } = {}) {
    // Every scheduler ticks every due schedule in the database: start each test with none from the others.
    await database.db.delete(rewatchSchedules);
    const guildId = `8000000000000${String(++guildSeq).padStart(5, '0')}`;
    const clock = new ManualClock(START);
    const discord = new FakeDiscord();
    const b = bot(discord, clock);
    const setup = await b.service.setup({
      guildId,
      channelId: CHANNEL,
      channelKind: 'text',
      weekday: 4,
      time: '19:30',
      timeZone: 'Europe/Berlin',
      planId: options.planId ?? null,
      startCode: options.start ?? null,
      userId: 'mod',
      now: clock.now(),
    });
    return { guildId, clock, discord, ...b, setup };
  }

  const posted = (outcomes: RunOutcome[]) => outcomes.filter((o): o is Extract<RunOutcome, { kind: 'posted' }> => o.kind === 'posted');
  const mine = (outcomes: RunOutcome[], guildId: string) => outcomes.filter((o) => o.guildId === guildId);

  it('GIVEN a fresh setup THEN the first run is the next Thursday 19:30 Berlin time and nothing posts before it', async () => {
    const w = await world();
    expect(w.setup.nextRunAt).toEqual(new Date('2026-03-05T18:30:00Z'));
    expect(w.setup.firstEpisode.code).toBe('7x20');
    w.clock.set(new Date('2026-03-05T18:29:00Z'));
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toEqual([]);
    expect(w.discord.threads).toEqual([]);
  });

  it('GIVEN the default plan WHEN every week ticks THEN six threads open in order, each linked, and the run closes', async () => {
    const w = await world();
    const total = content.defaultPlan.episodes.length;
    for (let week = 0; week < total; week++) {
      const schedule = await w.repository.scheduleForGuild(w.guildId);
      w.clock.set(new Date(schedule!.nextRunAt.getTime() + 20_000));
      const outcomes = posted(mine(await w.scheduler.tick(w.clock.now()), w.guildId));
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({ episodeIndex: week, late: false, skipped: [], finished: week === total - 1 });
      // A second tick in the same minute finds nothing to do.
      expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toEqual([]);
    }
    const names = w.discord.threads.map((t) => t.name);
    expect(names).toEqual(content.defaultPlan.episodes.map((e, i) => `Rewatch ${i + 1}/${total}: ${e.title} (${e.code})`));
    const [first, second] = w.discord.threads;
    expect(first!.messages[0]).toContain(content.defaultPlan.episodes[0]!.prompts[0]!);
    expect(first!.messages[0]).not.toContain('Previous episode');
    expect(second!.messages[0]).toContain(`<#${first!.id}>`);
    expect(first!.messages[1]).toContain(`<#${second!.id}>`);
    const last = w.discord.threads.at(-1)!;
    expect(w.discord.channelMessages.get(CHANNEL)?.at(-1)).toContain(`<#${last.id}>`);
    const schedule = await w.repository.scheduleForGuild(w.guildId);
    expect(schedule).toMatchObject({ status: 'finished', lastThreadId: last.id, nextIndex: total });
    expect(await w.repository.watchedThrough(w.guildId)).toBe('7x25');
    w.clock.advance(3 * WEEK);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toEqual([]);
    expect(w.discord.threads).toHaveLength(total);
  });

  it('GIVEN the bot was down for three slots WHEN it comes back THEN it posts only the latest overdue episode, late, and says what it skipped', async () => {
    const w = await world();
    w.clock.set(new Date(w.setup.nextRunAt.getTime() + MINUTE));
    await w.scheduler.tick(w.clock.now());
    expect(w.discord.threads).toHaveLength(1);
    // Down from just after the first thread until an hour after the fourth slot.
    w.clock.set(new Date(w.setup.nextRunAt.getTime() + 3 * WEEK + 60 * MINUTE));
    const outcomes = posted(mine(await w.scheduler.tick(w.clock.now()), w.guildId));
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ episodeIndex: 3, late: true });
    expect(outcomes[0]!.skipped.map((e) => e.code)).toEqual(['7x21', '7x22']);
    expect(w.discord.threads).toHaveLength(2);
    expect(w.discord.threads[1]!.messages[0]).toMatch(/opens late/);
    expect(w.discord.threads[1]!.messages[0]).toContain('7x21');
    // No burst: the following minutes post nothing, and the schedule moved past the missed weeks.
    w.clock.advance(MINUTE);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toEqual([]);
    const status = await w.service.status(w.guildId, w.clock.now());
    expect(status).toMatchObject({ postedCount: 2, skippedCodes: ['7x21', '7x22'], lateCodes: ['7x23'] });
    expect(status.schedule.lastError).toMatch(/skipped 7x21, 7x22/);
    // Four weeks on, Berlin is on summer time: still 19:30 local.
    expect(status.nextRunAt).toEqual(new Date('2026-04-02T17:30:00Z'));
    expect(status.nextEpisode?.code).toBe('7x24');
  });

  it('GIVEN downtime longer than the rest of the plan THEN the last episode posts late and the run finishes', async () => {
    const w = await world();
    w.clock.set(new Date(w.setup.nextRunAt.getTime() + 20 * WEEK));
    const outcomes = posted(mine(await w.scheduler.tick(w.clock.now()), w.guildId));
    expect(outcomes).toMatchObject([{ episodeIndex: 5, late: true, finished: true }]);
    expect(w.discord.threads).toHaveLength(1);
  });

  it('GIVEN Discord answers 500 and then 429 THEN the schedule is kept and later ticks retry with backoff until one thread is up', async () => {
    const w = await world();
    w.discord.failNext('create', DeliveryError.retryable('Discord error 500'));
    w.discord.failNext('create', DeliveryError.retryable('rate limited'));
    const due = w.setup.nextRunAt.getTime();
    w.clock.set(new Date(due));
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'retry-later', detail: 'Discord error 500' }]);
    let status = await w.service.status(w.guildId, w.clock.now());
    expect(status.schedule).toMatchObject({ status: 'active', nextIndex: 0 });
    expect(status.schedule.lastError).toMatch(/500/);
    expect(status.retryingAt).toEqual(new Date(due + MINUTE));

    w.clock.set(new Date(due + 30_000));
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'waiting' }]);
    w.clock.set(new Date(due + MINUTE));
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'retry-later', detail: 'rate limited' }]);
    w.clock.set(new Date(due + 2 * MINUTE));
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'posted', episodeIndex: 0, late: false }]);
    expect(w.discord.threads).toHaveLength(1);
    expect(w.discord.createCalls).toBe(3);
    status = await w.service.status(w.guildId, w.clock.now());
    expect(status.schedule.lastError).toBeNull();
    expect(status.retryingAt).toBeNull();
  });

  it('GIVEN a 500 that came after Discord had created the thread THEN the retry finds it and posts no second one', async () => {
    const w = await world();
    w.discord.failNext('message', DeliveryError.retryable('Discord error 502'));
    w.clock.set(w.setup.nextRunAt);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'retry-later' }]);
    expect(w.discord.threads).toHaveLength(1);
    expect(w.discord.threads[0]!.messages).toEqual([]);
    w.clock.advance(MINUTE);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'posted', reconciled: true }]);
    expect(w.discord.threads).toHaveLength(1);
    expect(w.discord.threads[0]!.messages[0]).toContain('7x20');
  });

  it('GIVEN the bot lost a permission THEN the schedule pauses with the reason, tells the server, and resumes at the next slot', async () => {
    const w = await world();
    const reason = 'the bot lacks a permission in the rewatch channel.';
    w.discord.failNext('create', DeliveryError.channelUnusable(reason));
    w.clock.set(w.setup.nextRunAt);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'paused', reason, notified: true }]);
    expect(w.discord.notices[0]?.content).toContain(reason);
    const status = await w.service.status(w.guildId, w.clock.now());
    expect(status.schedule).toMatchObject({ status: 'paused', pauseReason: reason });
    expect(status.nextRunAt).toBeNull();
    w.clock.advance(2 * WEEK);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toEqual([]);
    const resumed = await w.service.resume(w.guildId, w.clock.now());
    expect(resumed.next?.code).toBe('7x20');
    expect(resumed.schedule.nextRunAt).toEqual(new Date(w.setup.nextRunAt.getTime() + 3 * WEEK));
    w.clock.set(resumed.schedule.nextRunAt);
    expect(posted(mine(await w.scheduler.tick(w.clock.now()), w.guildId))).toMatchObject([{ episodeIndex: 0, late: false, skipped: [] }]);
  });

  it('GIVEN the channel was deleted THEN the schedule pauses and no message can be sent there', async () => {
    const w = await world();
    w.discord.deletedChannels.add(CHANNEL);
    w.clock.set(w.setup.nextRunAt);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'paused', notified: false }]);
    expect((await w.service.status(w.guildId, w.clock.now())).schedule.pauseReason).toMatch(/no longer exists/);
    expect(w.discord.threads).toEqual([]);
  });

  it('GIVEN a crash after Discord created the thread but before it was recorded THEN the next process reconciles without a duplicate', async () => {
    const w = await world();
    class CrashingRepository extends RewatchRepository {
      override async completePost(): Promise<never> {
        throw new Error('process died');
      }
      override async release(): Promise<never> {
        throw new Error('process died');
      }
    }
    const crashing = new CrashingRepository(database.db);
    const doomed = new RewatchScheduler({
      repository: crashing,
      publisher: new EpisodePublisher({ repository: crashing, poster: w.discord.poster(), plans: content.plans, texts: rewatchTexts }),
      clock: w.clock,
    });
    w.clock.set(w.setup.nextRunAt);
    expect(mine(await doomed.tick(w.clock.now()), w.guildId)).toEqual([]);
    expect(w.discord.threads).toHaveLength(1);
    expect((await w.repository.pendingIntent(w.setup.schedule.id, w.setup.schedule.generation))?.episodeIndex).toBe(0);

    // While the dead process's lease lasts, nobody touches the schedule; afterwards a healthy one reconciles.
    w.clock.advance(MINUTE);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toEqual([]);
    w.clock.advance(LEASE_MS);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toMatchObject([{ kind: 'posted', episodeIndex: 0, reconciled: true }]);
    expect(w.discord.threads).toHaveLength(1);
    expect((await w.repository.scheduleForGuild(w.guildId))).toMatchObject({ nextIndex: 1, lastThreadId: w.discord.threads[0]!.id });
  });

  it('GIVEN two bot processes ticking one database THEN every episode gets exactly one thread', async () => {
    const w = await world();
    let second: Database | null = null;
    if (database.url) {
      second = await openDatabase({ kind: 'postgres', url: database.url, maxConnections: 4 });
      extra.push(second);
    }
    const other = bot(w.discord, w.clock, second?.db ?? database.db);
    const total = content.defaultPlan.episodes.length;
    for (let week = 0; week < total; week++) {
      const schedule = await w.repository.scheduleForGuild(w.guildId);
      w.clock.set(new Date(schedule!.nextRunAt.getTime() + 5_000));
      const [a, b] = await Promise.all([w.scheduler.tick(w.clock.now()), other.scheduler.tick(w.clock.now())]);
      expect(posted([...mine(a, w.guildId), ...mine(b, w.guildId)])).toHaveLength(1);
    }
    expect(w.discord.threads.map((t) => t.name)).toHaveLength(total);
    expect(new Set(w.discord.threads.map((t) => t.name)).size).toBe(total);
    expect(w.discord.createCalls).toBe(total);
  });

  it('GIVEN more schedules due in one minute than a page THEN one tick posts them all, and one that fails is tried once', async () => {
    const w = await world();
    const scheduler = new RewatchScheduler({ repository: w.repository, publisher: w.publisher, clock: w.clock, batchSize: 4 });
    const guilds = [w.guildId];
    for (let i = 0; i < 10; i++) {
      const guildId = `8100000000000${String(++guildSeq).padStart(5, '0')}`;
      await w.service.setup({ guildId, channelId: CHANNEL, channelKind: 'text', weekday: 4, time: '19:30', timeZone: 'Europe/Berlin', planId: null, startCode: null, userId: 'mod', now: w.clock.now() });
      guilds.push(guildId);
    }
    const schedule = await w.repository.scheduleForGuild(w.guildId);
    w.clock.set(new Date(schedule!.nextRunAt.getTime() + 5_000));
    w.discord.failNext('create', DeliveryError.retryable('Discord error 500'));

    const outcomes = await scheduler.tick(w.clock.now());
    expect(outcomes.map((o) => o.guildId).sort()).toEqual([...guilds].sort());
    expect(posted(outcomes)).toHaveLength(guilds.length - 1);
    expect(outcomes.filter((o) => o.kind === 'retry-later')).toHaveLength(1);
    expect(w.discord.createCalls).toBe(guilds.length);
    expect(new Set(w.discord.threads.map((t) => t.guildId)).size).toBe(guilds.length - 1);
  });

  it('GIVEN "now" a day before the slot THEN the thread opens at once and takes that slot; the schedule continues a week later', async () => {
    const w = await world({ start: '7x22' });
    const outcome = await w.service.postNow(w.guildId, w.clock.now());
    const weekAfter = new Date(w.setup.nextRunAt.getTime() + WEEK);
    expect(outcome).toMatchObject({ episodeIndex: 2, late: false, nextRunAt: weekAfter });
    expect(w.discord.threads[0]!.name).toBe('Rewatch 3/6: Tacking Into the Wind (7x22)');
    w.clock.set(w.setup.nextRunAt);
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toEqual([]);
    w.clock.set(weekAfter);
    expect(posted(mine(await w.scheduler.tick(w.clock.now()), w.guildId))).toMatchObject([{ episodeIndex: 3 }]);
    // Right after a scheduled thread, "now" opens the next one as an extra and leaves next week's slot as it was.
    w.clock.advance(MINUTE);
    expect(await w.service.postNow(w.guildId, w.clock.now())).toMatchObject({ episodeIndex: 4, nextRunAt: new Date(weekAfter.getTime() + WEEK) });
    await w.service.pause(w.guildId, 'mod', w.clock.now());
    await expect(w.service.postNow(w.guildId, w.clock.now())).rejects.toThrow(/paused/);
  });

  it('GIVEN skip, pause, resume and delay THEN the schedule moves as asked and the upcoming list follows', async () => {
    const w = await world();
    const skipped = await w.service.skip(w.guildId, w.clock.now());
    expect(skipped.skipped.code).toBe('7x20');
    expect(skipped.next?.code).toBe('7x21');
    const delayed = await w.service.delay(w.guildId, 2, w.clock.now());
    expect(delayed.nextRunAt).toEqual(new Date(w.setup.nextRunAt.getTime() + 2 * WEEK));
    const upcoming = await w.service.upcoming(w.guildId, w.clock.now());
    expect(upcoming.episodes.map((u) => u.episode.code)).toEqual(['7x21', '7x22', '7x23', '7x24', '7x25']);
    // Berlin moves to summer time on 29 March: the slot stays 19:30 local, so 17:30 UTC.
    expect(upcoming.episodes[1]!.at).toEqual(new Date('2026-03-26T18:30:00Z'));
    expect(upcoming.episodes[2]!.at).toEqual(new Date('2026-04-02T17:30:00Z'));
    await w.service.pause(w.guildId, 'mod', w.clock.now());
    await expect(w.service.pause(w.guildId, 'mod', w.clock.now())).rejects.toThrow(/already paused/);
    w.clock.set(new Date(delayed.nextRunAt.getTime() + MINUTE));
    expect(mine(await w.scheduler.tick(w.clock.now()), w.guildId)).toEqual([]);
    const resumed = await w.service.resume(w.guildId, w.clock.now());
    expect(resumed.schedule.nextRunAt).toEqual(new Date(delayed.nextRunAt.getTime() + WEEK));
    for (let i = 0; i < 5; i++) await w.service.skip(w.guildId, w.clock.now());
    expect((await w.repository.scheduleForGuild(w.guildId))?.status).toBe('finished');
    await expect(w.service.skip(w.guildId, w.clock.now())).rejects.toThrow(/finished/);
    await w.service.stop(w.guildId, w.clock.now());
    await expect(w.service.status(w.guildId, w.clock.now())).rejects.toBeInstanceOf(UserError);
  });

  it('GIVEN bad input to setup THEN it is refused with an example', async () => {
    const w = await world();
    const base = { guildId: w.guildId, channelId: CHANNEL, channelKind: 'text' as const, weekday: 4, time: '19:30', timeZone: 'Europe/Berlin', userId: 'mod', now: w.clock.now() };
    await expect(w.service.setup({ ...base, time: '25:00' })).rejects.toThrow(/for example 19:30/);
    await expect(w.service.setup({ ...base, timeZone: 'Mars/Olympus' })).rejects.toThrow(/Europe\/Berlin/);
    await expect(w.service.setup({ ...base, timeZone: 'EST' })).rejects.toBeInstanceOf(UserError);
    await expect(w.service.setup({ ...base, planId: 'nope' })).rejects.toThrow(/final-chapter/);
    await expect(w.service.setup({ ...base, startCode: '1x01' })).rejects.toThrow(/not part of/);
    const ok = await w.service.setup({ ...base, time: '7:05pm', timeZone: 'america/new_york', planId: 'bookends', startCode: '7x25' });
    expect(ok).toMatchObject({ replaced: true, firstIndex: 1, schedule: { hour: 19, minute: 5, timeZone: 'America/New_York', generation: 2 } });
  });

  it('GIVEN a setup replaced mid-run THEN the new run starts clean and reuses no thread of the old one', async () => {
    const w = await world();
    w.clock.set(w.setup.nextRunAt);
    await w.scheduler.tick(w.clock.now());
    const again = await w.service.setup({ guildId: w.guildId, channelId: CHANNEL, channelKind: 'text', weekday: 4, time: '19:30', timeZone: 'Europe/Berlin', userId: 'mod', now: w.clock.now() });
    expect(again.schedule.generation).toBe(2);
    expect(await w.repository.watchedThrough(w.guildId)).toBeNull();
    w.clock.set(again.nextRunAt);
    expect(posted(mine(await w.scheduler.tick(w.clock.now()), w.guildId))).toMatchObject([{ episodeIndex: 0, reconciled: false }]);
    expect(w.discord.threads).toHaveLength(2);
    expect(w.discord.threads[1]!.messages[0]).not.toContain('Previous episode');
  });

  it('GIVEN a tick in progress WHEN the scheduler stops THEN stop waits for it to finish', async () => {
    const w = await world();
    let open!: () => void;
    w.discord.gate = new Promise<void>((resolve) => (open = resolve));
    w.clock.set(w.setup.nextRunAt);
    const tick = w.scheduler.tick(w.clock.now());
    await until(() => w.discord.createCalls === 1);
    let stopped = false;
    const stopping = w.scheduler.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    open();
    await stopping;
    expect(posted(mine(await tick, w.guildId))).toHaveLength(1);
    expect(await w.scheduler.tick(w.clock.now())).toEqual([]);
  });
});

/** The service as members meet it: a refusal arrives worded, as the error boundary words it. */
function worded<T extends object>(service: T): T {
  const explain = (error: unknown) => {
    throw error instanceof Refusal ? new UserError(explainRefusal(error)) : error;
  };
  return new Proxy(service, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        return result instanceof Promise ? result.catch(explain) : result;
      };
    },
  });
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
