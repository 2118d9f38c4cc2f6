// Trivia games, rounds, answers and scores. The database settles every race:
// one running game per channel, one answer per (round, member), one reveal per round.
import { and, asc, desc, eq, fillPlaceholders, gt, gte, inArray, isNotNull, isNull, lte, notExists, sql } from 'drizzle-orm';
import { PgDialect, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import {
  SCORE_BAND_GROUP_WIDTH,
  SCORE_BAND_WIDTH,
  localWeekStart,
  playerScoreBandGroups,
  playerScoreBands,
  playerScoreCounts,
  playerScores,
  playerWeekScores,
  questionHistory,
  triviaAnswers,
  triviaGamePlayers,
  triviaGames,
  triviaRounds,
} from '../schema.js';
import type { GameRecord, PlayerStats, RevealedAnswer, RoundRecord, Standing } from '../../trivia/types.js';

/** A board's top N, the caller's place, and how many members tie with the last place shown but did not fit. */
export interface Board {
  top: Standing[];
  me: Standing | null;
  tiedBeyond: number;
}

export interface NewGame {
  guildId: string;
  channelId: string;
  startedBy: string;
  questionIds: readonly string[];
  /** Per round, the order its options are shown in (null where there is nothing to order). */
  optionOrders?: readonly (readonly number[] | null)[];
  secondsPerQuestion: number;
  category: string | null;
  difficulty: string | null;
  now: Date;
}

export type AnswerOutcome =
  | { status: 'recorded'; correct: boolean; points: number; streak: number }
  | { status: 'already-answered' }
  | { status: 'closed' };

export interface AnswerScoring {
  /** Points if correct, given the member's streak before this answer. */
  pointsFor(streakBefore: number): number;
}

/** Streaks looked up in `pointsFor`; longer streaks score like the last entry (the streak bonus is capped well below). */
const POINTS_TABLE_SIZE = 16;

export interface AnswerInput {
  roundId: number;
  gameId: number;
  guildId: string;
  userId: string;
  answer: string;
  correct: boolean;
  scoring: AnswerScoring;
  now: Date;
}

/** pointsFor as a lookup by streak: SQL picks the entry while it holds the score row. */
function pointsByStreak(input: AnswerInput): number[] {
  return Array.from({ length: POINTS_TABLE_SIZE }, (_, streak) => (input.correct ? input.scoring.pointsFor(streak) : 0));
}

/**
 * A lone UTF-16 surrogate as U+FFFD, as the driver writes it in a text parameter. In the JSON of `recordAnswers`
 * it would be a `\ud800` escape, which Postgres refuses: one member's odd answer would fail every click with it.
 */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

type RecordAnswerValue = 'roundId' | 'gameId' | 'guildId' | 'userId' | 'answer' | 'correct' | 'pointsByStreak' | 'now';
const value = (name: RecordAnswerValue) => sql.placeholder(name);
const at = sql`${value('now')}::timestamptz`;

/** How an answer's row adds to the member's score row (`s`) in both answer statements. */
const ADD_TO_SCORE = sql`on conflict (guild_id, user_id) do update set
      points = s.points + excluded.points,
      answered = s.answered + 1,
      correct = s.correct + excluded.correct,
      current_streak = excluded.current_streak,
      best_streak = greatest(s.best_streak, excluded.best_streak),
      games_played = s.games_played + excluded.games_played,
      updated_at = excluded.updated_at`;

/**
 * The answer click's statement (`recordAnswer`), turned into SQL text once: a click only fills in its values.
 * Building it with drizzle on every click cost the bot's thread ~0.1 ms a click (bench/README.md).
 */
const RECORD_ANSWER = new PgDialect().sqlToQuery(sql`
  with open as (
    select id from ${triviaRounds} where id = ${value('roundId')} and revealed_at is null and closes_at > ${at} for share
  ), prev as (
    -- after the round's lock (exists on open), in the order a reveal takes them: round, then score
    select coalesce((select current_streak from ${playerScores} where guild_id = ${value('guildId')} and user_id = ${value('userId')} and exists (select 1 from open) for update), 0) as streak
  ), ins as (
    insert into ${triviaAnswers} (round_id, user_id, guild_id, answer, correct, points, answered_at)
    select ${value('roundId')}, ${value('userId')}, ${value('guildId')}, ${value('answer')}, ${value('correct')}::boolean,
      (${value('pointsByStreak')}::int[])[least(prev.streak, ${sql.raw(String(POINTS_TABLE_SIZE - 1))}) + 1], ${at}
    from open, prev
    on conflict do nothing
    returning points, correct
  ), joined as (
    insert into ${triviaGamePlayers} (game_id, user_id) select ${value('gameId')}, ${value('userId')} from ins on conflict do nothing returning 1
  ), score as (
    insert into ${playerScores} as s (guild_id, user_id, points, answered, correct, current_streak, best_streak, games_played, updated_at)
    select ${value('guildId')}, ${value('userId')}, ins.points, 1, ins.correct::int, t.streak, t.streak, (select count(*)::int from joined), ${at}
    from ins, prev, lateral (select case when ins.correct then prev.streak + 1 else 0 end as streak) t
    ${ADD_TO_SCORE}
    returning current_streak
  )
  select (select count(*)::int from open) as open, (select points from ins) as points, (select current_streak from score) as streak
`);

/** `recordAnswers`: the clicks arrive as one JSON array (n, round_id, ..., points, at). */
const RECORD_ANSWERS = new PgDialect().sqlToQuery(sql`
  with input as (
    select * from jsonb_to_recordset(${sql.placeholder('clicks')}::jsonb)
      as i(n int, round_id int, game_id int, guild_id text, user_id text, answer text, correct boolean, points int[], at timestamptz)
  ), open as (
    select r.id, r.closes_at from ${triviaRounds} r where r.id in (select round_id from input) and r.revealed_at is null order by r.id for share
  ), locked as (
    -- the InitPlan on open takes every round lock before the first score row is locked
    select s.guild_id, s.user_id, s.current_streak from ${playerScores} s
    where (s.guild_id, s.user_id) in (select guild_id, user_id from input) and (select count(*) from open) >= 0
    order by s.guild_id, s.user_id for update
  ), accepted as (
    select i.*, coalesce(l.current_streak, 0) as streak from input i
    join open o on o.id = i.round_id and o.closes_at > i.at
    left join locked l on l.guild_id = i.guild_id and l.user_id = i.user_id
  ), ins as (
    insert into ${triviaAnswers} (round_id, user_id, guild_id, answer, correct, points, answered_at)
    select round_id, user_id, guild_id, answer, correct, points[least(streak, ${sql.raw(String(POINTS_TABLE_SIZE - 1))}) + 1], at from accepted
    order by n -- the clicks in the order they came: their arrival numbers follow it
    on conflict do nothing
    returning round_id, user_id, points
  ), joined as (
    insert into ${triviaGamePlayers} (game_id, user_id)
    select a.game_id, a.user_id from ins join accepted a using (round_id, user_id) on conflict do nothing returning game_id, user_id
  ), score as (
    insert into ${playerScores} as s (guild_id, user_id, points, answered, correct, current_streak, best_streak, games_played, updated_at)
    select a.guild_id, a.user_id, ins.points, 1, a.correct::int, t.streak, t.streak,
      (select count(*)::int from joined j where j.game_id = a.game_id and j.user_id = a.user_id), a.at
    from ins join accepted a using (round_id, user_id), lateral (select case when a.correct then a.streak + 1 else 0 end as streak) t
    ${ADD_TO_SCORE}
    returning guild_id, user_id, current_streak
  )
  select i.n, a.n is not null as open, ins.points, score.current_streak as streak
  from input i
  left join accepted a on a.n = i.n
  left join ins on ins.round_id = i.round_id and ins.user_id = i.user_id
  left join score on score.guild_id = i.guild_id and score.user_id = i.user_id
`);

/** Runs a statement turned into SQL text once, with this call's values, as a prepared statement on the driver. */
function run<T>(db: Db, statement: typeof RECORD_ANSWER, values: Record<string, unknown>): Promise<T[]> {
  return db.$client.unsafe<T[]>(statement.sql, fillPlaceholders(statement.params, values) as never[], { prepare: true });
}

/** Places a leaderboard shows. */
export const BOARD_SIZE = 10;

/**
 * A board statement's rows: the top rows (ahead null), the caller's row with the members ahead of them, and how
 * many members share the last place shown (ahead -1, their number in `points`).
 */
interface BoardRow {
  user_id: string;
  points: number;
  ahead: number | null;
}

/** Builds the board statements once, with placeholders: drizzle took ~0.15 ms of the bot's thread to build one per call (bench/README.md). */
const boardQueries = new QueryBuilder();
const board = (name: 'guildId' | 'userId' | 'now' | 'timeZone') => sql.placeholder(name);

/**
 * The all-time board. The top walks the (guild, points desc, user) index; the members ahead of the caller are those
 * in higher 10,000-point groups of bands (player_score_band_groups), plus those in higher 100-point bands of the
 * caller's group (player_score_bands), plus those with a higher total in the caller's band (player_score_counts),
 * all kept by a trigger, so neither sorts nor counts the server: a rank reads at most ~100 band and ~100 total rows,
 * and a group row per 10,000 points above the caller. The caller's row also reads `answered`, which the board's
 * index does not hold: that keeps its lookup on the primary key in every plan. Without it, a cached generic plan
 * (made once for any server) found the caller by scanning the board index of the whole server, 100,000 entries in
 * a big one.
 */
const ALL_TIME_BOARD = (() => {
  const callerPoints = sql`${playerScores}.${sql.identifier('points')}`;
  const width = sql.raw(String(SCORE_BAND_WIDTH));
  const groupWidth = sql.raw(String(SCORE_BAND_GROUP_WIDTH));
  const bandsPerGroup = sql.raw(String(SCORE_BAND_GROUP_WIDTH / SCORE_BAND_WIDTH));
  const callerBand = sql`(${callerPoints} / ${width})`;
  const callerGroup = sql`(${callerPoints} / ${groupWidth})`;
  const inHigherGroups = sql`(select coalesce(sum(g.members), 0) from ${playerScoreBandGroups} g where g.guild_id = ${board('guildId')} and g.band_group > ${callerGroup})`;
  const inHigherBandsOfGroup = sql`(select coalesce(sum(b.members), 0) from ${playerScoreBands} b where b.guild_id = ${board('guildId')} and b.band > ${callerBand} and b.band < (${callerGroup} + 1) * ${bandsPerGroup})`;
  const higherInBand = sql`(select coalesce(sum(c.members), 0) from ${playerScoreCounts} c where c.guild_id = ${board('guildId')} and c.points > ${callerPoints} and c.points < (${callerBand} + 1) * ${width})`;
  const ahead = sql`(${inHigherGroups} + ${inHigherBandsOfGroup} + ${higherInBand})::int`;
  const lastShownPoints = sql`(select p.points from ${playerScores} p where p.guild_id = ${board('guildId')} and p.points > 0 order by p.points desc, p.user_id limit 1 offset ${sql.raw(String(BOARD_SIZE - 1))})`;
  return new PgDialect().sqlToQuery(
    boardQueries
      .select({ userId: playerScores.userId, points: playerScores.points, ahead: sql`null::int`.as('ahead'), answered: sql`null::int`.as('answered') })
      .from(playerScores)
      .where(and(eq(playerScores.guildId, board('guildId')), gt(playerScores.points, 0)))
      .orderBy(desc(playerScores.points), asc(playerScores.userId))
      .limit(BOARD_SIZE)
      .unionAll(
        boardQueries
          .select({ userId: playerScores.userId, points: playerScores.points, ahead: ahead.as('ahead'), answered: playerScores.answered })
          .from(playerScores)
          .where(and(eq(playerScores.guildId, board('guildId')), eq(playerScores.userId, board('userId')), gt(playerScores.points, 0))),
      )
      .unionAll(
        boardQueries
          .select({ userId: sql<string>`''`.as('user_id'), points: playerScoreCounts.members, ahead: sql`-1`.as('ahead'), answered: sql`null::int`.as('answered') })
          .from(playerScoreCounts)
          .where(and(eq(playerScoreCounts.guildId, board('guildId')), eq(playerScoreCounts.points, lastShownPoints))),
      )
      .getSQL(),
  );
})();

/**
 * The weekly board: player_week_scores, kept per answer by migration 0011's trigger. The week's key is the
 * trigger's expression (`localWeekStart`) of this call's instant and zone, so the two cannot disagree. The top walks
 * the (guild, week, points desc, user) index, the caller's rank counts the entries ahead of theirs in it, so no call
 * sums the week's answers. The board's index holds every column of the table, so the caller's row also reads the
 * row's version (xmin), which only the table holds: that keeps its lookup on the primary key in every plan.
 * Without it, a cached generic plan (made once for any server, sized like a small one) found the caller by walking
 * the board index of the server's whole week (test/db/generic-plans.test.ts: 1,516 pages against 17 for a caller
 * absent from a 100,000-player week).
 */
const WEEK_BOARD = (() => {
  const week = localWeekStart(sql`${board('now')}::timestamptz`, sql`${board('timeZone')}::text`);
  const inThisWeek = and(eq(playerWeekScores.guildId, board('guildId')), eq(playerWeekScores.weekStart, week), gt(playerWeekScores.points, 0));
  const callerPoints = sql`${playerWeekScores}.${sql.identifier('points')}`;
  const ahead = sql`(select count(*)::int from ${playerWeekScores} w where w.guild_id = ${board('guildId')} and w.week_start = ${week} and w.points > ${callerPoints})`;
  const lastShownPoints = sql`(select w.points from ${playerWeekScores} w where w.guild_id = ${board('guildId')} and w.week_start = ${week} and w.points > 0 order by w.points desc, w.user_id limit 1 offset ${sql.raw(String(BOARD_SIZE - 1))})`;
  return new PgDialect().sqlToQuery(
    boardQueries
      .select({ userId: playerWeekScores.userId, points: playerWeekScores.points, ahead: sql`null::int`.as('ahead'), version: sql`null::text`.as('version') })
      .from(playerWeekScores)
      .where(inThisWeek)
      .orderBy(desc(playerWeekScores.points), asc(playerWeekScores.userId))
      .limit(BOARD_SIZE)
      .unionAll(
        boardQueries
          .select({ userId: playerWeekScores.userId, points: playerWeekScores.points, ahead: ahead.as('ahead'), version: sql`${playerWeekScores}.xmin::text`.as('version') })
          .from(playerWeekScores)
          .where(and(inThisWeek, eq(playerWeekScores.userId, board('userId')))),
      )
      .unionAll(
        boardQueries
          .select({ userId: sql<string>`''`.as('user_id'), points: sql<number>`count(*)::int`.as('points'), ahead: sql`-1`.as('ahead'), version: sql`null::text`.as('version') })
          .from(playerWeekScores)
          .where(and(inThisWeek, eq(playerWeekScores.points, lastShownPoints))),
      )
      .getSQL(),
  );
})();

/** A board from its statement's rows, cut to `limit` places (the statement gives BOARD_SIZE). */
function boardOf(rows: readonly BoardRow[], userId: string, limit: number): Board {
  const full = withRanks(
    rows
      .filter((r) => r.ahead === null)
      .map((r) => ({ userId: r.user_id, points: Number(r.points) }))
      .sort(byPointsThenUser),
  );
  const top = full.slice(0, limit);
  const mine = rows.find((r) => r.ahead !== null && Number(r.ahead) !== -1);
  const lastShown = full.at(limit - 1);
  // The statement counts the members sharing the BOARD_SIZE-th place; a tie that ends before it is all in `full`.
  const tiedToTheEnd = lastShown !== undefined && lastShown.points === full.at(BOARD_SIZE - 1)?.points;
  const sharingLastPlace = tiedToTheEnd
    ? Number(rows.find((r) => r.ahead !== null && Number(r.ahead) === -1)?.points ?? 0)
    : full.filter((s) => s.points === lastShown?.points).length;
  return { top, me: mine ? { userId, points: Number(mine.points), rank: Number(mine.ahead) + 1 } : null, tiedBeyond: tiedBeyondTheList(top, sharingLastPlace) };
}

export class TriviaRepository {
  constructor(private readonly db: Db) {}

  /** Creates the game and plans its rounds; returns null when this channel already has a running game. */
  async createGame(game: NewGame): Promise<{ game: GameRecord; rounds: RoundRecord[] } | null> {
    return this.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(triviaGames)
        .values({
          guildId: game.guildId,
          channelId: game.channelId,
          startedBy: game.startedBy,
          questionCount: game.questionIds.length,
          secondsPerQuestion: game.secondsPerQuestion,
          category: game.category,
          difficulty: game.difficulty,
          createdAt: game.now,
        })
        .onConflictDoNothing()
        .returning();
      if (!created) return null;
      const rounds = await tx
        .insert(triviaRounds)
        .values(
          game.questionIds.map((questionId, i) => ({
            gameId: created.id,
            roundNo: i + 1,
            questionId,
            optionOrder: game.optionOrders?.[i] ? [...game.optionOrders[i]!] : null,
          })),
        )
        .returning();
      await tx
        .insert(questionHistory)
        .values(game.questionIds.map((questionId) => ({ guildId: game.guildId, questionId, timesAsked: 1, lastAskedAt: game.now })))
        .onConflictDoUpdate({
          target: [questionHistory.guildId, questionHistory.questionId],
          set: { timesAsked: sql`${questionHistory.timesAsked} + 1`, lastAskedAt: game.now },
        });
      return { game: toGame(created), rounds: rounds.sort((a, b) => a.roundNo - b.roundNo) };
    });
  }

  async runningGameInChannel(channelId: string): Promise<{ game: GameRecord; currentMessageId: string | null } | null> {
    const [row] = await this.db
      .select()
      .from(triviaGames)
      .where(and(eq(triviaGames.channelId, channelId), eq(triviaGames.status, 'running')));
    if (!row) return null;
    const [current] = await this.db
      .select({ messageId: triviaRounds.messageId })
      .from(triviaRounds)
      .where(and(eq(triviaRounds.gameId, row.id), sql`${triviaRounds.messageId} is not null`))
      .orderBy(desc(triviaRounds.roundNo))
      .limit(1);
    return { game: toGame(row), currentMessageId: current?.messageId ?? null };
  }

  async timesAsked(guildId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ questionId: questionHistory.questionId, timesAsked: questionHistory.timesAsked })
      .from(questionHistory)
      .where(eq(questionHistory.guildId, guildId));
    return new Map(rows.map((r) => [r.questionId, r.timesAsked]));
  }

  /**
   * Running games with something to do at `now`: a question to open, reveal or finish with. A game whose
   * question is open and still running is left out, so a busy server's tick costs one statement, not one per game.
   * The longest overdue first: a game with a question to open (nothing to wait for), then by when the question
   * closed.
   */
  async gamesToAdvance(now: Date): Promise<GameRecord[]> {
    const openQuestion = this.db
      .select({ id: triviaRounds.id })
      .from(triviaRounds)
      .where(and(eq(triviaRounds.gameId, triviaGames.id), isNotNull(triviaRounds.opensAt), isNull(triviaRounds.revealedAt), gt(triviaRounds.closesAt, now)));
    const rows = await this.db
      .select()
      .from(triviaGames)
      .where(and(eq(triviaGames.status, 'running'), notExists(openQuestion)))
      .orderBy(
        sql`(select min(r.closes_at) from ${triviaRounds} r where r.game_id = ${triviaGames.id} and r.revealed_at is null) asc nulls first`,
        asc(triviaGames.id),
      );
    return rows.map(toGame);
  }

  /** Running games whose open question closes after `from` and no later than `to`, with that time, soonest first. */
  async gamesClosingBetween(from: Date, to: Date): Promise<{ game: GameRecord; closesAt: Date }[]> {
    const rows = await this.db
      .select({ game: triviaGames, closesAt: triviaRounds.closesAt })
      .from(triviaGames)
      .innerJoin(triviaRounds, eq(triviaRounds.gameId, triviaGames.id))
      .where(and(eq(triviaGames.status, 'running'), isNotNull(triviaRounds.opensAt), isNull(triviaRounds.revealedAt), gt(triviaRounds.closesAt, from), lte(triviaRounds.closesAt, to)))
      .orderBy(asc(triviaRounds.closesAt));
    return rows.map((r) => ({ game: toGame(r.game), closesAt: r.closesAt! }));
  }

  async game(gameId: number): Promise<GameRecord | null> {
    const [row] = await this.db.select().from(triviaGames).where(eq(triviaGames.id, gameId));
    return row ? toGame(row) : null;
  }

  async rounds(gameId: number): Promise<RoundRecord[]> {
    return this.db.select().from(triviaRounds).where(eq(triviaRounds.gameId, gameId)).orderBy(asc(triviaRounds.roundNo));
  }

  async round(roundId: number): Promise<{ round: RoundRecord; game: GameRecord } | null> {
    const [row] = await this.db
      .select({ round: triviaRounds, game: triviaGames })
      .from(triviaRounds)
      .innerJoin(triviaGames, eq(triviaGames.id, triviaRounds.gameId))
      .where(eq(triviaRounds.id, roundId));
    return row ? { round: row.round, game: toGame(row.game) } : null;
  }

  /** Claims the opening of a round: only one caller (of any process) gets true. */
  async openRound(roundId: number, opensAt: Date, closesAt: Date): Promise<boolean> {
    const rows = await this.db
      .update(triviaRounds)
      .set({ opensAt, closesAt })
      .where(
        and(
          eq(triviaRounds.id, roundId),
          isNull(triviaRounds.opensAt),
          sql`exists (select 1 from ${triviaGames} where ${triviaGames.id} = ${triviaRounds.gameId} and ${triviaGames.status} = 'running')`,
        ),
      )
      .returning({ id: triviaRounds.id });
    return rows.length === 1;
  }

  /**
   * Undoes `openRound` when nobody can have seen the question (no question message recorded, nobody answered),
   * so a later tick of any process asks it again. True when it did.
   */
  async releaseUnseenRound(roundId: number): Promise<boolean> {
    const released = await this.db
      .update(triviaRounds)
      .set({ opensAt: null, closesAt: null })
      .where(
        and(
          eq(triviaRounds.id, roundId),
          isNull(triviaRounds.messageId),
          isNull(triviaRounds.revealedAt),
          notExists(this.db.select({ one: sql`1` }).from(triviaAnswers).where(eq(triviaAnswers.roundId, roundId))),
        ),
      )
      .returning({ id: triviaRounds.id });
    return released.length > 0;
  }

  async setRoundMessage(roundId: number, messageId: string): Promise<void> {
    await this.db.update(triviaRounds).set({ messageId }).where(eq(triviaRounds.id, roundId));
  }

  /**
   * Records a member's answer and updates their score in one statement (one round trip, its own
   * transaction). The (round, member) key makes a double click, a retry or a second bot process a no-op;
   * the round row is share-locked so a reveal cannot slip between the "still open" check and the insert,
   * and the member's score row is locked while the streak is read and moved on.
   */
  async recordAnswer(input: AnswerInput): Promise<AnswerOutcome> {
    const { roundId, gameId, guildId, userId, answer, correct } = input;
    const values: Record<RecordAnswerValue, unknown> = { roundId, gameId, guildId, userId, answer, correct, pointsByStreak: `{${pointsByStreak(input).join(',')}}`, now: input.now.toISOString() };
    const [row] = await run<{ open: number; points: number | null; streak: number | null }>(this.db, RECORD_ANSWER, values);
    if (!row || Number(row.open) === 0) return { status: 'closed' };
    if (row.points === null) return { status: 'already-answered' };
    return { status: 'recorded', correct, points: Number(row.points), streak: Number(row.streak) };
  }

  /**
   * Records several members' answers in one statement, with the effects of `recordAnswer` on each. Clicks that
   * pile up while others are being written go together (`AnswerQueue`): 20 clicks cost Postgres about a third of
   * what 20 statements do (bench/README.md). Each (server, member) may appear once: a score row can be updated
   * once per statement. Locks are taken as a reveal takes them, rounds first (by id), then score rows (by server
   * and member); the per-total counts the score trigger keeps are locked in the order the scores are written,
   * which is why `AnswerQueue` writes one statement at a time per server.
   */
  async recordAnswers(inputs: readonly AnswerInput[]): Promise<AnswerOutcome[]> {
    const members = new Set(inputs.map((i) => `${i.guildId}:${i.userId}`));
    if (members.size !== inputs.length) throw new Error('recordAnswers: each (server, member) at most once per call');
    const clicks = inputs.map((input, n) => ({
      n,
      round_id: input.roundId,
      game_id: input.gameId,
      guild_id: input.guildId,
      user_id: input.userId,
      answer: wellFormed(input.answer),
      correct: input.correct,
      points: pointsByStreak(input),
      at: input.now.toISOString(),
    }));
    const rows = await run<{ n: number; open: boolean; points: number | null; streak: number | null }>(this.db, RECORD_ANSWERS, { clicks: JSON.stringify(clicks) });
    return inputs.map((input, n) => {
      const row = rows.find((r) => Number(r.n) === n);
      if (!row || !row.open) return { status: 'closed' };
      if (row.points === null) return { status: 'already-answered' };
      return { status: 'recorded', correct: input.correct, points: Number(row.points), streak: Number(row.streak) };
    });
  }

  /**
   * Closes a round exactly once and settles the first-correct bonus. Returns null when the round was
   * already revealed (by another process, or a retried tick).
   */
  async revealRound(roundId: number, guildId: string, firstCorrectBonus: number, now: Date): Promise<RevealedAnswer[] | null> {
    return this.db.transaction(async (tx) => {
      const claimed = await tx
        .update(triviaRounds)
        .set({ revealedAt: now })
        .where(and(eq(triviaRounds.id, roundId), isNull(triviaRounds.revealedAt)))
        .returning({ id: triviaRounds.id });
      if (claimed.length === 0) return null;
      const answers = await answersInOrder(tx, roundId);
      const first = answers.find((a) => a.correct);
      if (first && firstCorrectBonus > 0) {
        await tx
          .update(triviaAnswers)
          .set({ points: sql`${triviaAnswers.points} + ${firstCorrectBonus}` })
          .where(and(eq(triviaAnswers.roundId, roundId), eq(triviaAnswers.userId, first.userId)));
        await tx
          .update(playerScores)
          .set({ points: sql`${playerScores.points} + ${firstCorrectBonus}` })
          .where(and(eq(playerScores.guildId, guildId), eq(playerScores.userId, first.userId)));
      }
      return asRevealed(answers, firstCorrectBonus);
    });
  }

  /** Ends a running game once; returns false when it had already ended. */
  async endGame(gameId: number, status: 'finished' | 'stopped', endedBy: string | null, now: Date): Promise<boolean> {
    const rows = await this.db
      .update(triviaGames)
      .set({ status, endedAt: now, endedBy })
      .where(and(eq(triviaGames.id, gameId), eq(triviaGames.status, 'running')))
      .returning({ id: triviaGames.id });
    return rows.length === 1;
  }

  /** Makes an open round close now (used by /trivia stop so answers already given still count). */
  async closeRoundNow(roundId: number, now: Date): Promise<void> {
    await this.db
      .update(triviaRounds)
      .set({ closesAt: now })
      .where(and(eq(triviaRounds.id, roundId), isNull(triviaRounds.revealedAt), gt(triviaRounds.closesAt, now)));
  }

  async gameStandings(gameId: number): Promise<Standing[]> {
    const total = sql<number>`cast(sum(${triviaAnswers.points}) as int)`;
    const rows = await this.db
      .select({ userId: triviaAnswers.userId, points: total })
      .from(triviaAnswers)
      .innerJoin(triviaRounds, eq(triviaRounds.id, triviaAnswers.roundId))
      .where(eq(triviaRounds.gameId, gameId))
      .groupBy(triviaAnswers.userId)
      .orderBy(desc(total), asc(triviaAnswers.userId));
    return withRanks(rows.map((r) => ({ userId: r.userId, points: Number(r.points) })));
  }

  /**
   * All-time top N plus the caller's rank; ties share a rank (`ALL_TIME_BOARD`, one round trip). N is at most
   * BOARD_SIZE.
   */
  async leaderboardAllTime(guildId: string, userId: string, limit = BOARD_SIZE): Promise<Board> {
    return boardOf(await run<BoardRow>(this.db, ALL_TIME_BOARD, { guildId, userId }), userId, limit);
  }

  /**
   * This week's top N plus the caller's rank (the server's local week holding `now`, Monday 00:00 in `timeZone`);
   * ties share a rank (`WEEK_BOARD`, one round trip). N is at most BOARD_SIZE.
   */
  async leaderboardThisWeek(guildId: string, userId: string, now: Date, timeZone: string, limit = BOARD_SIZE): Promise<Board> {
    return boardOf(await run<BoardRow>(this.db, WEEK_BOARD, { guildId, userId, now: now.toISOString(), timeZone }), userId, limit);
  }

  async stats(guildId: string, userId: string): Promise<PlayerStats | null> {
    const [row] = await this.db
      .select()
      .from(playerScores)
      .where(and(eq(playerScores.guildId, guildId), eq(playerScores.userId, userId)));
    return row
      ? {
          points: row.points,
          answered: row.answered,
          correct: row.correct,
          currentStreak: row.currentStreak,
          bestStreak: row.bestStreak,
          gamesPlayed: row.gamesPlayed,
        }
      : null;
  }

  async hasAnswered(roundId: number, userId: string): Promise<boolean> {
    const rows = await this.db
      .select({ roundId: triviaAnswers.roundId })
      .from(triviaAnswers)
      .where(and(eq(triviaAnswers.roundId, roundId), eq(triviaAnswers.userId, userId)));
    return rows.length > 0;
  }

  /** Records that the reveal is on the question message. */
  async markRevealShown(roundId: number, now: Date): Promise<void> {
    await this.db.update(triviaRounds).set({ revealShownAt: now }).where(eq(triviaRounds.id, roundId));
  }

  /**
   * Takes on showing a reveal that was saved but never shown: only one caller (of any process) gets true.
   * `giveBack` undoes it when showing failed, so a later tick tries again.
   */
  async claimRevealShow(roundId: number, now: Date): Promise<boolean> {
    const rows = await this.db
      .update(triviaRounds)
      .set({ revealShownAt: now })
      .where(and(eq(triviaRounds.id, roundId), isNotNull(triviaRounds.revealedAt), isNull(triviaRounds.revealShownAt)))
      .returning({ id: triviaRounds.id });
    return rows.length === 1;
  }

  async giveBackRevealShow(roundId: number): Promise<void> {
    await this.db.update(triviaRounds).set({ revealShownAt: null }).where(eq(triviaRounds.id, roundId));
  }

  /** Reveals saved in [from, to] that are not on their message yet, with their game and its number of rounds. */
  async unshownReveals(from: Date, to: Date): Promise<{ round: RoundRecord; game: GameRecord; total: number }[]> {
    const total = sql<number>`(select count(*)::int from ${triviaRounds} r where r.game_id = ${triviaGames.id})`;
    const rows = await this.db
      .select({ round: triviaRounds, game: triviaGames, total })
      .from(triviaRounds)
      .innerJoin(triviaGames, eq(triviaGames.id, triviaRounds.gameId))
      .where(and(isNull(triviaRounds.revealShownAt), gte(triviaRounds.revealedAt, from), lte(triviaRounds.revealedAt, to)))
      .orderBy(asc(triviaRounds.id));
    return rows.map((r) => ({ round: r.round, game: toGame(r.game), total: Number(r.total) }));
  }

  /** A revealed round's answers as the reveal shows them: points include the first-correct bonus. */
  async revealedAnswers(roundId: number): Promise<RevealedAnswer[]> {
    return asRevealed(await answersInOrder(this.db, roundId), 0);
  }

  async gamesByIds(ids: readonly number[]): Promise<GameRecord[]> {
    if (ids.length === 0) return [];
    return (await this.db.select().from(triviaGames).where(inArray(triviaGames.id, [...ids]))).map(toGame);
  }
}

/** A round's answers in the order they came (the same millisecond: the order they reached the database), which decides the first-correct bonus. */
function answersInOrder(db: Pick<Db, 'select'>, roundId: number) {
  return db.select().from(triviaAnswers).where(eq(triviaAnswers.roundId, roundId)).orderBy(asc(triviaAnswers.answeredAt), asc(triviaAnswers.arrival));
}

/**
 * Answers in the order they came, the first correct one marked; `bonus` is added to its
 * points when the reveal is paying it now (already stored otherwise).
 */
function asRevealed(answers: readonly (typeof triviaAnswers.$inferSelect)[], bonus: number): RevealedAnswer[] {
  const first = answers.find((a) => a.correct);
  return answers.map((a) => ({
    userId: a.userId,
    correct: a.correct,
    points: a === first ? a.points + bonus : a.points,
    answeredAt: a.answeredAt,
    firstCorrect: a === first,
  }));
}

/** The board's order, as in the top query's ORDER BY (a union does not promise to keep it). */
/** Members with the last shown entry's points who did not fit on the list. */
function tiedBeyondTheList(top: Standing[], sharingLastPlace: number): number {
  const last = top.at(-1);
  return last ? Math.max(0, sharingLastPlace - top.filter((s) => s.points === last.points).length) : 0;
}

function byPointsThenUser(a: { userId: string; points: number }, b: { userId: string; points: number }): number {
  return b.points - a.points || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** Ties share a rank (1, 2, 2, 4). Input must be sorted by points, highest first. */
export function withRanks(rows: readonly { userId: string; points: number }[]): Standing[] {
  let rank = 0;
  return rows.map((row, i) => {
    if (i === 0 || row.points !== rows[i - 1]!.points) rank = i + 1;
    return { ...row, rank };
  });
}

function toGame(row: typeof triviaGames.$inferSelect): GameRecord {
  return {
    id: row.id,
    guildId: row.guildId,
    channelId: row.channelId,
    startedBy: row.startedBy,
    status: row.status,
    questionCount: row.questionCount,
    secondsPerQuestion: row.secondsPerQuestion,
    endedBy: row.endedBy,
  };
}
