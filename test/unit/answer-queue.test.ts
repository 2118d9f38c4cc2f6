import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnswerInput, AnswerOutcome } from '../../src/db/repositories/trivia.js';
import { AnswerQueue, type AnswerWriter } from '../../src/trivia/answer-queue.js';

const click = (userId: string, guildId = 'g1', roundId = 1): AnswerInput => ({
  roundId, gameId: 1, guildId, userId, answer: 'x', correct: true, scoring: { pointsFor: () => 10 }, now: new Date(0),
});
const who = (inputs: AnswerInput[]) => inputs.map((i) => `${i.guildId}:${i.userId}`);

/** A writer whose statements finish only when the test says so; it records what each statement held. */
function heldWriter() {
  const statements: { inputs: AnswerInput[]; finish(error?: Error): void }[] = [];
  const outcome = (input: AnswerInput): AnswerOutcome => ({ status: 'recorded', correct: true, points: 10, streak: Number(input.userId.replace(/\D/g, '')) || 0 });
  const hold = <T>(inputs: AnswerInput[], result: () => T) =>
    new Promise<T>((resolve, reject) => statements.push({ inputs, finish: (error) => (error ? reject(error) : resolve(result())) }));
  const writer: AnswerWriter = {
    recordAnswer: (input) => hold([input], () => outcome(input)),
    recordAnswers: (inputs) => hold([...inputs], () => inputs.map(outcome)),
  };
  return { writer, statements };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const deadlock = () => Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }) });

describe('AnswerQueue', () => {
  it('GIVEN clicks on different servers THEN each goes at once, as its own statement, side by side', async () => {
    const { writer, statements } = heldWriter();
    const queue = new AnswerQueue(writer);
    const replies = [queue.record(click('u1', 'g1')), queue.record(click('u2', 'g2'))];
    expect(statements.map((s) => who(s.inputs))).toEqual([['g1:u1'], ['g2:u2']]);
    statements.forEach((s) => s.finish());
    expect(await Promise.all(replies)).toMatchObject([{ status: 'recorded', streak: 1 }, { status: 'recorded', streak: 2 }]);
  });

  it('GIVEN clicks on a server while its write is out THEN they wait and go together, each with its own outcome', async () => {
    const { writer, statements } = heldWriter();
    const queue = new AnswerQueue(writer);
    const replies = ['u1', 'u2', 'u3', 'u4'].map((u) => queue.record(click(u)));
    expect(statements.map((s) => who(s.inputs))).toEqual([['g1:u1']]);
    statements[0]!.finish();
    await settle();
    expect(statements.map((s) => who(s.inputs))).toEqual([['g1:u1'], ['g1:u2', 'g1:u3', 'g1:u4']]);
    statements[1]!.finish();
    expect((await Promise.all(replies)).map((r) => (r.status === 'recorded' ? r.streak : -1))).toEqual([1, 2, 3, 4]);
  });

  it('GIVEN a member clicking twice while waiting THEN the second click waits for a later statement', async () => {
    const { writer, statements } = heldWriter();
    const queue = new AnswerQueue(writer);
    for (const u of ['u0', 'u1', 'u1', 'u2', 'u1']) void queue.record(click(u));
    statements[0]!.finish();
    await settle();
    expect(who(statements[1]!.inputs)).toEqual(['g1:u1', 'g1:u2']);
    statements[1]!.finish();
    await settle();
    expect(who(statements[2]!.inputs)).toEqual(['g1:u1']);
    statements[2]!.finish();
    await settle();
    expect(who(statements[3]!.inputs)).toEqual(['g1:u1']);
  });

  it('GIVEN a statement that fails THEN every click in it gets the error, and the server\'s next clicks still go', async () => {
    const { writer, statements } = heldWriter();
    const queue = new AnswerQueue(writer);
    const first = queue.record(click('u1'));
    const waiting = [queue.record(click('u2')), queue.record(click('u3'))];
    statements[0]!.finish();
    await first;
    await settle();
    statements[1]!.finish(new Error('database unavailable'));
    for (const reply of waiting) await expect(reply).rejects.toThrow('database unavailable');
    const later = queue.record(click('u4'));
    expect(statements).toHaveLength(3);
    statements[2]!.finish();
    expect(await later).toMatchObject({ status: 'recorded' });
  });

  it('GIVEN a statement Postgres ends to break a deadlock THEN it runs again; after three, its clicks get the error', async () => {
    const { writer, statements } = heldWriter();
    const queue = new AnswerQueue(writer);
    const reply = queue.record(click('u1'));
    statements[0]!.finish(deadlock());
    await settle();
    expect(statements).toHaveLength(2);
    statements[1]!.finish();
    expect(await reply).toMatchObject({ status: 'recorded' });

    const unlucky = queue.record(click('u2'));
    for (let n = 2; n < 5; n++) {
      await settle();
      statements[n]!.finish(deadlock());
    }
    await expect(unlucky).rejects.toThrow('Failed query');
    expect(statements).toHaveLength(5);
  });

  it('GIVEN any clicks THEN each is written once, a member\'s in the order clicked, never twice in a statement, never two statements at once for a server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ user: fc.integer({ min: 0, max: 6 }), guild: fc.integer({ min: 0, max: 2 }), gap: fc.boolean() }), { minLength: 1, maxLength: 80 }), async (clicks) => {
        const out = new Set<string>();
        const written: AnswerInput[][] = [];
        const write = async (inputs: AnswerInput[]) => {
          const guild = inputs[0]!.guildId;
          expect(out.has(guild), `two statements out for ${guild}`).toBe(false);
          expect(inputs.every((i) => i.guildId === guild)).toBe(true);
          out.add(guild);
          written.push(inputs);
          await settle();
          out.delete(guild);
          return inputs.map((): AnswerOutcome => ({ status: 'already-answered' }));
        };
        const queue = new AnswerQueue({ recordAnswer: async (i) => (await write([i]))[0]!, recordAnswers: (is) => write([...is]) });
        const replies: Promise<AnswerOutcome>[] = [];
        for (const [n, c] of clicks.entries()) {
          replies.push(queue.record({ ...click(`u${c.user}`, `g${c.guild}`), roundId: n }));
          if (c.gap) await settle();
        }
        await Promise.all(replies);
        const order = written.flat().map((i) => i.roundId);
        expect([...order].sort((a, b) => a - b)).toEqual(clicks.map((_, n) => n));
        for (const statement of written) {
          expect(statement.length).toBeLessThanOrEqual(50);
          expect(new Set(statement.map((i) => i.userId)).size).toBe(statement.length);
        }
        for (const member of new Set(clicks.map((c) => `g${c.guild}:u${c.user}`))) {
          const mine = written.flat().filter((i) => `${i.guildId}:${i.userId}` === member).map((i) => i.roundId);
          expect(mine).toEqual([...mine].sort((a, b) => a - b));
        }
      }),
    );
  });
});
