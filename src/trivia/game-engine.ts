// The trivia game engine: starts games, records answers, and moves each game along on a clock tick.
// No discord.js here: it talks to the channel through the TriviaAnnouncer port and to Postgres through the repository.
import { episodeOrder, type Category, type Difficulty, type Question } from '../content/index.js';
import type { GuildSettingsRepository } from '../db/repositories/guild-settings.js';
import type { TriviaRepository } from '../db/repositories/trivia.js';
import type { GameRecord, RevealedAnswer, RoundRecord, Standing } from './types.js';
import type { Logger } from '../logger.js';
import { isCorrectAnswer, MAX_ANSWER_LENGTH } from '../text/match.js';
import type { QuestionCatalog } from './question-catalog.js';
import { FIRST_CORRECT_BONUS, pointsForCorrectAnswer } from './scoring.js';
import { filterPool, pickQuestions } from './selection.js';
import { OneAtATime } from '../util/one-at-a-time.js';
import { AnswerQueue } from './answer-queue.js';
import { asShownInRound, drawOptionOrder } from './option-order.js';
import { triviaRefusal } from './problems.js';

export const MAX_QUESTIONS = 20;
export { MAX_ANSWER_LENGTH };
export const TRUE_FALSE_OPTIONS = ['True', 'False'] as const;
/** Never part of an answer; NUL in particular cannot be stored in a Postgres text column. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

export interface QuestionView {
  gameId: number;
  roundId: number;
  roundNo: number;
  total: number;
  question: Question;
  closesAt: Date;
}

export interface RevealView {
  roundNo: number;
  total: number;
  question: Question;
  correctAnswer: string;
  answers: RevealedAnswer[];
}

export interface SummaryView {
  gameId: number;
  outcome: 'finished' | 'stopped';
  endedBy: string | null;
  questionsAsked: number;
  standings: Standing[];
}

/** How the engine speaks in a channel. The Discord adapter renders these views. */
export interface TriviaAnnouncer {
  postQuestion(channelId: string, view: QuestionView): Promise<string>;
  /**
   * Turns a round's question message into its reveal. `messageId` is null when the question's id was never
   * saved (the process died between Discord posting it and the save): the announcer then looks for the
   * round's question among the channel's recent messages, and posts the reveal as a new message only if the
   * question is not there.
   */
  showReveal(channelId: string, question: { roundId: number; messageId: string | null }, view: RevealView): Promise<void>;
  postSummary(channelId: string, view: SummaryView): Promise<void>;
}

/** Errors from the announcer that mean "this channel cannot be used": the game ends instead of retrying. */
export class ChannelUnavailableError extends Error {}

export type AnswerChoice = { kind: 'option'; index: number } | { kind: 'text'; text: string };

export type AnswerReply =
  | { status: 'locked-in'; answerText: string; freeText: boolean }
  | { status: 'already-answered' }
  | { status: 'closed' };

export interface StartRequest {
  guildId: string;
  channelId: string;
  userId: string;
  questions?: number;
  category?: Category;
  difficulty?: Difficulty;
  /** Only questions about this episode (an episode code such as "7x20"). */
  episode?: string;
  now: Date;
}

export interface StartedGame {
  game: GameRecord;
  questionCount: number;
  secondsPerQuestion: number;
  /** Set when fewer questions matched than were asked for. */
  shortBy: number;
}

export interface TriviaEngineDeps {
  repo: TriviaRepository;
  catalog: QuestionCatalog;
  settings: GuildSettingsRepository;
  /** The newest episode a server's rewatch has reached when its spoiler guard applies, else undefined. */
  watchedThrough(guildId: string): Promise<string | null | undefined>;
  announcer: TriviaAnnouncer;
  random: () => number;
  logger: Logger;
  /** Pause between a reveal and the next question. */
  pauseMs?: number;
}

/** What an answer needs from its round; none of it changes while the round is open. */
interface OpenRound {
  guildId: string;
  gameId: number;
  question: Question;
  closesAt: Date;
}

/** A reveal not on its message this long after it was saved is shown by the next tick (its own process may still be at it before). */
const MISSED_REVEAL_GRACE_MS = 30_000;
/** Older missed reveals are left alone: the game has long moved on. */
const MISSED_REVEAL_WINDOW_MS = 15 * 60_000;

/** Open rounds remembered per process (oldest dropped first): plenty for every question open at once. */
const OPEN_ROUNDS_KEPT = 2_000;

export class TriviaEngine {
  private readonly pauseMs: number;
  private readonly ticks = new OneAtATime();
  /**
   * Rounds seen open, so that after the first click on a question every click is the one statement that
   * records it. Only a shortcut: that statement checks again that the round is open, so a round stopped or
   * revealed by another process is still refused.
   */
  private readonly openRounds = new Map<number, OpenRound>();
  private readonly roundLookups = new Map<number, Promise<OpenRound | null>>();
  /** Clicks that pile up while others are being written go to the database together. */
  private readonly answers: AnswerQueue;

  constructor(private readonly deps: TriviaEngineDeps) {
    this.pauseMs = deps.pauseMs ?? 5_000;
    this.answers = new AnswerQueue(deps.repo);
  }

  async start(request: StartRequest): Promise<StartedGame> {
    const { repo, catalog, settings } = this.deps;
    const guildSettings = await settings.get(request.guildId);
    const wanted = Math.min(Math.max(request.questions ?? guildSettings.defaultQuestionCount, 1), MAX_QUESTIONS);
    const watchedThrough = guildSettings.spoilerGuard ? await this.deps.watchedThrough(request.guildId) : undefined;
    const pool = filterPool(await catalog.pool(request.guildId), {
      category: request.category,
      difficulty: request.difficulty,
      episode: request.episode,
      watchedThrough,
    });
    const episodeAhead = request.episode !== undefined && watchedThrough !== undefined && (watchedThrough === null || episodeOrder(request.episode) > episodeOrder(watchedThrough));
    if (pool.length === 0 && episodeAhead) {
      throw triviaRefusal({ code: 'episode-not-reached', episode: request.episode!, reached: watchedThrough ?? null });
    }
    if (pool.length === 0) {
      const { episode, category, difficulty } = request;
      throw triviaRefusal({ code: 'no-questions', filters: { episode, category, difficulty }, guarded: watchedThrough !== undefined });
    }
    // With the guard following a rewatch, half of a plain game is about the newest episode posted.
    const newest = watchedThrough && !request.episode ? watchedThrough : undefined;
    const picked = pickQuestions(pool, await repo.timesAsked(request.guildId), wanted, this.deps.random, {
      featured: newest ? (q) => q.source?.episode === newest : undefined,
    });
    const created = await repo.createGame({
      guildId: request.guildId,
      channelId: request.channelId,
      startedBy: request.userId,
      questionIds: picked.map((q) => q.id),
      optionOrders: picked.map((q) => drawOptionOrder(q, this.deps.random)),
      secondsPerQuestion: guildSettings.secondsPerQuestion,
      category: request.category ?? null,
      difficulty: request.difficulty ?? null,
      now: request.now,
    });
    if (!created) {
      const running = await repo.runningGameInChannel(request.channelId);
      throw triviaRefusal({ code: 'game-running', guildId: request.guildId, channelId: request.channelId, messageId: running?.currentMessageId ?? null });
    }
    return {
      game: created.game,
      questionCount: picked.length,
      secondsPerQuestion: guildSettings.secondsPerQuestion,
      shortBy: wanted - picked.length,
    };
  }

  /** Records a member's answer. Correctness is settled now but shown only at the reveal. */
  async answer(input: { roundId: number; guildId: string; userId: string; choice: AnswerChoice; now: Date }): Promise<AnswerReply> {
    const open = await this.openRound(input.roundId, input.now);
    if (!open || open.guildId !== input.guildId) return { status: 'closed' };
    const { question } = open;

    const judged = judge(question, input.choice);
    if (!judged) throw triviaRefusal({ code: 'not-a-choice' });
    const outcome = await this.answers.record({
      roundId: input.roundId,
      gameId: open.gameId,
      guildId: open.guildId,
      userId: input.userId,
      answer: judged.answerText,
      correct: judged.correct,
      scoring: { pointsFor: (streakBefore) => pointsForCorrectAnswer(question.difficulty, streakBefore) },
      now: input.now,
    });
    if (outcome.status !== 'recorded') return outcome;
    return { status: 'locked-in', answerText: judged.answerText, freeText: question.type === 'free-text' };
  }

  /**
   * The round if it is open at `now`: from memory when this process has seen it open, else from the database.
   * Clicks that arrive together on a round this process has not seen (after a restart, say) share one read.
   */
  private async openRound(roundId: number, now: Date): Promise<OpenRound | null> {
    const known = this.openRounds.get(roundId);
    if (known && known.closesAt > now) return known;
    this.openRounds.delete(roundId);
    let lookup = this.roundLookups.get(roundId);
    if (!lookup) {
      lookup = this.readOpenRound(roundId).finally(() => this.roundLookups.delete(roundId));
      this.roundLookups.set(roundId, lookup);
    }
    const open = await lookup;
    return open && open.closesAt > now ? open : null;
  }

  /** Reads a round and, if it is open and not yet revealed, remembers it. */
  private async readOpenRound(roundId: number): Promise<OpenRound | null> {
    const found = await this.deps.repo.round(roundId);
    if (!found) return null;
    const { round, game } = found;
    if (!round.closesAt || round.revealedAt) return null;
    const question = await this.roundQuestion(game, round);
    if (!question) return null;
    const open = { guildId: game.guildId, gameId: game.id, question, closesAt: round.closesAt };
    this.remember(roundId, open);
    return open;
  }

  private remember(roundId: number, open: OpenRound): void {
    this.openRounds.set(roundId, open);
    if (this.openRounds.size > OPEN_ROUNDS_KEPT) this.openRounds.delete(this.openRounds.keys().next().value!);
  }

  /**
   * Whether a member may still answer this round, and the question to show in the free-text form. Read from the database,
   * not this process's memory: another process may have revealed the round, and a member should not type an answer
   * into a form only to be told it closed.
   */
  async canAnswer(roundId: number, guildId: string, userId: string, now: Date): Promise<{ status: 'open'; prompt: string } | { status: 'already-answered' | 'closed' }> {
    const open = await this.readOpenRound(roundId);
    if (!open || open.closesAt <= now || open.guildId !== guildId) return { status: 'closed' };
    if (await this.deps.repo.hasAnswered(roundId, userId)) return { status: 'already-answered' };
    return { status: 'open', prompt: open.question.prompt };
  }

  /** `/trivia stop`: by the member who started the game or a moderator. Answers already given still count. */
  async stop(input: { channelId: string; userId: string; canManageMessages: boolean; now: Date }): Promise<void> {
    const running = await this.deps.repo.runningGameInChannel(input.channelId);
    if (!running) throw triviaRefusal({ code: 'no-game-here' });
    const { game } = running;
    if (game.startedBy !== input.userId && !input.canManageMessages) {
      throw triviaRefusal({ code: 'not-your-game', startedBy: game.startedBy });
    }
    if (!(await this.deps.repo.endGame(game.id, 'stopped', input.userId, input.now))) return;
    const rounds = await this.deps.repo.rounds(game.id);
    const open = rounds.find((r) => r.opensAt && !r.revealedAt);
    if (open) {
      await this.deps.repo.closeRoundNow(open.id, input.now);
      await this.reveal(game, open, rounds.length, input.now);
    }
    await this.announceSummary({ ...game, status: 'stopped', endedBy: input.userId }, 'stopped', input.now);
  }

  /** Moves every running game along (opens due rounds, reveals closed ones, ends finished games) and shows missed reveals. */
  async tick(now: Date): Promise<void> {
    await this.ticks.run(async () => {
      for (const game of await this.deps.repo.gamesToAdvance(now)) {
        await this.advance(game, now).catch((error: unknown) =>
          this.deps.logger.error({ err: error, gameId: game.id }, 'could not advance a trivia game'),
        );
      }
      await this.showMissedReveals(now);
    });
  }

  /**
   * Advances one game now (used right after a start, so the first question appears at once). In turn with the
   * ticks: a tick that came while the question was being posted would find it open with no message yet and,
   * once its time had run out, take it for one that was never shown.
   */
  async advanceGame(gameId: number, now: Date): Promise<void> {
    await this.ticks.run(async () => {
      const game = await this.deps.repo.game(gameId);
      if (game?.status === 'running') await this.advance(game, now);
    });
  }

  private async advance(game: GameRecord, now: Date): Promise<void> {
    const rounds = await this.deps.repo.rounds(game.id);
    const current = rounds.find((r) => !r.revealedAt);
    if (!current) {
      await this.finish(game, now);
      return;
    }
    if (!current.opensAt) {
      const previous = rounds[current.roundNo - 2];
      if (previous?.revealedAt && previous.revealedAt.getTime() + this.pauseMs > now.getTime()) return;
      await this.open(game, current, rounds.length, now);
    } else if (current.closesAt && current.closesAt <= now) {
      if (current.messageId === null && (await this.releaseIfNeverShown(game, current))) {
        this.deps.logger.warn({ gameId: game.id, roundId: current.id }, 'a trivia question was opened but never shown; asking it again');
        return;
      }
      const isLast = current.roundNo === rounds.length;
      await this.reveal(game, current, rounds.length, now);
      if (isLast) await this.finish(game, now);
    }
  }

  /**
   * A round whose time ran out with no question message and no answers: the process that opened it died before
   * Discord showed it. Put back to unopened (true), so it is asked again instead of revealed. A round whose
   * question left its pack is closed the same way on purpose, and is left to its reveal.
   */
  private async releaseIfNeverShown(game: GameRecord, round: RoundRecord): Promise<boolean> {
    if (!(await this.deps.catalog.find(game.guildId, round.questionId))) return false;
    return this.deps.repo.releaseUnseenRound(round.id);
  }

  private async open(game: GameRecord, round: RoundRecord, total: number, now: Date): Promise<void> {
    const question = await this.roundQuestion(game, round);
    const closesAt = new Date(now.getTime() + game.secondsPerQuestion * 1000);
    if (!(await this.deps.repo.openRound(round.id, now, closesAt))) return;
    if (!question) {
      // A pack question removed mid-game: close the round at once, the game goes on.
      await this.deps.repo.closeRoundNow(round.id, now);
      return;
    }
    try {
      const messageId = await this.deps.announcer.postQuestion(game.channelId, {
        gameId: game.id,
        roundId: round.id,
        roundNo: round.roundNo,
        total,
        question,
        closesAt,
      });
      await this.deps.repo.setRoundMessage(round.id, messageId);
      this.remember(round.id, { guildId: game.guildId, gameId: game.id, question, closesAt });
    } catch (error) {
      if (error instanceof ChannelUnavailableError) {
        this.deps.logger.warn({ gameId: game.id, reason: error.message }, 'trivia channel unavailable; ending the game');
        await this.deps.repo.endGame(game.id, 'stopped', null, now);
        return;
      }
      // Discord had a bad moment (retries used up): nobody saw the question, so open it again on a later tick.
      await this.deps.repo.releaseUnseenRound(round.id);
      throw error;
    }
  }

  private async reveal(game: GameRecord, round: RoundRecord, total: number, now: Date): Promise<void> {
    this.openRounds.delete(round.id);
    const answers = await this.deps.repo.revealRound(round.id, game.guildId, FIRST_CORRECT_BONUS, now);
    if (!answers) return;
    try {
      await this.showReveal(game, round, total, answers);
      await this.deps.repo.markRevealShown(round.id, now);
    } catch (error) {
      if (error instanceof ChannelUnavailableError) await this.deps.repo.markRevealShown(round.id, now);
      this.deps.logger.warn({ err: error, roundId: round.id }, 'could not show a reveal; a later tick tries again');
    }
  }

  /**
   * Reveals that were saved but never reached their message (the bot died right after, or Discord failed):
   * shown now, by one process. Those older than a quarter of an hour are left as they are.
   */
  private async showMissedReveals(now: Date): Promise<void> {
    const { repo, logger } = this.deps;
    const missed = await repo.unshownReveals(new Date(now.getTime() - MISSED_REVEAL_WINDOW_MS), new Date(now.getTime() - MISSED_REVEAL_GRACE_MS));
    for (const { round, game, total } of missed) {
      if (!(await repo.claimRevealShow(round.id, now))) continue;
      try {
        await this.showReveal(game, round, total, await repo.revealedAnswers(round.id));
      } catch (error) {
        if (!(error instanceof ChannelUnavailableError)) await repo.giveBackRevealShow(round.id);
        logger.warn({ err: error, roundId: round.id }, 'could not show a missed reveal');
      }
    }
  }

  /** Turns the question message into its reveal (a question removed from its pack since has nothing to show). */
  private async showReveal(game: GameRecord, round: RoundRecord, total: number, answers: RevealedAnswer[]): Promise<void> {
    const question = await this.roundQuestion(game, round);
    if (!question) return;
    await this.deps.announcer.showReveal(game.channelId, { roundId: round.id, messageId: round.messageId }, {
      roundNo: round.roundNo,
      total,
      question,
      correctAnswer: correctAnswerText(question),
      answers,
    });
  }

  /** The round's question as the round shows it (its options in the round's order); undefined once it left its pack. */
  private async roundQuestion(game: GameRecord, round: RoundRecord): Promise<Question | undefined> {
    const question = await this.deps.catalog.find(game.guildId, round.questionId);
    return question && asShownInRound(question, round.optionOrder);
  }

  private async finish(game: GameRecord, now: Date): Promise<void> {
    if (!(await this.deps.repo.endGame(game.id, 'finished', null, now))) return;
    await this.announceSummary(game, 'finished', now);
  }

  private async announceSummary(game: GameRecord, outcome: 'finished' | 'stopped', _now: Date): Promise<void> {
    const rounds = await this.deps.repo.rounds(game.id);
    await this.deps.announcer
      .postSummary(game.channelId, {
        gameId: game.id,
        outcome,
        endedBy: game.endedBy,
        questionsAsked: rounds.filter((r) => r.revealedAt).length,
        standings: await this.deps.repo.gameStandings(game.id),
      })
      .catch((error: unknown) => this.deps.logger.warn({ err: error, gameId: game.id }, 'could not post a game summary'));
  }
}

/** The answer as the reveal shows it. */
export function correctAnswerText(question: Question): string {
  switch (question.type) {
    case 'multiple-choice':
      return `${optionLetter(question.options.indexOf(question.answer))}. ${question.answer}`;
    case 'true-false':
      return question.answer ? 'True' : 'False';
    case 'free-text':
      return question.accepted[0] ?? '';
  }
}

export function optionLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

function judge(question: Question, choice: AnswerChoice): { correct: boolean; answerText: string } | null {
  if (question.type === 'free-text') {
    if (choice.kind !== 'text') return null;
    const text = choice.text.replace(CONTROL_CHARACTERS, '').trim();
    if (text.length === 0) throw triviaRefusal({ code: 'empty-answer' });
    if (text.length > MAX_ANSWER_LENGTH) {
      throw triviaRefusal({ code: 'answer-too-long', length: text.length, max: MAX_ANSWER_LENGTH });
    }
    return { correct: isCorrectAnswer(text, question.accepted), answerText: text };
  }
  if (choice.kind !== 'option') return null;
  if (question.type === 'true-false') {
    if (choice.index !== 0 && choice.index !== 1) return null;
    return { correct: (choice.index === 0) === question.answer, answerText: TRUE_FALSE_OPTIONS[choice.index] };
  }
  const option = question.options[choice.index];
  if (option === undefined) return null;
  return { correct: option === question.answer, answerText: `${optionLetter(choice.index)}. ${option}` };
}
