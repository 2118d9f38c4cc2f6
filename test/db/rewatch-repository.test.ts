import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_MS, RewatchRepository, type ScheduleSetup } from '../../src/db/repositories/rewatch.js';
import { engines, type TestDatabase } from '../helpers/databases.js';

const T0 = new Date('2026-03-05T18:30:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const WEEK_MIN = 7 * 24 * 60;

describe.each(engines)('RewatchRepository on $name', (engine) => {
  let database: TestDatabase;
  let repo: RewatchRepository;
  let guildSeq = 0;
  const newGuild = () => `4000000000000${String(++guildSeq).padStart(5, '0')}`;

  beforeAll(async () => {
    database = await engine.open();
    repo = new RewatchRepository(database.db);
  });
  afterAll(async () => database?.dispose());

  const setupFor = (guildId: string, over: Partial<ScheduleSetup> = {}): ScheduleSetup => ({
    guildId,
    channelId: '500000000000000001',
    planId: 'final-chapter',
    weekday: 4,
    hour: 19,
    minute: 30,
    timeZone: 'Europe/Berlin',
    nextIndex: 0,
    nextRunAt: T0,
    createdBy: 'mod',
    ...over,
  });

  async function newSchedule(over: Partial<ScheduleSetup> = {}) {
    const saved = await repo.saveSchedule(setupFor(newGuild(), over), at(-60));
    if (!saved) throw new Error('not saved');
    return saved.schedule;
  }

  it('GIVEN a schedule in a forum THEN its channel kind is kept, replaced by the next setup, and text when not given', async () => {
    const guildId = newGuild();
    const forum = await repo.saveSchedule(setupFor(guildId, { channelKind: 'forum' }), at(-60));
    expect(forum?.schedule.channelKind).toBe('forum');
    expect((await repo.scheduleForGuild(guildId))?.channelKind).toBe('forum');
    const replaced = await repo.saveSchedule(setupFor(guildId, { channelKind: 'announcement', channelId: '500000000000000002' }), at(-30));
    expect(replaced).toMatchObject({ replaced: true, schedule: { channelKind: 'announcement', channelId: '500000000000000002' } });
    expect((await newSchedule()).channelKind).toBe('text');
  });

  it('GIVEN a due schedule WHEN two claimers race THEN exactly one gets the lease', async () => {
    const schedule = await newSchedule();
    const results = await Promise.all(Array.from({ length: 6 }, () => repo.claimDue(schedule.id, at(1))));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.leaseUntil).toEqual(new Date(at(1).getTime() + LEASE_MS));
  });

  it('GIVEN a schedule not yet due, paused or already leased THEN it cannot be claimed and is not listed as due', async () => {
    const early = await newSchedule({ nextRunAt: at(10) });
    expect(await repo.claimDue(early.id, at(5))).toBeNull();
    expect((await repo.dueSchedules(at(5))).map((s) => s.id)).not.toContain(early.id);

    const paused = await newSchedule();
    expect(await repo.updateIfUnchanged(paused, { status: 'paused', pauseReason: 'test' }, at(0))).not.toBeNull();
    expect(await repo.claimDue(paused.id, at(1))).toBeNull();

    const leased = await newSchedule();
    expect(await repo.claimDue(leased.id, at(1))).not.toBeNull();
    expect((await repo.dueSchedules(at(1.5))).map((s) => s.id)).not.toContain(leased.id);
  });

  it('GIVEN a lease that expired THEN another process claims it and the first one can no longer release or complete', async () => {
    const schedule = await newSchedule();
    const first = await repo.claimDue(schedule.id, at(1));
    expect(await repo.claimDue(schedule.id, at(2))).toBeNull();
    const second = await repo.claimDue(schedule.id, at(1 + LEASE_MS / 60_000 + 0.1));
    expect(second).not.toBeNull();
    expect(await repo.release(first!, { lastError: 'stale' }, at(4))).toBe(false);

    const { post } = await repo.recordIntent({ scheduleId: schedule.id, generation: 1, episodeIndex: 0, episodeCode: '7x20', channelId: schedule.channelId, late: false, now: at(4) });
    const stale = await repo.completePost({ postId: post.id, threadId: 'thread-a', late: false, claimed: first!, change: { nextIndex: 1 }, now: at(4) });
    expect(stale.scheduleMoved).toBe(false);
    expect((await repo.schedule(schedule.id))?.nextIndex).toBe(0);
    // The thread exists on Discord, so the post is recorded even though the schedule did not move.
    expect((await repo.posts(schedule.id, 1))[0]).toMatchObject({ state: 'posted', threadId: 'thread-a' });

    const fresh = await repo.completePost({ postId: post.id, threadId: 'thread-a', late: false, claimed: second!, change: { nextIndex: 1 }, now: at(5) });
    expect(fresh.scheduleMoved).toBe(true);
    expect(await repo.schedule(schedule.id)).toMatchObject({ nextIndex: 1, leaseUntil: null });
  });

  it('GIVEN an intent for an episode WHEN it is recorded again THEN the unique key returns the same row', async () => {
    const schedule = await newSchedule();
    const intent = { scheduleId: schedule.id, generation: 1, episodeIndex: 2, episodeCode: '7x22', channelId: schedule.channelId, late: false, now: at(0) };
    const [a, b] = await Promise.all([repo.recordIntent(intent), repo.recordIntent({ ...intent, late: true })]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.post.id).toBe(b.post.id);
    expect(await repo.posts(schedule.id, 1)).toHaveLength(1);
    expect((await repo.pendingIntent(schedule.id, 1))?.episodeIndex).toBe(2);
    // Another generation of the same schedule is a different key.
    expect((await repo.recordIntent({ ...intent, generation: 2 })).created).toBe(true);
  });

  it('GIVEN a pending intent THEN it can be touched and discarded, but a posted row is never discarded', async () => {
    const schedule = await newSchedule();
    const claimed = await repo.claimDue(schedule.id, at(1));
    const { post } = await repo.recordIntent({ scheduleId: schedule.id, generation: 1, episodeIndex: 0, episodeCode: '7x20', channelId: schedule.channelId, late: false, now: at(1) });
    await repo.touchIntent(post.id, at(3));
    expect((await repo.pendingIntent(schedule.id, 1))?.createdAt).toEqual(at(3));
    await repo.discardIntent(post.id);
    expect(await repo.pendingIntent(schedule.id, 1)).toBeNull();

    const again = await repo.recordIntent({ scheduleId: schedule.id, generation: 1, episodeIndex: 0, episodeCode: '7x20', channelId: schedule.channelId, late: false, now: at(4) });
    await repo.completePost({ postId: again.post.id, threadId: 't-1', late: false, claimed: claimed!, change: { nextIndex: 1, lastThreadId: 't-1' }, now: at(4) });
    await repo.discardIntent(again.post.id);
    expect(await repo.posts(schedule.id, 1)).toHaveLength(1);
    expect(await repo.knownThreadIds(schedule.id)).toEqual(new Set(['t-1']));
  });

  it('GIVEN an existing schedule WHEN set up again THEN the generation goes up and it starts clean, but not during a live lease', async () => {
    const guildId = newGuild();
    const first = await repo.saveSchedule(setupFor(guildId), at(0));
    expect(first).toMatchObject({ replaced: false, schedule: { generation: 1 } });
    await repo.claimDue(first!.schedule.id, at(1));
    expect(await repo.saveSchedule(setupFor(guildId, { channelId: '500000000000000009' }), at(1.5))).toBeNull();
    const second = await repo.saveSchedule(setupFor(guildId, { channelId: '500000000000000009', nextIndex: 3 }), at(10));
    expect(second).toMatchObject({
      replaced: true,
      schedule: { id: first!.schedule.id, generation: 2, channelId: '500000000000000009', nextIndex: 3, leaseUntil: null, lastThreadId: null },
    });
  });

  it('GIVEN a command computed from an old state THEN the compare-and-set refuses it', async () => {
    const schedule = await newSchedule({ nextRunAt: at(WEEK_MIN) });
    const skipped = await repo.updateIfUnchanged(schedule, { nextIndex: 1 }, at(0));
    expect(skipped?.nextIndex).toBe(1);
    expect(await repo.updateIfUnchanged(schedule, { nextIndex: 1 }, at(0))).toBeNull();
    expect((await repo.schedule(schedule.id))?.nextIndex).toBe(1);
  });

  it('GIVEN schedules in various states THEN watchedThrough tells the spoiler guard what applies', async () => {
    const none = newGuild();
    expect(await repo.watchedThrough(none)).toBeUndefined();
    const schedule = await newSchedule();
    expect(await repo.watchedThrough(schedule.guildId)).toBeNull();
    const claimed = await repo.claimDue(schedule.id, at(1));
    for (const [index, code] of [[0, '7x20'], [1, '7x21']] as const) {
      const { post } = await repo.recordIntent({ scheduleId: schedule.id, generation: 1, episodeIndex: index, episodeCode: code, channelId: schedule.channelId, late: false, now: at(1) });
      await repo.completePost({ postId: post.id, threadId: `t-${code}`, late: false, claimed: claimed!, change: {}, now: at(1 + index) });
    }
    // A pending intent is not watched yet.
    await repo.recordIntent({ scheduleId: schedule.id, generation: 1, episodeIndex: 2, episodeCode: '7x22', channelId: schedule.channelId, late: false, now: at(5) });
    expect(await repo.watchedThrough(schedule.guildId)).toBe('7x21');
    // A new setup starts a new run: nothing of it is watched yet.
    await repo.saveSchedule(setupFor(schedule.guildId), at(10));
    expect(await repo.watchedThrough(schedule.guildId)).toBeNull();
    expect(await repo.deleteSchedule(schedule.guildId, at(11))).toBe(true);
    expect(await repo.watchedThrough(schedule.guildId)).toBeUndefined();
    expect(await repo.posts(schedule.id, 1)).toEqual([]);
  });

  it('GIVEN a live lease THEN the schedule cannot be deleted until it is released', async () => {
    const schedule = await newSchedule();
    const claimed = await repo.claimDue(schedule.id, at(1));
    expect(await repo.deleteSchedule(schedule.guildId, at(1.2))).toBe(false);
    expect(await repo.release(claimed!, {}, at(1.3))).toBe(true);
    expect(await repo.deleteSchedule(schedule.guildId, at(1.4))).toBe(true);
  });
});
