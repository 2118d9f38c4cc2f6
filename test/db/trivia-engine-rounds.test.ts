// The engine over the real repositories (both database engines): what a round shows, what a click is judged
// against and what the reveal says all come from the order stored with the round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultipleChoiceQuestion, Question } from '../../src/content/index.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { TriviaRepository } from '../../src/db/repositories/trivia.js';
import { createLogger } from '../../src/logger.js';
import { TriviaEngine, type QuestionView, type RevealView, type SummaryView, type TriviaAnnouncer } from '../../src/trivia/game-engine.js';
import type { QuestionCatalog } from '../../src/trivia/question-catalog.js';
import { engines, type TestDatabase } from '../helpers/databases.js';
import { seededRandom } from '../helpers/random.js';

const T0 = new Date('2026-12-02T12:00:00Z');
const SECONDS = 20;

/** Like the old bank: every right answer listed first. */
function multipleChoice(n: number, episode = '7x22'): MultipleChoiceQuestion {
  const options = [`right ${n}`, `wrong ${n}a`, `wrong ${n}b`, `wrong ${n}c`] as const;
  return {
    id: `mc-${episode}-${n}`, category: 'war', difficulty: 'easy', type: 'multiple-choice', prompt: `Question ${n}?`, options,
    answer: options[0], explanation: 'Because.', spoils: episode, source: { episode, scene: 'a scene' },
  };
}

/** Every post as the engine made it: what kind, and the reveals it carried. */
class RecordingAnnouncer implements TriviaAnnouncer {
  readonly questions: QuestionView[] = [];
  readonly reveals: RevealView[] = [];
  readonly posts: { kind: 'question' | 'summary' | 'reveal'; roundNo?: number; reveals: number[] }[] = [];
  /** Errors thrown by the next posts, one each. */
  readonly failures: Error[] = [];
  private seq = 0;
  async postQuestion(_channelId: string, view: QuestionView, reveals: readonly RevealView[]): Promise<string> {
    this.fail();
    this.questions.push(view);
    this.record('question', reveals, view.roundNo);
    return String(900000000000000000 + ++this.seq);
  }
  async postSummary(_channelId: string, _view: SummaryView, reveals: readonly RevealView[]): Promise<void> {
    this.fail();
    this.record('summary', reveals);
  }
  async postReveal(_channelId: string, view: RevealView): Promise<void> {
    this.fail();
    this.record('reveal', [view]);
  }
  /** Messages in the channel showing a round's question that the engine may not know of (a start's reply). */
  readonly inChannel = new Map<number, string>();
  async findQuestion(_channelId: string, roundId: number): Promise<string | null> {
    return this.inChannel.get(roundId) ?? null;
  }
  private record(kind: 'question' | 'summary' | 'reveal', reveals: readonly RevealView[], roundNo?: number) {
    this.reveals.push(...reveals);
    this.posts.push({ kind, ...(roundNo === undefined ? {} : { roundNo }), reveals: reveals.map((r) => r.roundNo) });
  }
  private fail() {
    const failure = this.failures.shift();
    if (failure) throw failure;
  }
}

const bankCatalog = (bank: readonly Question[]): QuestionCatalog => ({
  pool: async () => [...bank],
  find: async (_guildId, id) => bank.find((q) => q.id === id),
});

/** Pearson's chi-square statistic of the counts against a uniform spread. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe.each(engines)('TriviaEngine rounds on $name', (engine) => {
  let database: TestDatabase;
  let guildSeq = 0;
  const newGuild = () => `1200000000000${String(++guildSeq).padStart(5, '0')}`;

  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => database?.dispose());

  function makeEngine(bank: readonly Question[], announcer: TriviaAnnouncer, seed: number, watchedThrough?: string, timing: { pauseMs?: number; lookaheadMs?: number } = {}) {
    return new TriviaEngine({
      repo: new TriviaRepository(database.db),
      catalog: bankCatalog(bank),
      settings: new GuildSettingsRepository(database.db),
      watchedThrough: async () => watchedThrough,
      announcer,
      random: seededRandom(seed),
      logger: createLogger('silent'),
      pauseMs: 0,
      ...timing,
    });
  }

  /** Plays a whole game without answers: every question is posted, then revealed. */
  async function playThrough(trivia: TriviaEngine, guildId: string, channelId: string, questions: number) {
    const started = await trivia.start({ guildId, channelId, userId: 'starter', questions, now: T0 });
    let now = T0;
    await trivia.advanceGame(started.game.id, now);
    for (let round = 0; round < questions; round++) {
      now = new Date(now.getTime() + SECONDS * 1000);
      await trivia.tick(now); // reveal
      await trivia.tick(now); // next question
    }
    return started;
  }

  it('GIVEN a bank whose right answers are all listed first THEN over many games the right letter is close to uniform', async () => {
    const bank = Array.from({ length: 40 }, (_, i) => multipleChoice(i));
    const announcer = new RecordingAnnouncer();
    const trivia = makeEngine(bank, announcer, 11);
    const guildId = newGuild();
    for (let game = 0; game < 16; game++) await playThrough(trivia, guildId, `2200000000000${String(game).padStart(5, '0')}`, 10);

    const counts = [0, 0, 0, 0];
    for (const view of announcer.questions) {
      const question = view.question as MultipleChoiceQuestion;
      counts[question.options.indexOf(question.answer)]!++;
    }
    expect(announcer.questions).toHaveLength(160);
    // 16.27 is chi-square's 0.1% point with 3 degrees of freedom: a fair shuffle stays under it; the bank's order scores 480.
    expect(chiSquare(counts)).toBeLessThan(16.27);
    for (const count of counts) expect(count / 160).toBeGreaterThan(0.12);
    // Each reveal names the letter the question showed.
    expect(announcer.reveals).toHaveLength(160);
    for (const [i, reveal] of announcer.reveals.entries()) {
      const shown = announcer.questions[i]!.question as MultipleChoiceQuestion;
      expect(reveal.correctAnswer).toBe(`${'ABCD'[shown.options.indexOf(shown.answer)]}. ${shown.answer}`);
    }
  });

  it('GIVEN a shuffled round WHEN members click, also on a restarted process THEN the letter shown with the right answer is the one that scores', async () => {
    const bank = Array.from({ length: 8 }, (_, i) => multipleChoice(i));
    const announcer = new RecordingAnnouncer();
    const first = makeEngine(bank, announcer, 5);
    const guildId = newGuild();
    const started = await first.start({ guildId, channelId: '230000000000000001', userId: 'starter', questions: 3, now: T0 });
    await first.advanceGame(started.game.id, T0);
    const view = announcer.questions[0]!;
    const shown = view.question as MultipleChoiceQuestion;
    const right = shown.options.indexOf(shown.answer);
    const wrong = (right + 1) % 4;
    const at = new Date(T0.getTime() + 1000);

    const answer = (trivia: TriviaEngine, userId: string, index: number) =>
      trivia.answer({ roundId: view.roundId, guildId, userId, choice: { kind: 'option', index }, now: at });
    expect(await answer(first, 'kira', right)).toEqual({ status: 'locked-in', answerText: `${'ABCD'[right]}. ${shown.answer}`, freeText: false });
    // A second process (or this one after a restart) has no memory of the round: it reads the stored order.
    const afterRestart = new RecordingAnnouncer();
    const restarted = makeEngine(bank, afterRestart, 99);
    expect(await answer(restarted, 'odo', right)).toMatchObject({ status: 'locked-in', answerText: `${'ABCD'[right]}. ${shown.answer}` });
    expect(await answer(restarted, 'quark', wrong)).toMatchObject({ status: 'locked-in', answerText: `${'ABCD'[wrong]}. ${shown.options[wrong]}` });

    await restarted.tick(new Date(T0.getTime() + SECONDS * 1000));
    expect(afterRestart.reveals[0]?.correctAnswer).toBe(`${'ABCD'[right]}. ${shown.answer}`);
    const revealed = (await new TriviaRepository(database.db).revealedAnswers(view.roundId)).map((a) => [a.userId, a.correct]);
    expect(Object.fromEntries(revealed)).toEqual({ kira: true, odo: true, quark: false });
  });

  it('GIVEN an episode THEN a game asks only about it; an episode the guard hides is refused, saying how far the rewatch is', async () => {
    const bank = [...Array.from({ length: 6 }, (_, i) => multipleChoice(i, '7x21')), ...Array.from({ length: 6 }, (_, i) => multipleChoice(i, '7x24'))];
    const announcer = new RecordingAnnouncer();
    const trivia = makeEngine(bank, announcer, 3);
    await playThrough(trivia, newGuild(), '240000000000000001', 5);
    const guarded = makeEngine(bank, announcer, 3, '7x22');
    const started = await trivia.start({ guildId: newGuild(), channelId: '240000000000000002', userId: 's', episode: '7x24', questions: 5, now: T0 });
    expect(started.questionCount).toBe(5);
    const guild = newGuild();
    await new GuildSettingsRepository(database.db).update(guild, { spoilerGuard: true }, T0);
    await expect(guarded.start({ guildId: guild, channelId: '240000000000000003', userId: 's', episode: '7x24', now: T0 })).rejects.toMatchObject({
      feature: 'trivia',
      problem: { code: 'episode-not-reached', episode: '7x24', reached: '7x22' },
    });
  });

  it('GIVEN the guard follows a rewatch at 7x22 THEN at least half of a plain game is about 7x22 and nothing is past it', async () => {
    const bank = ['7x20', '7x21', '7x22', '7x23'].flatMap((episode) => Array.from({ length: 8 }, (_, i) => multipleChoice(i, episode)));
    const guild = newGuild();
    await new GuildSettingsRepository(database.db).update(guild, { spoilerGuard: true }, T0);
    const announcer = new RecordingAnnouncer();
    const trivia = makeEngine(bank, announcer, 8, '7x22');
    await playThrough(trivia, guild, '250000000000000001', 6);
    const episodes = announcer.questions.map((v) => v.question.source?.episode);
    expect(episodes).toHaveLength(6);
    expect(episodes.filter((e) => e === '7x22').length).toBeGreaterThanOrEqual(3);
    expect(episodes).not.toContain('7x23');
  });

  it('GIVEN a 3-question game THEN it posts one message a round: each reveal rides with the next question, the last with the summary', async () => {
    const bank = Array.from({ length: 8 }, (_, i) => multipleChoice(i));
    const announcer = new RecordingAnnouncer();
    const trivia = makeEngine(bank, announcer, 1, undefined, { pauseMs: 5_000 });
    const started = await trivia.start({ guildId: newGuild(), channelId: '260000000000000001', userId: 's', questions: 3, now: T0 });
    await trivia.advanceGame(started.game.id, T0);
    let now = T0;
    for (let tick = 0; tick < 200 && announcer.posts.at(-1)?.kind !== 'summary'; tick++) {
      now = new Date(now.getTime() + 1000);
      await trivia.tick(now);
    }
    expect(announcer.posts).toEqual([
      { kind: 'question', roundNo: 1, reveals: [] },
      { kind: 'question', roundNo: 2, reveals: [1] },
      { kind: 'question', roundNo: 3, reveals: [2] },
      { kind: 'summary', reveals: [3] },
    ]);
    // The first question has the server's 20 s; the later ones 5 s more, to read the reveal above them.
    const [q1, q2, q3] = announcer.questions.map((q) => q.closesAt.getTime());
    expect(q1! - T0.getTime()).toBe(20_000);
    expect(q2! - q1!).toBe(25_000);
    expect(q3! - q2!).toBe(25_000);
    const rounds = await new TriviaRepository(database.db).rounds(started.game.id);
    expect(rounds.every((r) => r.revealShownAt !== null)).toBe(true);
  });

  it('GIVEN the process died after saving a reveal, or its combined post failed THEN the next post carries that reveal, and it is shown once', async () => {
    const bank = Array.from({ length: 8 }, (_, i) => multipleChoice(i));
    const repo = new TriviaRepository(database.db);
    const announcer = new RecordingAnnouncer();
    const trivia = makeEngine(bank, announcer, 4);
    const guildId = newGuild();
    const started = await trivia.start({ guildId, channelId: '270000000000000001', userId: 's', questions: 3, now: T0 });
    await trivia.advanceGame(started.game.id, T0);
    // The dead process got as far as saving round 1's reveal: nothing reached the channel.
    const [round1] = await repo.rounds(started.game.id);
    let now = new Date(T0.getTime() + 21_000);
    expect(await repo.revealRound(round1!.id, guildId, 5, now)).toEqual([]);

    now = new Date(now.getTime() + 40_000); // past the missed-reveal grace too: still shown once, with question 2
    await trivia.tick(now);
    expect(announcer.posts.slice(1)).toEqual([{ kind: 'question', roundNo: 2, reveals: [1] }]);

    // Round 2's combined post fails (Discord down after retries): the question is asked again with the reveal.
    announcer.failures.push(new Error('503 from Discord'));
    now = new Date(now.getTime() + 21_000);
    await trivia.tick(now);
    expect(announcer.posts).toHaveLength(2);
    now = new Date(now.getTime() + 1_000);
    await trivia.tick(now);
    now = new Date(now.getTime() + 40_000);
    await trivia.tick(now);
    await trivia.tick(new Date(now.getTime() + 40_000));
    expect(announcer.posts.slice(2)).toEqual([
      { kind: 'question', roundNo: 3, reveals: [2] },
      { kind: 'summary', reveals: [3] },
    ]);
    expect(announcer.reveals.map((r) => r.roundNo)).toEqual([1, 2, 3]);
  });

  it('GIVEN a question closing before the next tick THEN a timer the tick set moves the game on when it closes, once; shutdown stops the timers', async () => {
    const bank = Array.from({ length: 8 }, (_, i) => multipleChoice(i));
    const announcer = new RecordingAnnouncer();
    const trivia = makeEngine(bank, announcer, 2, undefined, { lookaheadMs: 1_000 });
    const started = await trivia.start({ guildId: newGuild(), channelId: '280000000000000001', userId: 's', questions: 3, now: T0 });
    await trivia.advanceGame(started.game.id, T0);
    const closes = announcer.questions[0]!.closesAt.getTime();

    await trivia.tick(new Date(closes - 2_000)); // closes after the look-ahead: no timer
    await trivia.tick(new Date(closes - 300)); // closes within it: a timer for 300 ms from now
    expect(announcer.posts).toHaveLength(1);
    for (let waited = 0; waited < 10_000 && announcer.posts.length < 2; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(announcer.posts[1]).toEqual({ kind: 'question', roundNo: 2, reveals: [1] });
    await trivia.tick(new Date(closes + 1_000)); // the tick that would have done it finds nothing to do
    expect(announcer.posts).toHaveLength(2);

    const closes2 = announcer.questions[1]!.closesAt.getTime();
    await trivia.tick(new Date(closes2 - 200));
    await trivia.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(announcer.posts).toHaveLength(2);
    await trivia.tick(new Date(closes2 + 1_000)); // left to the next tick
    expect(announcer.posts[2]).toEqual({ kind: 'question', roundNo: 3, reveals: [2] });
  });

  it('GIVEN the start reply shows the first question THEN the game posts once per round: each reveal with the next question, the last with the summary', async () => {
    const bank = Array.from({ length: 8 }, (_, i) => multipleChoice(i));
    const announcer = new RecordingAnnouncer();
    const trivia = makeEngine(bank, announcer, 4);
    const started = await trivia.start({ guildId: newGuild(), channelId: '290000000000000001', userId: 's', questions: 3, now: T0 });
    const first = await trivia.openFirstQuestion(started.game, T0);
    expect(first).toMatchObject({ roundNo: 1, total: 3, closesAt: new Date(T0.getTime() + SECONDS * 1000) });
    expect(await trivia.openFirstQuestion(started.game, T0)).toBeNull(); // opened once
    await trivia.questionShown(first!, '910000000000000001');
    expect((await new TriviaRepository(database.db).rounds(started.game.id))[0]!.messageId).toBe('910000000000000001');

    let now = T0;
    for (let round = 0; round < 3; round++) {
      now = new Date(now.getTime() + SECONDS * 1000);
      await trivia.tick(now);
    }
    expect(announcer.posts).toEqual([
      { kind: 'question', roundNo: 2, reveals: [1] },
      { kind: 'question', roundNo: 3, reveals: [2] },
      { kind: 'summary', reveals: [3] },
    ]);
  });

  it('GIVEN the start reply still on its way when the first question closes THEN a tick leaves it; once back it is revealed; a reply that failed has it asked again', async () => {
    const bank = Array.from({ length: 8 }, (_, i) => multipleChoice(i));
    const announcer = new RecordingAnnouncer();
    const trivia = makeEngine(bank, announcer, 6);
    const slow = await trivia.start({ guildId: newGuild(), channelId: '300000000000000001', userId: 's', questions: 2, now: T0 });
    const failed = await trivia.start({ guildId: newGuild(), channelId: '300000000000000002', userId: 's', questions: 2, now: T0 });
    const slowView = (await trivia.openFirstQuestion(slow.game, T0))!;
    const failedView = (await trivia.openFirstQuestion(failed.game, T0))!;
    const late = new Date(T0.getTime() + (SECONDS + 1) * 1000);

    await trivia.tick(late);
    expect(announcer.posts).toEqual([]); // neither revealed unseen nor put back while the replies are out
    await trivia.questionShown(slowView, '920000000000000001');
    await trivia.questionShown(failedView, null);
    await trivia.tick(late);
    await trivia.tick(late);
    const rounds = await new TriviaRepository(database.db).rounds(failed.game.id);
    expect(announcer.posts).toEqual([
      { kind: 'question', roundNo: 2, reveals: [1] }, // the slow reply's game goes on
      { kind: 'question', roundNo: 1, reveals: [] }, // the failed reply's question is asked again
    ]);
    expect(rounds[0]!.revealedAt).toBeNull();
  });

  it('GIVEN the process died after the start reply went out, before it saved the message THEN after a restart the question found in the channel is revealed, not asked twice', async () => {
    const bank = Array.from({ length: 8 }, (_, i) => multipleChoice(i));
    const announcer = new RecordingAnnouncer();
    const died = makeEngine(bank, announcer, 7);
    const started = await died.start({ guildId: newGuild(), channelId: '310000000000000001', userId: 's', questions: 2, now: T0 });
    const view = (await died.openFirstQuestion(started.game, T0))!;
    announcer.inChannel.set(view.roundId, '930000000000000001'); // Discord showed the reply; nobody saved its id

    const restarted = makeEngine(bank, announcer, 8);
    await restarted.tick(new Date(T0.getTime() + (SECONDS + 1) * 1000));
    expect(announcer.posts).toEqual([{ kind: 'question', roundNo: 2, reveals: [1] }]);
    expect((await new TriviaRepository(database.db).rounds(started.game.id))[0]!.messageId).toBe('930000000000000001');
  });
});
