import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MythRepository } from '../../src/db/repositories/myth.js';
import { engines, type TestDatabase } from '../helpers/databases.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CHANNEL = '200000000000000001';
const T0 = new Date('2026-11-26T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.each(engines)('MythRepository on $name', (engine) => {
  let database: TestDatabase;
  let repo: MythRepository;
  let mythSeq = 0;
  /** A fresh myth id per test, so the cross-server totals of one test never leak into another. */
  const newMyth = () => `myth-${++mythSeq}`;

  beforeAll(async () => {
    database = await engine.open();
    repo = new MythRepository(database.db);
  });
  afterAll(async () => database?.dispose());

  const post = (mythId: string, options: { guildId?: string; postedAt?: Date } = {}) => {
    const postedAt = options.postedAt ?? T0;
    return repo.createPost({
      guildId: options.guildId ?? GUILD,
      channelId: CHANNEL,
      mythId,
      askedBy: 'asker',
      postedAt,
      revealAt: new Date(postedAt.getTime() + 60_000),
    });
  };

  it('GIVEN a new post THEN it is open, without a message until one is attached', async () => {
    const created = await post(newMyth());
    expect(created).toMatchObject({ guildId: GUILD, channelId: CHANNEL, askedBy: 'asker', messageId: null, revealedAt: null });
    expect(created.revealAt).toEqual(at(60));
    await repo.setMessage(created.id, '300000000000000001');
    expect((await repo.post(created.id))?.messageId).toBe('300000000000000001');
  });

  it('GIVEN a member votes, votes the same again, then changes THEN recorded, unchanged, changed; one row counts', async () => {
    const { id } = await post(newMyth());
    expect(await repo.castVote({ postId: id, userId: 'kira', vote: 'myth', now: at(1) })).toEqual({ status: 'recorded', vote: 'myth' });
    expect(await repo.castVote({ postId: id, userId: 'kira', vote: 'myth', now: at(2) })).toEqual({ status: 'unchanged', vote: 'myth' });
    expect(await repo.castVote({ postId: id, userId: 'kira', vote: 'fact', now: at(3) })).toEqual({ status: 'changed', vote: 'fact', from: 'myth' });
    expect(await repo.castVote({ postId: id, userId: 'quark', vote: 'myth', now: at(4) })).toEqual({ status: 'recorded', vote: 'myth' });
    expect(await repo.voteCount(id)).toEqual({ myth: 1, fact: 1 });
  });

  it('GIVEN the reveal time has come or the post was revealed THEN votes are refused', async () => {
    const { id } = await post(newMyth());
    expect(await repo.castVote({ postId: id, userId: 'kira', vote: 'myth', now: at(60) })).toEqual({ status: 'closed' });
    expect(await repo.castVote({ postId: id, userId: 'kira', vote: 'myth', now: at(59) })).toMatchObject({ status: 'recorded' });
    await repo.reveal(id, 'myth', at(30));
    expect(await repo.castVote({ postId: id, userId: 'kira', vote: 'fact', now: at(31) })).toEqual({ status: 'closed' });
    expect(await repo.castVote({ postId: id, userId: 'nog', vote: 'fact', now: at(31) })).toEqual({ status: 'closed' });
    expect(await repo.voteCount(id)).toEqual({ myth: 1, fact: 0 });
    expect(await repo.castVote({ postId: 987654, userId: 'nog', vote: 'fact', now: at(1) })).toEqual({ status: 'closed' });
  });

  it('GIVEN 40 concurrent clicks from 10 members THEN each member is counted once, with a vote they clicked', async () => {
    const { id } = await post(newMyth());
    const members = Array.from({ length: 10 }, (_, i) => `member-${i}`);
    const clicks = members.flatMap((userId, i) =>
      Array.from({ length: 4 }, (_, k) => ({ userId, vote: (i + k) % 2 === 0 ? ('myth' as const) : ('fact' as const) })),
    );
    const outcomes = await Promise.all(clicks.map((c) => repo.castVote({ postId: id, userId: c.userId, vote: c.vote, now: at(5) })));
    expect(outcomes.filter((o) => o.status === 'recorded')).toHaveLength(10);
    expect(outcomes.some((o) => o.status === 'closed')).toBe(false);
    const count = await repo.voteCount(id);
    expect(count.myth + count.fact).toBe(10);
  });

  it('GIVEN votes THEN the reveal counts them, adds right and wrong to the totals, and happens only once', async () => {
    const mythId = newMyth();
    const { id } = await post(mythId);
    for (const [userId, vote] of [['a', 'myth'], ['b', 'myth'], ['c', 'fact']] as const) await repo.castVote({ postId: id, userId, vote, now: at(1) });
    const first = await repo.reveal(id, 'myth', at(60));
    expect(first?.votes).toEqual({ myth: 2, fact: 1 });
    expect(first?.totals).toEqual({ rightVotes: 2, wrongVotes: 1 });
    expect(first?.post.revealedAt).toEqual(at(60));
    expect(await repo.reveal(id, 'myth', at(61))).toBeNull();
    expect(await repo.totals(mythId)).toEqual({ rightVotes: 2, wrongVotes: 1 });
    expect(await repo.reveal(987654, 'myth', at(61))).toBeNull();
  });

  it('GIVEN ten concurrent reveals of one post THEN exactly one wins and the totals grow once', async () => {
    const mythId = newMyth();
    const { id } = await post(mythId);
    await repo.castVote({ postId: id, userId: 'kira', vote: 'fact', now: at(1) });
    await repo.castVote({ postId: id, userId: 'odo', vote: 'myth', now: at(1) });
    const results = await Promise.all(Array.from({ length: 10 }, () => repo.reveal(id, 'fact', at(60))));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await repo.totals(mythId)).toEqual({ rightVotes: 1, wrongVotes: 1 });
  });

  it('GIVEN votes racing a reveal THEN every vote is either counted in the reveal or refused, never lost', async () => {
    const mythId = newMyth();
    const { id } = await post(mythId);
    const votes = Array.from({ length: 12 }, (_, i) => repo.castVote({ postId: id, userId: `racer-${i}`, vote: 'myth', now: at(10) }));
    const reveal = repo.reveal(id, 'myth', at(10));
    const outcomes = await Promise.all(votes);
    const revealed = await reveal;
    const accepted = outcomes.filter((o) => o.status === 'recorded').length;
    expect(revealed?.votes.myth).toBe(accepted);
    expect(await repo.totals(mythId)).toEqual({ rightVotes: accepted, wrongVotes: 0 });
  });

  it('GIVEN the same myth revealed in two servers THEN the totals add up across servers; a post with no votes adds nothing', async () => {
    const mythId = newMyth();
    const here = await post(mythId);
    const there = await post(mythId, { guildId: OTHER_GUILD });
    const empty = await post(mythId);
    await repo.castVote({ postId: here.id, userId: 'kira', vote: 'fact', now: at(1) });
    await repo.castVote({ postId: there.id, userId: 'garak', vote: 'myth', now: at(1) });
    await repo.castVote({ postId: there.id, userId: 'damar', vote: 'myth', now: at(1) });
    await repo.reveal(here.id, 'myth', at(60));
    expect((await repo.reveal(there.id, 'myth', at(60)))?.totals).toEqual({ rightVotes: 2, wrongVotes: 1 });
    expect((await repo.reveal(empty.id, 'myth', at(60)))?.totals).toEqual({ rightVotes: 2, wrongVotes: 1 });
  });

  it('GIVEN posts due at different times THEN duePosts lists only open ones whose time has come, oldest first', async () => {
    const early = await post(newMyth(), { postedAt: at(-3600) });
    const later = await post(newMyth(), { postedAt: at(-3000) });
    const notYet = await post(newMyth(), { postedAt: at(-3000 + 3000) });
    const done = await post(newMyth(), { postedAt: at(-3500) });
    await repo.reveal(done.id, 'fact', at(-3400));
    const due = (await repo.duePosts(at(-2900))).map((p) => p.id);
    expect(due).toContain(early.id);
    expect(due).toContain(later.id);
    expect(due.indexOf(early.id)).toBeLessThan(due.indexOf(later.id));
    expect(due).not.toContain(notYet.id);
    expect(due).not.toContain(done.id);
  });

  it('GIVEN a server posted myths THEN lastPostedAt has the latest time per myth and revealedMythIds only the revealed ones', async () => {
    const guild = '100000000000000099';
    const a = newMyth();
    const b = newMyth();
    await post(a, { guildId: guild, postedAt: at(0) });
    const aAgain = await post(a, { guildId: guild, postedAt: at(500) });
    await post(b, { guildId: guild, postedAt: at(100) });
    await post(newMyth(), { guildId: OTHER_GUILD, postedAt: at(900) });
    const last = await repo.lastPostedAt(guild);
    expect([...last.keys()].sort()).toEqual([a, b].sort());
    expect(last.get(a)).toEqual(at(500));
    expect(last.get(b)).toEqual(at(100));
    expect(await repo.revealedMythIds(guild)).toEqual(new Set());
    await repo.reveal(aAgain.id, 'myth', at(560));
    expect(await repo.revealedMythIds(guild)).toEqual(new Set([a]));
  });

  it('GIVEN a discarded post THEN it and its votes are gone', async () => {
    const { id } = await post(newMyth());
    await repo.castVote({ postId: id, userId: 'kira', vote: 'fact', now: at(1) });
    await repo.deletePost(id);
    expect(await repo.post(id)).toBeNull();
    expect(await repo.voteCount(id)).toEqual({ myth: 0, fact: 0 });
  });
});
