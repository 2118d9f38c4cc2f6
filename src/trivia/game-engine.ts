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
  roundId: number;
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

/**
 * How the engine speaks in a channel. The Discord adapter renders these views. A game posts one message per round:
 * the first question (unless the reply to the member who started the game shows it: `openFirstQuestion`); then,
 * as each question closes, its reveal together with the next question; after the last, its reveal together with
 * the summary. `reveals` are the reveals a post carries, oldest first (usually the one
 * question that just closed; more only when an earlier post failed or its process died).
 */
export interface TriviaAnnouncer {
  /** Posts a question under the reveals not shown yet; returns the message id. */
  postQuestion(channelId: string, view: QuestionView, reveals: readonly RevealView[]): Promise<string>;
  /** Posts the end of a game: the reveals not shown yet, then the summary. */
  postSummary(channelId: string, view: SummaryView, reveals: readonly RevealView[]): Promise<void>;
  /** Posts a reveal on its own: one that missed its game's next post (the bot died, or the game ended meanwhile). */
  postReveal(channelId: string, view: RevealView): Promise<void>;
  /** The id of a recent message in the channel that shows this round's question, or null when there is none. */
  findQuestion(channelId: string, roundId: number): Promise<string | null>;
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
  /**
   * Time to read a reveal: a question posted under the reveal of the one before stays open this much longer
   * than the server's seconds per question.
   */
  pauseMs?: number;
  /** Games a tick moves along at once (each mostly waits on Discord and the database). */
  tickConcurrency?: number;
  /**
   * Games whose question closes within this long after a tick are moved along right when it closes, by a timer
   * the tick sets, rather than at the next tick (0: only at ticks). Set to the tick interval, this takes the
   * tick's granularity out of the reveal's lag and spreads the posts over the second the way the questions
   * close, instead of a burst per tick.
   */
  lookaheadMs?: number;
}

/** What an answer needs from its round; none of it changes while the round is open. */
interface OpenRound {
  guildId: string;
  gameId: number;
  question: Question;
  closesAt: Date;
}

/** A reveal not shown this long after it was saved is posted on its own by the next tick (its own process may still be posting it before). */
const MISSED_REVEAL_GRACE_MS = 30_000;
/** Older missed reveals are left alone: the game has long moved on. */
const MISSED_REVEAL_WINDOW_MS = 15 * 60_000;

/** A round just revealed by this process, with its answers: the next post carries its reveal. */
interface FreshReveal {
  round: RoundRecord;
  answers: RevealedAnswer[];
}

/** Games moved along (each posting at most once) per second and process: under Discord's global limit of 50 requests a second for the whole bot. */
export const MAX_POSTS_PER_SECOND = 45;

/** Reveals one post carries at most (with its question or summary: Discord allows 10 embeds, 6,000 characters in all). */
export const MAX_REVEALS_PER_POST = 3;

/** Open rounds remembered per process (oldest dropped first): plenty for every question open at once. */
const OPEN_ROUNDS_KEPT = 2_000;

export class TriviaEngine {
  private readonly pauseMs: number;
  private readonly tickConcurrency: number;
  /** When the next game may be moved along (performance.now()): they are spaced by 1 s / MAX_POSTS_PER_SECOND. */
  private nextSlot = 0;
  private readonly lookaheadMs: number;
  /** Games this process is moving along now, or has a timer set for: a tick leaves them to it. */
  private readonly inHand = new Set<number>();
  /** The timers set, with the game each is for. */
  private readonly timers = new Map<NodeJS.Timeout, number>();
  private readonly timed = new Set<Promise<void>>();
  private readonly ticks = new OneAtATime();
  /**
   * Rounds seen open, so that after the first click on a question every click is the one statement that
   * records it. Only a shortcut: that statement checks again that the round is open, so a round stopped or
   * revealed by another process is still refused.
   */
  private readonly openRounds = new Map<number, OpenRound>();
  private readonly roundLookups = new Map<number, Promise<OpenRound | null>>();
  /** First questions a reply is showing now (`openFirstQuestion`): a tick leaves them to it until it has come back. */
  private readonly beingShown = new Set<number>();
  /** Clicks that pile up while others are being written go to the database together. */
  private readonly answers: AnswerQueue;

  constructor(private readonly deps: TriviaEngineDeps) {
    this.pauseMs = deps.pauseMs ?? 5_000;
    this.tickConcurrency = deps.tickConcurrency ?? 32;
    this.lookaheadMs = deps.lookaheadMs ?? 0;
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
    const open = (await this.deps.repo.rounds(game.id)).find((r) => r.opensAt && !r.revealedAt);
    let fresh: FreshReveal | null = null;
    if (open) {
      await this.deps.repo.closeRoundNow(open.id, input.now);
      fresh = await this.revealRound(game, open, input.now);
    }
    await this.announceEnd({ ...game, status: 'stopped', endedBy: input.userId }, 'stopped', fresh, input.now);
  }

  /** Moves every running game along (opens due rounds, reveals closed ones, ends finished games) and shows missed reveals. */
  async tick(now: Date): Promise<void> {
    await this.ticks.run(async () => {
      const games = (await this.deps.repo.gamesToAdvance(now)).filter((g) => !this.inHand.has(g.id));
      await eachAtMost(this.tickConcurrency, games, (game) => this.advanceInHand(game, now));
      if (this.lookaheadMs > 0) await this.setTimers(now);
      await this.showMissedReveals(now);
    });
  }

  /**
   * For the bot shutting down: stops the timers set by `lookaheadMs` (their games go to the next tick of any
   * process) and waits for the games a timer is moving along.
   */
  async shutdown(): Promise<void> {
    for (const [timer, gameId] of this.timers) {
      clearTimeout(timer);
      this.inHand.delete(gameId);
    }
    this.timers.clear();
    await Promise.allSettled([...this.timed]);
  }

  /** A timer for each game whose question closes within `lookaheadMs` of `now`, moving it along then. */
  private async setTimers(now: Date): Promise<void> {
    const set = performance.now();
    for (const { game, closesAt } of await this.deps.repo.gamesClosingBetween(now, new Date(now.getTime() + this.lookaheadMs))) {
      if (this.inHand.has(game.id)) continue;
      this.inHand.add(game.id);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.inHand.delete(game.id);
        // The clock as the tick read it, moved on by the time since: the engine reads no clock of its own.
        const advancing = this.advanceInHand(game, new Date(now.getTime() + (performance.now() - set)));
        this.timed.add(advancing);
        void advancing.finally(() => this.timed.delete(advancing));
      }, closesAt.getTime() - now.getTime());
      timer.unref();
      this.timers.set(timer, game.id);
    }
  }

  /**
   * Advances a game unless this process is already at it, in its turn: games are moved along (and post) at most
   * MAX_POSTS_PER_SECOND a second, evenly spaced, the longest overdue first. Discord's global limit counts the
   * requests of any one second; games all at once (a tick's, or timers that fire together on a busy process)
   * would be a burst above it, answered with 429s that hold every request back. Errors are logged (the next
   * tick tries again).
   */
  private async advanceInHand(game: GameRecord, now: Date): Promise<void> {
    if (this.inHand.has(game.id)) return;
    this.inHand.add(game.id);
    try {
      const slot = Math.max(performance.now(), this.nextSlot);
      this.nextSlot = slot + 1000 / MAX_POSTS_PER_SECOND;
      const wait = slot - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await this.advance(game, now);
    } catch (error) {
      this.deps.logger.error({ err: error, gameId: game.id }, 'could not advance a trivia game');
    } finally {
      this.inHand.delete(game.id);
    }
  }

  /**
   * Opens a new game's first question for the reply to the member who started it (/trivia play) to show: a reply
   * to an interaction is outside Discord's global limit, so a game then costs one post per round (each later post
   * carries the reveal above the next question, the last one the summary). `questionShown` records the reply's
   * message. A reply that never came leaves the question without a message: when its time runs out, a tick asks it
   * again, as after a post that failed. Null when there is nothing to show (a tick opened it first, the game was
   * stopped, or the question left its pack): the ticks carry the game on.
   */
  async openFirstQuestion(game: GameRecord, now: Date): Promise<QuestionView | null> {
    const rounds = await this.deps.repo.rounds(game.id);
    const first = rounds.find((r) => r.roundNo === 1);
    if (!first || first.opensAt) return null;
    const question = await this.roundQuestion(game, first);
    if (!question) return null;
    const closesAt = new Date(now.getTime() + game.secondsPerQuestion * 1000);
    if (!(await this.deps.repo.openRound(first.id, now, closesAt))) return null;
    this.remember(first.id, { guildId: game.guildId, gameId: game.id, question, closesAt });
    this.beingShown.add(first.id);
    return { gameId: game.id, roundId: first.id, roundNo: 1, total: rounds.length, question, closesAt };
  }

  /** The reply showing a question opened by `openFirstQuestion` came back: its message, or null when it failed. */
  async questionShown(view: QuestionView, messageId: string | null): Promise<void> {
    try {
      if (messageId) await this.deps.repo.setRoundMessage(view.roundId, messageId);
    } finally {
      this.beingShown.delete(view.roundId);
    }
  }

  /**
   * Advances one game now (so the first question appears at once, when the start's reply could not show it). In turn with the
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
      await this.finish(game, null, now);
      return;
    }
    if (!current.opensAt) {
      await this.open(game, current, rounds, null, now);
    } else if (current.closesAt && current.closesAt <= now) {
      if (current.messageId === null && this.beingShown.has(current.id)) return; // a slow reply: revealed once it has come back
      const neverShown = current.messageId === null && !(await this.foundShownByReply(game, current));
      if (neverShown && (await this.releaseIfNeverShown(game, current))) {
        this.deps.logger.warn({ gameId: game.id, roundId: current.id }, 'a trivia question was opened but never shown; asking it again');
        return;
      }
      const fresh = await this.revealRound(game, current, now);
      if (!fresh) return; // revealed by another process, which moves the game on
      const next = rounds.find((r) => r.roundNo === current.roundNo + 1);
      if (next) await this.open(game, next, rounds, fresh, now);
      else await this.finish(game, fresh, now);
    }
  }

  /**
   * A first question with no message saved whose reply may have come through all the same: the process that
   * started the game died before it learnt the reply's message (a post carries a nonce, so asking again returns
   * the same message; a reply has none). Found in the channel, it is saved and revealed as any other; asked
   * again, members would see it twice.
   */
  private async foundShownByReply(game: GameRecord, round: RoundRecord): Promise<boolean> {
    if (round.roundNo !== 1) return false;
    const messageId = await this.deps.announcer.findQuestion(game.channelId, round.id);
    if (messageId) await this.deps.repo.setRoundMessage(round.id, messageId);
    return messageId !== null;
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

  /**
   * Opens a round and posts its question under the reveals not shown yet (`fresh`: the round this process just
   * revealed). From the second question on, the question's time includes `pauseMs` to read the reveal above it.
   */
  private async open(game: GameRecord, round: RoundRecord, rounds: readonly RoundRecord[], fresh: FreshReveal | null, now: Date): Promise<void> {
    const question = await this.roundQuestion(game, round);
    const closesAt = new Date(now.getTime() + game.secondsPerQuestion * 1000 + (round.roundNo > 1 ? this.pauseMs : 0));
    if (!(await this.deps.repo.openRound(round.id, now, closesAt))) return;
    if (!question) {
      // A pack question removed mid-game: close the round at once, the game goes on (the next post carries `fresh`).
      await this.deps.repo.closeRoundNow(round.id, now);
      return;
    }
    const reveals = await this.revealsToShow(game, rounds, fresh, now);
    try {
      const messageId = await this.deps.announcer.postQuestion(
        game.channelId,
        { gameId: game.id, roundId: round.id, roundNo: round.roundNo, total: rounds.length, question, closesAt },
        reveals.views,
      );
      await this.deps.repo.setRoundMessage(round.id, messageId);
      this.remember(round.id, { guildId: game.guildId, gameId: game.id, question, closesAt });
      if (fresh) await this.deps.repo.markRevealShown(fresh.round.id, now);
    } catch (error) {
      if (error instanceof ChannelUnavailableError) {
        this.deps.logger.warn({ gameId: game.id, reason: error.message }, 'trivia channel unavailable; ending the game');
        await this.deps.repo.endGame(game.id, 'stopped', null, now);
        if (fresh) await this.deps.repo.markRevealShown(fresh.round.id, now);
        return;
      }
      // Discord had a bad moment (retries used up): nobody saw the post, so a later tick opens the question
      // again and its post carries these reveals.
      await this.deps.repo.releaseUnseenRound(round.id);
      await this.giveBack(reveals.claimed);
      throw error;
    }
  }

  /** Closes a round exactly once (the first-correct bonus settled); null when another process got there first. */
  private async revealRound(game: GameRecord, round: RoundRecord, now: Date): Promise<FreshReveal | null> {
    this.openRounds.delete(round.id);
    const answers = await this.deps.repo.revealRound(round.id, game.guildId, FIRST_CORRECT_BONUS, now);
    return answers ? { round, answers } : null;
  }

  /**
   * The reveals a game's next post carries, oldest first: those saved but never shown (an earlier post failed,
   * or its process died; each claimed, so no other process shows it too) and `fresh`. At most the last
   * MAX_REVEALS_PER_POST; older ones are left to the missed-reveal sweep.
   */
  private async revealsToShow(game: GameRecord, rounds: readonly RoundRecord[], fresh: FreshReveal | null, now: Date): Promise<{ views: RevealView[]; claimed: number[] }> {
    const { repo } = this.deps;
    const views: RevealView[] = [];
    const claimed: number[] = [];
    const unshown = rounds.filter((r) => r.revealedAt && !r.revealShownAt && r.id !== fresh?.round.id);
    for (const round of unshown.slice(-(MAX_REVEALS_PER_POST - (fresh ? 1 : 0)))) {
      if (!(await repo.claimRevealShow(round.id, now))) continue;
      claimed.push(round.id);
      const view = await this.revealView(game, round, rounds.length, await repo.revealedAnswers(round.id));
      if (view) views.push(view);
    }
    if (fresh) {
      const view = await this.revealView(game, fresh.round, rounds.length, fresh.answers);
      if (view) views.push(view);
    }
    return { views, claimed };
  }

  private async giveBack(claimed: readonly number[]): Promise<void> {
    for (const roundId of claimed) await this.deps.repo.giveBackRevealShow(roundId);
  }

  /**
   * Reveals that were saved but never shown (the bot died right after, or Discord failed, and the game posted
   * nothing since): shown now, one message each, by one process. Those older than a quarter of an hour are left
   * as they are.
   */
  private async showMissedReveals(now: Date): Promise<void> {
    const { repo, logger } = this.deps;
    const missed = await repo.unshownReveals(new Date(now.getTime() - MISSED_REVEAL_WINDOW_MS), new Date(now.getTime() - MISSED_REVEAL_GRACE_MS));
    for (const { round, game, total } of missed) {
      if (!(await repo.claimRevealShow(round.id, now))) continue;
      try {
        const view = await this.revealView(game, round, total, await repo.revealedAnswers(round.id));
        if (view) await this.deps.announcer.postReveal(game.channelId, view);
      } catch (error) {
        if (!(error instanceof ChannelUnavailableError)) await repo.giveBackRevealShow(round.id);
        logger.warn({ err: error, roundId: round.id }, 'could not show a missed reveal');
      }
    }
  }

  /** What a round's reveal shows; undefined for a question removed from its pack since (nothing to show). */
  private async revealView(game: GameRecord, round: RoundRecord, total: number, answers: RevealedAnswer[]): Promise<RevealView | undefined> {
    const question = await this.roundQuestion(game, round);
    if (!question) return undefined;
    return { roundId: round.id, roundNo: round.roundNo, total, question, correctAnswer: correctAnswerText(question), answers };
  }

  /** The round's question as the round shows it (its options in the round's order); undefined once it left its pack. */
  private async roundQuestion(game: GameRecord, round: RoundRecord): Promise<Question | undefined> {
    const question = await this.deps.catalog.find(game.guildId, round.questionId);
    return question && asShownInRound(question, round.optionOrder);
  }

  private async finish(game: GameRecord, fresh: FreshReveal | null, now: Date): Promise<void> {
    if (!(await this.deps.repo.endGame(game.id, 'finished', null, now))) return;
    await this.announceEnd(game, 'finished', fresh, now);
  }

  /** Posts the game's summary under the reveals not shown yet. */
  private async announceEnd(game: GameRecord, outcome: 'finished' | 'stopped', fresh: FreshReveal | null, now: Date): Promise<void> {
    const { repo, announcer, logger } = this.deps;
    const rounds = await repo.rounds(game.id);
    const reveals = await this.revealsToShow(game, rounds, fresh, now);
    try {
      await announcer.postSummary(
        game.channelId,
        { gameId: game.id, outcome, endedBy: game.endedBy, questionsAsked: rounds.filter((r) => r.revealedAt).length, standings: await repo.gameStandings(game.id) },
        reveals.views,
      );
      if (fresh) await repo.markRevealShown(fresh.round.id, now);
    } catch (error) {
      // The reveals go out on their own later (the missed-reveal sweep); the summary is not posted again.
      if (error instanceof ChannelUnavailableError) {
        if (fresh) await repo.markRevealShown(fresh.round.id, now);
      } else {
        await this.giveBack(reveals.claimed);
      }
      logger.warn({ err: error, gameId: game.id }, 'could not post a game summary');
    }
  }
}

/** Runs `work` on every item in order, at most `limit` at a time. */
async function eachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
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
