import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { TriviaRepository, withRanks } from '../../src/db/repositories/trivia.js';
import type { GameRecord, RoundRecord } from '../../src/trivia/types.js';
import { AnswerQueue } from '../../src/trivia/answer-queue.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { QuestionPackRepository } from '../../src/db/repositories/question-packs.js';
import { engines, type TestDatabase } from '../helpers/databases.js';
import { seededRandom } from '../helpers/random.js';
import { startOfLocalWeek } from '../../src/time/schedule-time.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CHANNEL = '200000000000000001';
const T0 = new Date('2026-11-26T12:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const flatTen = { pointsFor: (streak: number) => 10 + Math.min(streak, 5) * 2 };

describe.each(engines)('TriviaRepository on $name', (engine) => {
  let database: TestDatabase;
  let repo: TriviaRepository;
  let channelSeq = 0;
  const newChannel = () => `3000000000000${String(++channelSeq).padStart(5, '0')}`;

  beforeAll(async () => {
    database = await engine.open();
    repo = new TriviaRepository(database.db);
  });
  afterAll(async () => database?.dispose());

  async function openGame(channelId = newChannel(), questionIds = ['q1', 'q2', 'q3']) {
    const created = await repo.createGame({
      guildId: GUILD,
      channelId,
      startedBy: 'starter',
      questionIds,
      secondsPerQuestion: 20,
      category: null,
      difficulty: null,
      now: T0,
    });
    if (!created) throw new Error('game not created');
    const [first] = created.rounds;
    expect(await repo.openRound(first!.id, T0, at(20))).toBe(true);
    return { ...created, round: first! };
  }

  const answer = (roundId: number, gameId: number, userId: string, correct: boolean, seconds = 1) =>
    repo.recordAnswer({ roundId, gameId, guildId: GUILD, userId, answer: 'x', correct, scoring: flatTen, now: at(seconds) });

  it('GIVEN a running game in a channel WHEN a second one starts THEN the database refuses it', async () => {
    const channel = newChannel();
    const first = await openGame(channel);
    const second = await repo.createGame({
      guildId: GUILD, channelId: channel, startedBy: 'other', questionIds: ['q9'], secondsPerQuestion: 20, category: null, difficulty: null, now: T0,
    });
    expect(second).toBeNull();
    expect((await repo.runningGameInChannel(channel))?.game.id).toBe(first.game.id);
  });

  it('GIVEN two right answers in the same millisecond THEN "first!" goes to the one that arrived first, not the lower user id', async () => {
    const { game, round } = await openGame();
    const later = '900000000000000009';
    const earlier = '100000000000000001';
    await answer(round.id, game.id, later, true, 1);
    await answer(round.id, game.id, earlier, true, 1);
    const revealed = await repo.revealRound(round.id, GUILD, 5, at(30));
    expect(revealed?.map((a) => [a.userId, a.firstCorrect])).toEqual([[later, true], [earlier, false]]);
    // Written together in one statement, the clicks keep the order they came in.
    const second = await openGame();
    const queued = [earlier, later].map((userId) => ({ roundId: second.round.id, gameId: second.game.id, guildId: GUILD, userId, answer: 'x', correct: true, scoring: flatTen, now: at(2) }));
    await repo.recordAnswers([queued[1]!, queued[0]!]);
    expect((await repo.revealRound(second.round.id, GUILD, 5, at(30)))?.find((a) => a.firstCorrect)?.userId).toBe(later);
  });

  it('GIVEN running games THEN only those with a question to open, reveal or finish with are listed to advance', async () => {
    const listed = async (now: Date) => (await repo.gamesToAdvance(now)).map((g) => g.id);
    const { game, round } = await openGame(); // question 1 open until at(20)
    expect(await listed(at(10))).not.toContain(game.id);
    expect(await listed(at(20))).toContain(game.id); // time is up: reveal
    await repo.revealRound(round.id, GUILD, 5, at(20));
    expect(await listed(at(21))).toContain(game.id); // question 2 to open
    const [, second] = await repo.rounds(game.id);
    await repo.openRound(second!.id, at(25), at(45));
    expect(await listed(at(30))).not.toContain(game.id);
    await repo.endGame(game.id, 'stopped', 'mod', at(30));
    expect(await listed(at(60))).not.toContain(game.id);
  });

  it('GIVEN several games due THEN the longest overdue comes first, a question to open before any', async () => {
    const listed = async (now: Date) => (await repo.gamesToAdvance(now)).map((g) => g.id);
    const later = await openGame(); // closes at(20)
    const sooner = await openGame();
    await repo.closeRoundNow(sooner.round.id, at(5)); // closed at(5)
    const toOpen = await openGame();
    await repo.revealRound(toOpen.round.id, GUILD, 5, at(3)); // question 2 to open
    const mine = new Set([later.game.id, sooner.game.id, toOpen.game.id]);
    expect((await listed(at(30))).filter((id) => mine.has(id))).toEqual([toOpen.game.id, sooner.game.id, later.game.id]);
    for (const g of [later, sooner, toOpen]) await repo.endGame(g.game.id, 'stopped', 'mod', at(30));
  });

  it('GIVEN a reveal saved but not shown THEN it is listed in its window, one claimer shows it, and a give-back lists it again', async () => {
    const { game, round } = await openGame();
    await answer(round.id, game.id, 'reveal-a', false, 1);
    await answer(round.id, game.id, 'reveal-b', true, 2);
    const revealed = await repo.revealRound(round.id, GUILD, 5, at(20));
    const missed = async (from: number, to: number) => (await repo.unshownReveals(at(from), at(to))).filter((m) => m.round.id === round.id);
    expect(await missed(0, 60)).toMatchObject([{ game: { id: game.id }, total: 3 }]);
    expect(await missed(21, 60)).toEqual([]); // revealed before the window
    expect(await repo.revealedAnswers(round.id)).toEqual(revealed);
    expect(revealed?.find((a) => a.firstCorrect)).toMatchObject({ userId: 'reveal-b', points: 15 });

    const claims = await Promise.all([repo.claimRevealShow(round.id, at(60)), repo.claimRevealShow(round.id, at(60))]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await missed(0, 60)).toEqual([]);
    await repo.giveBackRevealShow(round.id);
    expect(await missed(0, 60)).toHaveLength(1);
    await repo.markRevealShown(round.id, at(61));
    expect(await missed(0, 60)).toEqual([]);
  });

  it('GIVEN an open round WHEN the same member answers twice THEN only the first counts', async () => {
    const { game, round } = await openGame();
    expect(await answer(round.id, game.id, 'kira', true)).toMatchObject({ status: 'recorded', correct: true, points: 10 });
    expect(await answer(round.id, game.id, 'kira', false)).toEqual({ status: 'already-answered' });
    const stats = await repo.stats(GUILD, 'kira');
    expect(stats).toMatchObject({ answered: 1, correct: 1, points: 10, gamesPlayed: 1 });
  });

  it('GIVEN 40 concurrent clicks from 10 members THEN each member is counted exactly once', async () => {
    const { game, round } = await openGame();
    const members = Array.from({ length: 10 }, (_, i) => `crowd-${i}`);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => answer(round.id, game.id, members[i % 10]!, i % 3 === 0)),
    );
    expect(results.filter((r) => r.status === 'recorded')).toHaveLength(10);
    expect(results.filter((r) => r.status === 'already-answered')).toHaveLength(30);
    const answers = await repo.revealedAnswers(round.id);
    expect(new Set(answers.map((a) => a.userId)).size).toBe(10);
    for (const member of members) expect((await repo.stats(GUILD, member))?.answered).toBe(1);
  });

  it('GIVEN opened rounds WHEN released as unseen THEN only one with no question message and no answers goes back to unopened', async () => {
    const unseen = await openGame();
    const answered = await openGame();
    await answer(answered.round.id, answered.game.id, 'jake', true);
    const shown = await openGame();
    await repo.setRoundMessage(shown.round.id, '4000000000000000001');

    expect(await repo.releaseUnseenRound(unseen.round.id)).toBe(true);
    expect(await repo.releaseUnseenRound(answered.round.id)).toBe(false);
    expect(await repo.releaseUnseenRound(shown.round.id)).toBe(false);
    const after = async (gameId: number) => (await repo.rounds(gameId))[0]!;
    expect(await after(unseen.game.id)).toMatchObject({ opensAt: null, closesAt: null, revealedAt: null });
    expect((await after(answered.game.id)).closesAt).toEqual(at(20));
    expect((await after(shown.game.id)).closesAt).toEqual(at(20));
    // Released, it can be opened again like any unopened round.
    expect(await repo.openRound(unseen.round.id, at(30), at(50))).toBe(true);
  });

  it('GIVEN a closed round WHEN a late answer arrives THEN it is refused and nothing is scored', async () => {
    const { game, round } = await openGame();
    expect(await answer(round.id, game.id, 'late-larry', true, 21)).toEqual({ status: 'closed' });
    expect(await repo.stats(GUILD, 'late-larry')).toBeNull();
  });

  it('GIVEN answers WHEN revealed twice THEN the first-correct bonus is paid once and the second reveal is a no-op', async () => {
    const { game, round } = await openGame();
    await answer(round.id, game.id, 'wrong-worf', false, 1);
    await answer(round.id, game.id, 'quick-quark', true, 2);
    await answer(round.id, game.id, 'slow-sisko', true, 3);
    const revealed = await repo.revealRound(round.id, GUILD, 5, at(21));
    expect(revealed?.map((a) => [a.userId, a.correct, a.points, a.firstCorrect])).toEqual([
      ['wrong-worf', false, 0, false],
      ['quick-quark', true, 15, true],
      ['slow-sisko', true, 10, false],
    ]);
    expect(await repo.revealRound(round.id, GUILD, 5, at(22))).toBeNull();
    expect((await repo.stats(GUILD, 'quick-quark'))?.points).toBe(15);
    expect(await answer(round.id, game.id, 'after-reveal', true, 5)).toEqual({ status: 'closed' });
    expect((await repo.gameStandings(game.id)).map((s) => [s.userId, s.points, s.rank])).toEqual([
      ['quick-quark', 15, 1],
      ['slow-sisko', 10, 2],
      ['wrong-worf', 0, 3],
    ]);
  });

  it('GIVEN correct answers in a row THEN the streak grows, pays a bonus, and a wrong answer resets it', async () => {
    const { game, rounds } = await openGame(newChannel(), ['s1', 's2', 's3', 's4']);
    const earned: number[] = [];
    for (const [i, r] of rounds.entries()) {
      if (i > 0) await repo.openRound(r.id, T0, at(20));
      const outcome = await answer(r.id, game.id, 'streaky-ezri', i !== 2);
      earned.push(outcome.status === 'recorded' ? outcome.points : -1);
    }
    expect(earned).toEqual([10, 12, 0, 10]);
    expect(await repo.stats(GUILD, 'streaky-ezri')).toMatchObject({ currentStreak: 1, bestStreak: 2, answered: 4, correct: 3, gamesPlayed: 1 });
  });

  it('GIVEN a stopped game THEN its unopened rounds can no longer be opened and it ends only once', async () => {
    const { game, rounds } = await openGame();
    expect(await repo.endGame(game.id, 'stopped', 'mod', at(5))).toBe(true);
    expect(await repo.endGame(game.id, 'finished', null, at(6))).toBe(false);
    expect(await repo.openRound(rounds[1]!.id, at(7), at(27))).toBe(false);
    expect((await repo.game(game.id))?.status).toBe('stopped');
  });

  for (const seed of [1, 2, 3]) {
    it(`GIVEN the same clicks written one by one and written together (seed ${seed}) THEN every outcome, answer and score is the same`, async () => {
      const random = seededRandom(seed);
      const guilds = [`1100000000000000${seed}1`, `1100000000000000${seed}2`]; // one by one, together
      // two identical worlds: per server, three games of two questions; the first question of each open now
      const worlds = await Promise.all(
        guilds.map(async (guildId) => {
          const games: NonNullable<Awaited<ReturnType<typeof repo.createGame>>>[] = [];
          for (let g = 0; g < 3; g++) {
            const created = await repo.createGame({ guildId, channelId: newChannel(), startedBy: 's', questionIds: ['b1', 'b2'], secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
            await repo.openRound(created!.rounds[0]!.id, T0, at(20 + g * 5)); // the third game's question closes last
            games.push(created!);
          }
          return { guildId, games };
        }),
      );
      const users = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
      // 60 clicks: any member, any game's open question, some after it closed, double clicks included
      const clicks = Array.from({ length: 60 }, (_, k) => ({
        game: Math.floor(random() * 3),
        userId: users[Math.floor(random() * users.length)]!,
        correct: random() < 0.6,
        seconds: k < 50 ? 1 + k / 10 : 20 + random() * 15,
      }));
      const inputFor = (world: (typeof worlds)[number], c: (typeof clicks)[number]) => {
        const created = world.games[c.game]!;
        return { roundId: created.rounds[0]!.id, gameId: created.game.id, guildId: world.guildId, userId: c.userId, answer: 'x', correct: c.correct, scoring: flatTen, now: at(c.seconds) };
      };
      const one = [];
      for (const c of clicks) one.push(await repo.recordAnswer(inputFor(worlds[0]!, c)));
      // together: runs of up to 8 clicks, each member once per run
      const together = [];
      for (let k = 0; k < clicks.length; ) {
        const batch: ReturnType<typeof inputFor>[] = [];
        const size = 1 + Math.floor(random() * 8);
        while (k < clicks.length && batch.length < size && !batch.some((b) => b.userId === clicks[k]!.userId)) batch.push(inputFor(worlds[1]!, clicks[k++]!));
        together.push(...(await repo.recordAnswers(batch)));
      }
      expect(together).toEqual(one);
      expect(new Set(one.map((o) => o.status))).toEqual(new Set(['recorded', 'already-answered', 'closed']));
      for (const userId of users) expect(await repo.stats(guilds[1]!, userId)).toEqual(await repo.stats(guilds[0]!, userId));
      for (let g = 0; g < 3; g++) {
        const [a, b] = worlds.map((w) => w.games[g]!);
        expect(await repo.gameStandings(b!.game.id)).toEqual(await repo.gameStandings(a!.game.id));
        const [revealedA, revealedB] = await Promise.all([repo.revealRound(a!.rounds[0]!.id, guilds[0]!, 5, at(60)), repo.revealRound(b!.rounds[0]!.id, guilds[1]!, 5, at(60))]);
        expect(revealedB).toEqual(revealedA);
      }
      expect((await repo.leaderboardAllTime(guilds[1]!, 'm1')).top).toEqual((await repo.leaderboardAllTime(guilds[0]!, 'm1')).top);
    });
  }

  it('GIVEN a burst on two questions of one server through the answer queue, with a reveal in the middle THEN no click fails and the scores and per-total counts add up', async () => {
    const guild = '100000000000000077';
    const games: { game: GameRecord; round: RoundRecord }[] = [];
    for (let g = 0; g < 2; g++) {
      const created = await repo.createGame({ guildId: guild, channelId: newChannel(), startedBy: 's', questionIds: ['d1'], secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
      await repo.openRound(created!.rounds[0]!.id, T0, at(20));
      games.push({ game: created!.game, round: created!.rounds[0]! });
    }
    const queue = new AnswerQueue(repo);
    const members = Array.from({ length: 60 }, (_, m) => `burst-${m}`);
    // earlier totals spread over many values, so the clicks move members between per-total rows
    for (const [m, userId] of members.entries()) {
      await repo.recordAnswer({ roundId: games[0]!.round.id, gameId: games[0]!.game.id, guildId: guild, userId, answer: 'x', correct: true, scoring: { pointsFor: () => 1 + (m % 17) * 7 }, now: at(1) });
    }
    const clicks = members.flatMap((userId, m) =>
      [1, 0].map((g) => queue.record({ roundId: games[g]!.round.id, gameId: games[g]!.game.id, guildId: guild, userId, answer: 'x', correct: (m + g) % 3 !== 0, scoring: { pointsFor: (streak) => 5 + m + streak * 3 }, now: at(2) })),
    );
    const reveal = repo.revealRound(games[0]!.round.id, guild, 7, at(2));
    const outcomes = await Promise.all(clicks);
    await reveal;
    expect(outcomes.filter((o) => o.status === 'recorded').length).toBeGreaterThan(members.length - 1); // round 2: every member
    const check = (await database.db.execute(sql`
      select
        (select coalesce(sum(points), 0)::int from trivia_answers where guild_id = ${guild}) as answered_points,
        (select coalesce(sum(points), 0)::int from player_scores where guild_id = ${guild}) as score_points,
        (select coalesce(sum(points), 0)::int from player_week_scores where guild_id = ${guild}) as week_points,
        (select count(*)::int from (
          select points, count(*)::int as members from player_scores where guild_id = ${guild} and points > 0 group by points
          except select points, members from player_score_counts where guild_id = ${guild} and members > 0
        ) d) as count_mismatches
    `)) as unknown;
    const [row] = (Array.isArray(check) ? check : (check as { rows: unknown[] }).rows) as { answered_points: number; score_points: number; week_points: number; count_mismatches: number }[];
    expect(row!.score_points).toBe(row!.answered_points);
    expect(row!.week_points).toBe(row!.answered_points); // the week trigger under the same concurrent clicks and reveal
    expect(row!.count_mismatches).toBe(0);
    for (const { table, kept, defined } of await keptAndDefined(guild)) expect(kept, table).toEqual(defined);
  });

  it('GIVEN a free-text answer with a lone surrogate among clicks written together THEN every click is recorded, the text as it is stored alone', async () => {
    const { game, round } = await openGame();
    const input = (userId: string, answer: string) => ({ roundId: round.id, gameId: game.id, guildId: GUILD, userId, answer, correct: false, scoring: flatTen, now: at(1) });
    const odd = 'Odo\uD800 and \uDC00Quark';
    expect(await repo.recordAnswer(input('alone', odd))).toMatchObject({ status: 'recorded' });
    const together = await repo.recordAnswers([input('with-1', 'Sisko'), input('with-2', odd), input('with-3', 'Garak \u{1F680}')]);
    expect(together.map((o) => o.status)).toEqual(['recorded', 'recorded', 'recorded']);
    const stored = (await database.db.execute(sql`select user_id, answer from trivia_answers where round_id = ${round.id} order by user_id`)) as unknown;
    const rows = (Array.isArray(stored) ? stored : (stored as { rows: unknown[] }).rows) as { user_id: string; answer: string }[];
    const byUser = Object.fromEntries(rows.map((r) => [r.user_id, r.answer]));
    expect(byUser['with-2']).toBe(byUser['alone']);
    expect(byUser['with-2']).toBe('Odo\uFFFD and \uFFFDQuark');
    expect(byUser['with-3']).toBe('Garak \u{1F680}');
  });

  it('GIVEN a member twice in one call THEN recordAnswers refuses it before writing', async () => {
    const { game, round } = await openGame();
    const input = { roundId: round.id, gameId: game.id, guildId: GUILD, userId: 'twice', answer: 'x', correct: true, scoring: flatTen, now: at(1) };
    await expect(repo.recordAnswers([input, { ...input, answer: 'y' }])).rejects.toThrow(/at most once/);
    expect(await repo.stats(GUILD, 'twice')).toBeNull();
  });

  it('GIVEN scores THEN the leaderboard shows the top, shared ranks for ties and the caller', async () => {
    const guild = OTHER_GUILD;
    const channel = newChannel();
    const created = await repo.createGame({ guildId: guild, channelId: channel, startedBy: 's', questionIds: ['l1'], secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
    const round = created!.rounds[0]!;
    await repo.openRound(round.id, T0, at(20));
    const scoring = (points: number) => ({ pointsFor: () => points });
    for (const [user, points] of [['a', 30], ['b', 20], ['c', 20], ['d', 10]] as const) {
      await repo.recordAnswer({ roundId: round.id, gameId: created!.game.id, guildId: guild, userId: user, answer: 'x', correct: true, scoring: scoring(points), now: at(1) });
    }
    const board = await repo.leaderboardAllTime(guild, 'd', 3);
    expect(board.top.map((s) => [s.userId, s.rank])).toEqual([['a', 1], ['b', 2], ['c', 2]]);
    expect(board.me).toEqual({ userId: 'd', points: 10, rank: 4 });
    const week = await repo.leaderboardThisWeek(guild, 'c', T0, 'UTC', 10);
    expect(week.me).toMatchObject({ rank: 2, points: 20 });
    expect(week.top).toEqual([{ userId: 'a', points: 30, rank: 1 }, { userId: 'b', points: 20, rank: 2 }, { userId: 'c', points: 20, rank: 2 }, { userId: 'd', points: 10, rank: 4 }]);
    expect((await repo.leaderboardThisWeek(guild, 'c', at(7 * 86_400), 'UTC', 10)).top).toEqual([]); // next week
    expect((await repo.leaderboardAllTime(guild, 'nobody')).me).toBeNull();
  });

  it('GIVEN scores that move (answers over rounds, a first-correct bonus) THEN every rank matches counting the members ahead', async () => {
    const guild = '100000000000000003';
    const created = await repo.createGame({ guildId: guild, channelId: newChannel(), startedBy: 's', questionIds: ['m1', 'm2'], secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
    const users = ['e', 'f', 'g', 'h', 'i'];
    for (const [r, round] of created!.rounds.entries()) {
      await repo.openRound(round.id, at(r * 30), at(r * 30 + 20));
      for (const [u, user] of users.entries()) {
        await repo.recordAnswer({ roundId: round.id, gameId: created!.game.id, guildId: guild, userId: user, answer: 'x', correct: (u + r) % 3 !== 0, scoring: flatTen, now: at(r * 30 + 1 + u) });
      }
      await repo.revealRound(round.id, guild, 5, at(r * 30 + 21));
    }
    const points = new Map<string, number>();
    for (const user of users) points.set(user, (await repo.stats(guild, user))?.points ?? 0);
    for (const user of users.filter((u) => points.get(u)! > 0)) {
      const ahead = [...points.values()].filter((p) => p > points.get(user)!).length;
      expect((await repo.leaderboardAllTime(guild, user)).me).toEqual({ userId: user, points: points.get(user), rank: ahead + 1 });
    }
  });

  it.each([1, 2, 3])('GIVEN totals spread over many 100-point bands and moving between them (seed %i) THEN every rank matches counting the members ahead', async (seed) => {
    const random = seededRandom(seed);
    const guild = `10000000000000010${seed}`;
    const rounds = 4;
    const created = await repo.createGame({ guildId: guild, channelId: newChannel(), startedBy: 's', questionIds: Array.from({ length: rounds }, (_, i) => `b${i}`), secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
    const users = Array.from({ length: 25 }, (_, i) => `u${i}`);
    // Steps land on band edges (99/100, 199/200) and jump several bands; some answers score nothing.
    const steps = [0, 1, 99, 100, 101, 150, 199, 200, 350];
    for (const [r, round] of created!.rounds.entries()) {
      await repo.openRound(round.id, at(r * 30), at(r * 30 + 20));
      for (const user of users) {
        const points = steps[Math.floor(random() * steps.length)]!;
        await repo.recordAnswer({ roundId: round.id, gameId: created!.game.id, guildId: guild, userId: user, answer: 'x', correct: points > 0, scoring: { pointsFor: () => points }, now: at(r * 30 + 1) });
      }
      const totals = new Map<string, number>();
      for (const user of users) totals.set(user, (await repo.stats(guild, user))?.points ?? 0);
      for (const user of users.filter((u) => totals.get(u)! > 0)) {
        const ahead = [...totals.values()].filter((p) => p > totals.get(user)!).length;
        expect((await repo.leaderboardAllTime(guild, user)).me, `round ${r}, ${user}`).toEqual({ userId: user, points: totals.get(user), rank: ahead + 1 });
      }
    }
  });

  /** Each kept table of the all-time rank, and its definition recomputed from player_scores, as (key, members) rows. */
  async function keptAndDefined(guild: string): Promise<{ table: string; kept: number[][]; defined: number[][] }[]> {
    const rowsOf = async (query: ReturnType<typeof sql>) => {
      const result = (await database.db.execute(query)) as unknown;
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { key: number; members: number }[];
      return rows.map((r) => [Number(r.key), Number(r.members)]);
    };
    const tables = [
      { table: 'player_score_counts', key: 'points', definition: 'points' },
      { table: 'player_score_bands', key: 'band', definition: 'points / 100' },
      { table: 'player_score_band_groups', key: 'band_group', definition: 'points / 10000' },
    ];
    return Promise.all(
      tables.map(async ({ table, key, definition }) => ({
        table,
        // A row whose members fell to 0 stays behind (the trigger only decrements); any other number must match.
        kept: await rowsOf(sql`select ${sql.identifier(key)} as key, members from ${sql.identifier(table)} where guild_id = ${guild} and members <> 0 order by 1`),
        defined: await rowsOf(sql`select ${sql.raw(definition)} as key, count(*)::int as members from player_scores where guild_id = ${guild} and points > 0 group by 1 order by 1`),
      })),
    );
  }

  it.each([7, 8, 9])('GIVEN totals crossing 10,000-point groups of bands, written one by one and together, with a bonus and a removal (seed %i) THEN every rank matches counting the members ahead and the kept counts, bands and groups match player_scores', async (seed) => {
    const random = seededRandom(seed);
    const guild = `10000000000000030${seed}`;
    const rounds = 5;
    const created = await repo.createGame({ guildId: guild, channelId: newChannel(), startedBy: 's', questionIds: Array.from({ length: rounds }, (_, i) => `k${i}`), secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
    const users = Array.from({ length: 24 }, (_, i) => `v${String(i).padStart(2, '0')}`);
    // Steps land on band and group edges (9,899/9,900, 9,999/10,000) and jump several groups; some score nothing.
    const steps = [0, 1, 100, 9_899, 9_900, 9_999, 10_000, 10_001, 20_000, 35_050];
    const expectRanksAndKeptTables = async (when: string) => {
      const totals = new Map<string, number>();
      for (const user of users) totals.set(user, (await repo.stats(guild, user))?.points ?? 0);
      for (const user of users.filter((u) => totals.get(u)! > 0)) {
        const ahead = [...totals.values()].filter((p) => p > totals.get(user)!).length;
        expect((await repo.leaderboardAllTime(guild, user)).me, `${when}, ${user}`).toEqual({ userId: user, points: totals.get(user), rank: ahead + 1 });
      }
      for (const { table, kept, defined } of await keptAndDefined(guild)) expect(kept, `${when}, ${table}`).toEqual(defined);
      return totals;
    };
    for (const [r, round] of created!.rounds.entries()) {
      await repo.openRound(round.id, at(r * 30), at(r * 30 + 20));
      const inputs = users.map((userId) => {
        const points = steps[Math.floor(random() * steps.length)]!;
        return { roundId: round.id, gameId: created!.game.id, guildId: guild, userId, answer: 'x', correct: points > 0, scoring: { pointsFor: () => points }, now: at(r * 30 + 1) };
      });
      if (r % 2 === 0) for (const input of inputs) await repo.recordAnswer(input);
      else await repo.recordAnswers(inputs);
      // The first right answer's bonus moves that member alone, by an update of their score row.
      await repo.revealRound(round.id, guild, 9_950, at(r * 30 + 21));
      const totals = await expectRanksAndKeptTables(`round ${r}`);
      if (r === rounds - 1) expect(new Set([...totals.values()].map((p) => Math.floor(p / 10_000))).size, 'groups held').toBeGreaterThan(3);
    }
    // Score rows removed directly (the trigger's delete path): their members leave every kept table.
    await database.db.execute(sql`delete from player_scores where guild_id = ${guild} and user_id in (${users[0]!}, ${users[1]!})`);
    await expectRanksAndKeptTables('after removals');
  });

  it.each([4, 5, 6])('GIVEN ties around the cut-off (seed %i) THEN both boards count the members tied with the last place shown who did not fit', async (seed) => {
    const random = seededRandom(seed);
    const guild = `10000000000000020${seed}`;
    const created = await repo.createGame({ guildId: guild, channelId: newChannel(), startedBy: 's', questionIds: ['t1'], secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
    const round = created!.rounds[0]!;
    await repo.openRound(round.id, T0, at(20));
    // Few distinct totals among many members, so the cut-off nearly always falls inside a tie.
    const totals = new Map<string, number>();
    for (let i = 0; i < 14; i++) {
      const points = [0, 10, 20, 30][Math.floor(random() * 4)]!;
      totals.set(`m${String(i).padStart(2, '0')}`, points);
      await repo.recordAnswer({ roundId: round.id, gameId: created!.game.id, guildId: guild, userId: `m${String(i).padStart(2, '0')}`, answer: 'x', correct: points > 0, scoring: { pointsFor: () => points }, now: at(1) });
    }
    for (const limit of [1, 3, 5, 10, 20]) {
      const scored = [...totals.values()].filter((p) => p > 0).sort((a, b) => b - a);
      const shown = scored.slice(0, limit);
      const last = shown.at(-1);
      const expected = last === undefined ? 0 : scored.filter((p) => p === last).length - shown.filter((p) => p === last).length;
      const allTime = await repo.leaderboardAllTime(guild, 'm00', limit);
      const week = await repo.leaderboardThisWeek(guild, 'm00', T0, 'UTC', limit);
      expect(allTime.top.map((s) => s.points), `limit ${limit}`).toEqual(shown);
      expect(allTime.tiedBeyond, `all time, limit ${limit}`).toBe(expected);
      expect(week.tiedBeyond, `week, limit ${limit}`).toBe(expected);
    }
  });

  it('GIVEN a tie exactly at the cut-off THEN the board says how many more share the last place', async () => {
    const guild = '100000000000000210';
    const created = await repo.createGame({ guildId: guild, channelId: newChannel(), startedBy: 's', questionIds: ['t2'], secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
    const round = created!.rounds[0]!;
    await repo.openRound(round.id, T0, at(20));
    for (const [user, points] of [['a', 30], ['b', 20], ['c', 10], ['d', 10], ['e', 10], ['f', 5]] as const) {
      await repo.recordAnswer({ roundId: round.id, gameId: created!.game.id, guildId: guild, userId: user, answer: 'x', correct: true, scoring: { pointsFor: () => points }, now: at(1) });
    }
    expect((await repo.leaderboardAllTime(guild, 'a', 3)).tiedBeyond).toBe(2);
    expect((await repo.leaderboardAllTime(guild, 'a', 4)).tiedBeyond).toBe(1);
    expect((await repo.leaderboardAllTime(guild, 'a', 5)).tiedBeyond).toBe(0);
    expect((await repo.leaderboardAllTime(guild, 'a', 2)).tiedBeyond).toBe(0);
    expect((await repo.leaderboardThisWeek(guild, 'a', T0, 'UTC', 3)).tiedBeyond).toBe(2);
  });

  /** A server's answers as stored (points include a paid first-correct bonus): what the old weekly board summed. */
  async function storedAnswers(guild: string): Promise<{ userId: string; points: number; ms: number }[]> {
    const result = (await database.db.execute(sql`select user_id, points, (extract(epoch from answered_at) * 1000)::float8 as ms from trivia_answers where guild_id = ${guild}`)) as unknown;
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { user_id: string; points: number; ms: number }[];
    return rows.map((r) => ({ userId: r.user_id, points: Number(r.points), ms: Number(r.ms) }));
  }

  /**
   * The weekly board by its old definition: each member's answers' points summed from the local Monday holding
   * `now` (startOfLocalWeek, the JavaScript reckoning) to the next one, ranked in JavaScript.
   */
  function boardBySumming(answers: { userId: string; points: number; ms: number }[], userId: string, now: Date, timeZone: string, limit: number) {
    const from = startOfLocalWeek(now, timeZone).getTime();
    const to = startOfLocalWeek(new Date(from + 8 * 86_400_000), timeZone).getTime();
    const totals = new Map<string, number>();
    for (const a of answers) if (a.ms >= from && a.ms < to) totals.set(a.userId, (totals.get(a.userId) ?? 0) + a.points);
    const all = withRanks([...totals].map(([id, points]) => ({ userId: id, points })).filter((t) => t.points > 0).sort((x, y) => y.points - x.points || (x.userId < y.userId ? -1 : 1)));
    const top = all.slice(0, limit);
    const last = top.at(-1);
    const tiedBeyond = last ? all.filter((t) => t.points === last.points).length - top.filter((t) => t.points === last.points).length : 0;
    return { top, me: all.find((t) => t.userId === userId) ?? null, tiedBeyond };
  }

  /**
   * Answers of `members` over two local weeks of `guild`, written by both click statements, with first-correct
   * bonuses: rounds of 20 s around the local Monday midnight between the weeks (one straddling it), the rest spread
   * over both weeks. Points from a few values, so totals tie. Returns that Monday.
   */
  async function playTwoWeeks(guild: string, timeZone: string, weekOf: Date, members: string[], random: () => number): Promise<Date> {
    const monday = startOfLocalWeek(weekOf, timeZone);
    const hour = 3_600_000;
    const starts = [monday.getTime() - 10_000, monday.getTime() - 25_000, monday.getTime() + 5_000];
    for (let i = 0; i < 9; i++) starts.push(monday.getTime() + (random() - 0.5) * 6 * hour); // within 3 h of midnight
    for (let i = 0; i < 6; i++) starts.push(monday.getTime() + (random() * 2 - 1) * 6.9 * 24 * hour); // anywhere in both weeks
    const created = await repo.createGame({ guildId: guild, channelId: newChannel(), startedBy: 's', questionIds: starts.map((_, i) => `w${i}`), secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
    for (const [r, round] of created!.rounds.entries()) {
      const opens = starts[r]!;
      await repo.openRound(round.id, new Date(opens), new Date(opens + 20_000));
      const clicks = members
        .filter(() => random() < 0.75)
        .map((userId) => {
          const points = [5, 10, 15][Math.floor(random() * 3)]!;
          return { roundId: round.id, gameId: created!.game.id, guildId: guild, userId, answer: 'x', correct: random() < 0.7, scoring: { pointsFor: () => points }, now: new Date(opens + 1_000 + random() * 18_000) };
        })
        .sort((x, y) => x.now.getTime() - y.now.getTime());
      if (r % 2 === 0) for (const click of clicks) await repo.recordAnswer(click);
      else await repo.recordAnswers(clicks);
      if (r % 3 !== 2) await repo.revealRound(round.id, guild, 5, new Date(opens + 21_000));
    }
    return monday;
  }

  it.each([
    { timeZone: 'UTC', weekOf: T0, seed: 1 }, // no settings row: the week is UTC's
    { timeZone: 'Pacific/Auckland', weekOf: T0, seed: 2 },
    { timeZone: 'America/New_York', weekOf: new Date('2026-11-02T12:00:00Z'), seed: 3 }, // the week after the clocks went back
  ])('GIVEN answers over two local weeks in $timeZone (seed $seed) THEN the weekly board equals summing each member\'s answers of the week', async ({ timeZone, weekOf, seed }) => {
    const random = seededRandom(seed);
    const guild = `10000000000000030${seed}`;
    if (timeZone !== 'UTC') await new GuildSettingsRepository(database.db).update(guild, { timeZone }, T0);
    const members = Array.from({ length: 8 }, (_, i) => `70000000000000000${i}`);
    const monday = await playTwoWeeks(guild, timeZone, weekOf, members, random);
    const answers = await storedAnswers(guild);
    const day = 86_400_000;
    // a moment in each week, including each week's first and last millisecond
    for (const now of [new Date(monday.getTime() - 2 * day), new Date(monday.getTime() - 1), monday, new Date(monday.getTime() + 3 * day)]) {
      for (const limit of [1, 3, 5, 10]) {
        for (const userId of [...members, '799999999999999999']) {
          expect(await repo.leaderboardThisWeek(guild, userId, now, timeZone, limit), `${now.toISOString()}, limit ${limit}, ${userId}`).toEqual(boardBySumming(answers, userId, now, timeZone, limit));
        }
      }
    }
    const lastWeek = await repo.leaderboardThisWeek(guild, members[0]!, new Date(monday.getTime() - 1), timeZone);
    const thisWeek = await repo.leaderboardThisWeek(guild, members[0]!, monday, timeZone);
    expect(lastWeek.top.length).toBeGreaterThan(3); // both weeks were played, and differ
    expect(thisWeek.top.length).toBeGreaterThan(3);
    expect(thisWeek.top).not.toEqual(lastWeek.top);
    expect((await repo.leaderboardThisWeek(guild, '799999999999999999', monday, timeZone)).me).toBeNull();
  });

  it('GIVEN a server that changes its time zone mid-week THEN its week is rebuilt under the new zone, and later answers follow it', async () => {
    const guild = '100000000000000399';
    const settings = new GuildSettingsRepository(database.db);
    const members = Array.from({ length: 8 }, (_, i) => `71000000000000000${i}`);
    const random = seededRandom(9);
    // Answers around both zones' Mondays: Auckland's (Sunday 11:00 UTC) and UTC's.
    await playTwoWeeks(guild, 'Pacific/Auckland', T0, members, random);
    await playTwoWeeks(guild, 'UTC', T0, members, random);
    const answers = await storedAnswers(guild);
    const now = new Date(startOfLocalWeek(T0, 'UTC').getTime() + 30 * 3_600_000); // Tuesday 06:00 UTC, Tuesday 19:00 in Auckland
    const boards = async (timeZone: string) => Promise.all(members.map((m) => repo.leaderboardThisWeek(guild, m, now, timeZone, 5)));
    const expected = (timeZone: string) => members.map((m) => boardBySumming(answers, m, now, timeZone, 5));
    expect(await boards('UTC')).toEqual(expected('UTC'));
    expect(expected('Pacific/Auckland')).not.toEqual(expected('UTC')); // the zones' weeks hold different answers

    await settings.update(guild, { timeZone: 'Pacific/Auckland' }, now);
    expect(await boards('Pacific/Auckland')).toEqual(expected('Pacific/Auckland'));
    await settings.update(guild, { spoilerGuard: false }, now); // no new zone: nothing moves
    expect(await boards('Pacific/Auckland')).toEqual(expected('Pacific/Auckland'));

    // The trigger now keys new answers by Auckland's week: one at 23:59:50 on Sunday UTC is Monday in Auckland.
    const later = await repo.createGame({ guildId: guild, channelId: newChannel(), startedBy: 's', questionIds: ['z1'], secondsPerQuestion: 20, category: null, difficulty: null, now: T0 });
    const sunday = startOfLocalWeek(T0, 'UTC').getTime() + 6 * 86_400_000 + 86_390_000;
    await repo.openRound(later!.rounds[0]!.id, new Date(sunday - 1_000), new Date(sunday + 20_000));
    await repo.recordAnswer({ roundId: later!.rounds[0]!.id, gameId: later!.game.id, guildId: guild, userId: members[0]!, answer: 'x', correct: true, scoring: { pointsFor: () => 1000 }, now: new Date(sunday) });
    const after = await storedAnswers(guild);
    const aucklandMonday = new Date(sunday + 5_000);
    expect(await repo.leaderboardThisWeek(guild, members[0]!, now, 'Pacific/Auckland', 5)).toEqual(boardBySumming(after, members[0]!, now, 'Pacific/Auckland', 5));
    const next = await repo.leaderboardThisWeek(guild, members[0]!, aucklandMonday, 'Pacific/Auckland', 5);
    expect(next).toEqual(boardBySumming(after, members[0]!, aucklandMonday, 'Pacific/Auckland', 5));
    expect(next.me).toMatchObject({ rank: 1 });
    expect(next.me!.points).toBeGreaterThanOrEqual(1000);

    await settings.update(guild, { timeZone: 'UTC' }, now); // and back
    const back = await storedAnswers(guild);
    expect(await boards('UTC')).toEqual(members.map((m) => boardBySumming(back, m, now, 'UTC', 5)));
  });

  it('GIVEN a game THEN every planned question is recorded as asked once', async () => {
    const before = (await repo.timesAsked(GUILD)).get('h1') ?? 0;
    await openGame(newChannel(), ['h1', 'h2']);
    expect((await repo.timesAsked(GUILD)).get('h1')).toBe(before + 1);
  });

  it('GIVEN settings THEN defaults apply until changed, and changes stick', async () => {
    const settings = new GuildSettingsRepository(database.db);
    expect((await settings.get('999999999999999999')).secondsPerQuestion).toBe(20);
    await settings.update('999999999999999999', { secondsPerQuestion: 45, spoilerGuard: false }, T0);
    expect(await settings.get('999999999999999999')).toMatchObject({ secondsPerQuestion: 45, spoilerGuard: false, timeZone: 'UTC' });
  });

  it('GIVEN question packs THEN they belong to one server and can be replaced and removed', async () => {
    const packs = new QuestionPackRepository(database.db);
    const q = { id: 'p1', category: 'war', difficulty: 'easy', type: 'true-false', answer: true, prompt: 'p?', explanation: 'e', section: 's', spoils: '7x25' } as const;
    expect(await packs.save(GUILD, 'house', [q], 'admin', T0)).toBe('added');
    expect(await packs.save(GUILD, 'house', [q, { ...q, id: 'p2' }], 'admin', T0)).toBe('replaced');
    expect((await packs.list(GUILD)).map((p) => [p.name, p.questionCount])).toEqual([['house', 2]]);
    expect(await packs.list(OTHER_GUILD)).toEqual([]);
    expect((await packs.questions(GUILD))[0]?.questions[1]?.id).toBe('p2');
    expect(await packs.remove(OTHER_GUILD, 'house')).toBe(false);
    expect(await packs.remove(GUILD, 'house')).toBe(true);
  });
});

describe('withRanks', () => {
  it('GIVEN ties THEN they share a rank and the next rank skips', () => {
    expect(withRanks([{ userId: 'a', points: 9 }, { userId: 'b', points: 9 }, { userId: 'c', points: 3 }]).map((s) => s.rank)).toEqual([1, 1, 3]);
  });
});
