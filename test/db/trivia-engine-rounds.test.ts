// The engine over the real repositories (both database engines): what a round shows, what a click is judged
// against and what the reveal says all come from the order stored with the round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultipleChoiceQuestion, Question } from '../../src/content/index.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { TriviaRepository } from '../../src/db/repositories/trivia.js';
import { createLogger } from '../../src/logger.js';
import { TriviaEngine, type QuestionView, type RevealView, type TriviaAnnouncer } from '../../src/trivia/game-engine.js';
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

class RecordingAnnouncer implements TriviaAnnouncer {
  readonly questions: QuestionView[] = [];
  readonly reveals: RevealView[] = [];
  private seq = 0;
  async postQuestion(_channelId: string, view: QuestionView): Promise<string> {
    this.questions.push(view);
    return String(900000000000000000 + ++this.seq);
  }
  async showReveal(_channelId: string, _question: unknown, view: RevealView): Promise<void> {
    this.reveals.push(view);
  }
  async postSummary(): Promise<void> {}
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

  function makeEngine(bank: readonly Question[], announcer: TriviaAnnouncer, seed: number, watchedThrough?: string) {
    return new TriviaEngine({
      repo: new TriviaRepository(database.db),
      catalog: bankCatalog(bank),
      settings: new GuildSettingsRepository(database.db),
      watchedThrough: async () => watchedThrough,
      announcer,
      random: seededRandom(seed),
      logger: createLogger('silent'),
      pauseMs: 0,
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
});
