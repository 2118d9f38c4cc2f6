// Trivia games, rounds, answers and scores. The database settles every race:
// one running game per channel, one answer per (round, member), one reveal per round.
import { and, asc, desc, eq, gt, gte, inArray, isNull, lte, sql, count } from 'drizzle-orm';
import type { Db } from '../client.js';
import {
  playerScores,
  questionHistory,
  triviaAnswers,
  triviaGamePlayers,
  triviaGames,
  triviaRounds,
} from '../schema.js';

export type GameStatus = 'running' | 'finished' | 'stopped';

export interface GameRecord {
  id: number;
  guildId: string;
  channelId: string;
  startedBy: string;
  status: GameStatus;
  questionCount: number;
  secondsPerQuestion: number;
  endedBy: string | null;
}

export interface RoundRecord {
  id: number;
  gameId: number;
  roundNo: number;
  questionId: string;
  messageId: string | null;
  opensAt: Date | null;
  closesAt: Date | null;
  revealedAt: Date | null;
}

export interface NewGame {
  guildId: string;
  channelId: string;
  startedBy: string;
  questionIds: readonly string[];
  secondsPerQuestion: number;
  category: string | null;
  difficulty: string | null;
  now: Date;
}

export type AnswerOutcome =
  | { status: 'recorded'; correct: boolean; points: number; streak: number }
  | { status: 'already-answered' }
  | { status: 'closed' };

export interface RevealedAnswer {
  userId: string;
  correct: boolean;
  points: number;
  answeredAt: Date;
  firstCorrect: boolean;
}

export interface Standing {
  userId: string;
  points: number;
  rank: number;
}

export interface PlayerStats {
  points: number;
  answered: number;
  correct: number;
  currentStreak: number;
  bestStreak: number;
  gamesPlayed: number;
}

export interface AnswerScoring {
  /** Points if correct, given the member's streak before this answer. */
  pointsFor(streakBefore: number): number;
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
        .values(game.questionIds.map((questionId, i) => ({ gameId: created.id, roundNo: i + 1, questionId })))
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

  async runningGames(): Promise<GameRecord[]> {
    const rows = await this.db.select().from(triviaGames).where(eq(triviaGames.status, 'running')).orderBy(asc(triviaGames.id));
    return rows.map(toGame);
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

  /** Undoes `openRound` when its question could not be posted, so a later tick (of any process) opens it again. */
  async releaseRound(roundId: number): Promise<void> {
    await this.db
      .update(triviaRounds)
      .set({ opensAt: null, closesAt: null })
      .where(and(eq(triviaRounds.id, roundId), isNull(triviaRounds.messageId), isNull(triviaRounds.revealedAt)));
  }

  async setRoundMessage(roundId: number, messageId: string): Promise<void> {
    await this.db.update(triviaRounds).set({ messageId }).where(eq(triviaRounds.id, roundId));
  }

  /**
   * Records a member's answer and updates their score in one transaction. The (round, member) key makes a
   * double click, a retry or a second bot process a no-op; the round row is share-locked so a reveal
   * cannot slip between the "still open" check and the insert.
   */
  async recordAnswer(input: {
    roundId: number;
    gameId: number;
    guildId: string;
    userId: string;
    answer: string;
    correct: boolean;
    scoring: AnswerScoring;
    now: Date;
  }): Promise<AnswerOutcome> {
    return this.db.transaction(async (tx) => {
      const [open] = await tx
        .select({ id: triviaRounds.id })
        .from(triviaRounds)
        .where(and(eq(triviaRounds.id, input.roundId), isNull(triviaRounds.revealedAt), gt(triviaRounds.closesAt, input.now)))
        .for('share');
      if (!open) return { status: 'closed' } as const;

      const inserted = await tx
        .insert(triviaAnswers)
        .values({
          roundId: input.roundId,
          userId: input.userId,
          guildId: input.guildId,
          answer: input.answer,
          correct: input.correct,
          answeredAt: input.now,
        })
        .onConflictDoNothing()
        .returning({ roundId: triviaAnswers.roundId });
      if (inserted.length === 0) return { status: 'already-answered' } as const;

      const joined = await tx
        .insert(triviaGamePlayers)
        .values({ gameId: input.gameId, userId: input.userId })
        .onConflictDoNothing()
        .returning({ gameId: triviaGamePlayers.gameId });
      const newGame = joined.length === 1 ? 1 : 0;

      const [before] = await tx
        .select({ currentStreak: playerScores.currentStreak })
        .from(playerScores)
        .where(and(eq(playerScores.guildId, input.guildId), eq(playerScores.userId, input.userId)))
        .for('update');
      const streakBefore = before?.currentStreak ?? 0;
      const points = input.correct ? input.scoring.pointsFor(streakBefore) : 0;
      const streak = input.correct ? streakBefore + 1 : 0;

      await tx
        .insert(playerScores)
        .values({
          guildId: input.guildId,
          userId: input.userId,
          points,
          answered: 1,
          correct: input.correct ? 1 : 0,
          currentStreak: streak,
          bestStreak: streak,
          gamesPlayed: newGame,
          updatedAt: input.now,
        })
        .onConflictDoUpdate({
          target: [playerScores.guildId, playerScores.userId],
          set: {
            points: sql`${playerScores.points} + ${points}`,
            answered: sql`${playerScores.answered} + 1`,
            correct: sql`${playerScores.correct} + ${input.correct ? 1 : 0}`,
            currentStreak: streak,
            bestStreak: sql`greatest(${playerScores.bestStreak}, ${streak})`,
            gamesPlayed: sql`${playerScores.gamesPlayed} + ${newGame}`,
            updatedAt: input.now,
          },
        });
      if (points > 0) {
        await tx
          .update(triviaAnswers)
          .set({ points })
          .where(and(eq(triviaAnswers.roundId, input.roundId), eq(triviaAnswers.userId, input.userId)));
      }
      return { status: 'recorded', correct: input.correct, points, streak } as const;
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
      const answers = await tx
        .select()
        .from(triviaAnswers)
        .where(eq(triviaAnswers.roundId, roundId))
        .orderBy(asc(triviaAnswers.answeredAt), asc(triviaAnswers.userId));
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
      return answers.map((a) => ({
        userId: a.userId,
        correct: a.correct,
        points: a === first ? a.points + firstCorrectBonus : a.points,
        answeredAt: a.answeredAt,
        firstCorrect: a === first,
      }));
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

  /** All-time top N plus the caller's rank; ties share a rank. Walks the (guild, points desc) index. */
  async leaderboardAllTime(guildId: string, userId: string, limit = 10): Promise<{ top: Standing[]; me: Standing | null }> {
    const top = await this.db
      .select({ userId: playerScores.userId, points: playerScores.points })
      .from(playerScores)
      .where(and(eq(playerScores.guildId, guildId), gt(playerScores.points, 0)))
      .orderBy(desc(playerScores.points), asc(playerScores.userId))
      .limit(limit);
    const ranked = withRanks(top);
    const [mine] = await this.db
      .select({ points: playerScores.points })
      .from(playerScores)
      .where(and(eq(playerScores.guildId, guildId), eq(playerScores.userId, userId)));
    if (!mine || mine.points <= 0) return { top: ranked, me: null };
    const [ahead] = await this.db
      .select({ n: count() })
      .from(playerScores)
      .where(and(eq(playerScores.guildId, guildId), gt(playerScores.points, mine.points)));
    return { top: ranked, me: { userId, points: mine.points, rank: Number(ahead?.n ?? 0) + 1 } };
  }

  /** Points earned since `since` (the start of the server's week), top N plus the caller's rank. */
  async leaderboardSince(guildId: string, userId: string, since: Date, limit = 10): Promise<{ top: Standing[]; me: Standing | null }> {
    const total = sql<number>`cast(sum(${triviaAnswers.points}) as int)`;
    const rows = await this.db
      .select({ userId: triviaAnswers.userId, points: total })
      .from(triviaAnswers)
      .where(and(eq(triviaAnswers.guildId, guildId), gte(triviaAnswers.answeredAt, since)))
      .groupBy(triviaAnswers.userId)
      .having(gt(total, 0))
      .orderBy(desc(total), asc(triviaAnswers.userId));
    const all = withRanks(rows.map((r) => ({ userId: r.userId, points: Number(r.points) })));
    return { top: all.slice(0, limit), me: all.find((s) => s.userId === userId) ?? null };
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

  async answersForRound(roundId: number): Promise<{ userId: string; correct: boolean }[]> {
    return this.db
      .select({ userId: triviaAnswers.userId, correct: triviaAnswers.correct })
      .from(triviaAnswers)
      .where(eq(triviaAnswers.roundId, roundId));
  }

  /** Rounds whose time is up but that nobody has revealed yet (e.g. the bot was down). */
  async overdueRounds(now: Date): Promise<RoundRecord[]> {
    return this.db
      .select()
      .from(triviaRounds)
      .where(and(isNull(triviaRounds.revealedAt), lte(triviaRounds.closesAt, now)))
      .orderBy(asc(triviaRounds.closesAt));
  }

  async gamesByIds(ids: readonly number[]): Promise<GameRecord[]> {
    if (ids.length === 0) return [];
    return (await this.db.select().from(triviaGames).where(inArray(triviaGames.id, [...ids]))).map(toGame);
  }
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
