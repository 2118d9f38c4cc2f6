// The bot process is killed with SIGKILL twice, started as `npm start` does (src/index.ts, configured by the
// environment, on its own Postgres database) and pointed at the stand-in:
//   1. mid-round: answers were accepted, the question had not been revealed yet;
//   2. mid-post: the request creating a rewatch thread was in flight (Discord created the thread after the
//      bot died, so the bot never learned its id and no starter message went out); a second question was open;
//   3. (second test) mid-question: the request posting a question was in flight, so its id was never saved.
// After each restart nothing accepted is lost, the overdue round is revealed and the game goes on and ends,
// and the rewatch episode ends up with exactly one thread, with its starter message.
//
// The processes run on the real clock, so the game uses the shortest question time (/trivia settings
// seconds:5). The rewatch slot is made due by setting next_run_at in the database while the bot is down,
// and the second downtime is fast-forwarded by moving the rewatch rows' timestamps three minutes back
// (as if the bot had stayed down that long: past the 2-minute lease and the 1-minute retry pause).
import type { APIEmbed } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent, type Question } from '../../../src/content/index.js';
import type { VisibleMessage } from '../../../stand-in/index.js';
import type { BotProcess } from '../../helpers/bot-process.js';
import { createProcessWorld, type ProcessWorld } from '../../helpers/process-world.js';
import { buttonFor, buttonIds, questionEmbed } from '../trivia-helpers.js';

const postgresUrl = process.env.DATABASE_URL;
const bank = loadContent().questions;

let world: ProcessWorld | undefined;
/** Lets a request held with holdNext through (a no-op when nothing is held). */
let releaseHeld = () => {};
afterEach(async () => {
  releaseHeld();
  await world?.close();
  world = undefined;
});

type Who = keyof ProcessWorld['members'];

function fieldsOf(embed: APIEmbed | undefined): Record<string, string> {
  return Object.fromEntries((embed?.fields ?? []).map((f) => [f.name, f.value]));
}

async function command(w: ProcessWorld, who: Who, name: string, subcommand: string, options?: Record<string, string | number | boolean>, channelId = w.channel.id) {
  const handle = await w.discord.slashCommand({ guildId: w.guild.id, channelId, userId: w.members[who].id, command: name, subcommand, ...(options ? { options } : {}) });
  expect(handle.error).toBeUndefined();
  return handle.reply({ timeoutMs: 60_000 });
}

async function waitForQuestion(w: ProcessWorld, roundNo: number, bot: BotProcess): Promise<{ message: VisibleMessage; question: Question }> {
  const message = await w.discord.waitFor(
    () => {
      if (bot.exited) throw new Error(`the bot exited\n${bot.tail()}`);
      return w.discord.messages(w.channel.id).find((m) => m.author.bot && questionEmbed(m)?.title?.startsWith(`Question ${roundNo} of`));
    },
    { timeoutMs: 60_000, description: `question ${roundNo}` },
  );
  const question = bank.find((q) => (questionEmbed(message)?.description ?? '').startsWith(q.prompt));
  expect(question, 'the question comes from the bank').toBeDefined();
  return { message, question: question! };
}

/** Answers as a member would (a button, or the modal for free text); returns the ephemeral text. */
async function answer(w: ProcessWorld, who: Who, message: VisibleMessage, question: Question, right: boolean): Promise<string> {
  const userId = w.members[who].id;
  if (question.type === 'free-text') {
    const open = await w.discord.clickButton({ userId, messageId: message.id, customId: buttonIds(message)[0]!.customId });
    if (!open.modal) return (await open.reply()).content;
    const submitted = await w.discord.submitModal({ userId, channelId: message.channelId, customId: open.modal.custom_id, fields: { answer: right ? question.accepted[0]! : 'Morn' } });
    const reply = await submitted.reply();
    expect(reply.ephemeral).toBe(true);
    return reply.content;
  }
  const reply = await (await w.discord.clickButton({ userId, messageId: message.id, customId: buttonFor(message, question, right) })).reply();
  expect(reply.ephemeral).toBe(true);
  return reply.content;
}

/** The reveal of question `roundNo` as the channel shows it (it comes with the next question, or the summary). */
async function waitForReveal(w: ProcessWorld, roundNo: number, bot: BotProcess): Promise<APIEmbed> {
  return w.discord.waitFor(
    () => {
      if (bot.exited) throw new Error(`the bot exited\n${bot.tail()}`);
      return w.discord.messages(w.channel.id).flatMap((m) => (m.author.bot ? m.embeds : [])).find((e) => new RegExp(`^Question ${roundNo} of \\d+ · answer$`).test(e.title ?? ''));
    },
    { timeoutMs: 60_000, description: 'the reveal' },
  );
}

/** Points per member from the reveals' "Got it right" lines (`<@id> +N`). */
function pointsFrom(reveals: APIEmbed[]): Map<string, number> {
  const points = new Map<string, number>();
  for (const reveal of reveals) {
    for (const [, id, n] of (fieldsOf(reveal)['Got it right'] ?? '').matchAll(/<@(\d+)> \+(\d+)/g)) points.set(id!, (points.get(id!) ?? 0) + Number(n));
  }
  return points;
}

describe.skipIf(!postgresUrl)('crash: the bot process is killed with SIGKILL and started again', () => {
  it('GIVEN answers accepted and a rewatch thread being posted WHEN the process dies THEN after a restart nothing is lost, no round is stuck and the episode has exactly one thread', async () => {
    world = await createProcessWorld(postgresUrl!);
    const w = world;
    const { discord, sql } = w;
    const rewatchChannel = discord.createChannel(w.guild.id, { name: 'rewatch' });

    // ---- first process: set up, start a game, answers accepted, then SIGKILL before the reveal ----
    const first = w.startBot();
    await first.ready();
    expect((await command(w, 'sisko', 'trivia', 'settings', { seconds: 5 })).content).toContain('Seconds per question: 5');
    expect((await command(w, 'sisko', 'rewatch-thread', 'setup', { channel: rewatchChannel.id, day: 3, time: '20:00', timezone: 'UTC' })).content).toContain('Rewatch scheduled');
    expect((await command(w, 'kira', 'trivia', 'play', { questions: 2 })).ephemeral).toBe(false);

    const q1 = await waitForQuestion(w, 1, first);
    expect(await answer(w, 'kira', q1.message, q1.question, true)).toContain('Locked in');
    expect(await answer(w, 'quark', q1.message, q1.question, false)).toContain('Locked in');
    expect(await answer(w, 'nog', q1.message, q1.question, true)).toContain('Locked in');
    await first.kill('SIGKILL');
    const [round1] = await sql<{ revealed_at: Date | null; closes_at: Date }[]>`select revealed_at, closes_at from trivia_rounds where round_no = 1`;
    expect(round1?.revealed_at, 'killed before the reveal').toBeNull();

    // While the bot is down, the rewatch slot comes due; Discord will be slow to create the thread, so the
    // next process dies with the request in flight.
    await sql`update rewatch_schedules set next_run_at = now()`;
    discord.holdNext({ method: 'POST', path: /^\/api\/v10\/channels\/\d+\/threads$/, until: new Promise<void>((resolve) => (releaseHeld = resolve)) });

    // ---- second process: the overdue round is revealed with every accepted answer; the game goes on ----
    const second = w.startBot();
    await second.ready();
    const reveal1 = await waitForReveal(w, 1, second);
    expect(fieldsOf(reveal1)['Answers']).toBe('2 of 3 right');
    for (const who of ['kira', 'nog'] as const) expect(fieldsOf(reveal1)['Got it right']).toContain(`<@${w.members[who].id}>`);

    await discord.waitFor(() => (discord.requestCounts()['POST /channels/:id/threads'] ?? 0) > 0, { timeoutMs: 60_000, description: 'the thread request' });
    const q2 = await waitForQuestion(w, 2, second);
    expect(await answer(w, 'quark', q2.message, q2.question, true)).toContain('Locked in');
    // SIGKILL with the thread request in flight (and question 2 open). Discord then creates the thread all the
    // same: the bot never learns its id, and the thread has no starter message.
    await second.kill('SIGKILL');
    releaseHeld();
    const thread = await discord.waitFor(() => discord.threads(rewatchChannel.id)[0], { timeoutMs: 60_000, description: 'the rewatch thread' });
    expect(thread.messages.filter((m) => m.author.bot)).toHaveLength(0);

    await sql`update rewatch_schedules set next_run_at = next_run_at - interval '3 minutes', lease_until = lease_until - interval '3 minutes'`;
    await sql`update rewatch_posts set created_at = created_at - interval '3 minutes'`;

    // ---- third process: question 2 is revealed and the game ends; the thread gets its starter, once ----
    const third = w.startBot();
    await third.ready();
    const reveal2 = await waitForReveal(w, 2, third);
    expect(fieldsOf(reveal2)['Answers']).toBe('1 of 1 right');
    const summary = await discord.waitFor(() => discord.messages(w.channel.id).find((m) => m.embeds.some((e) => e.title === 'Trivia over')), {
      timeoutMs: 60_000,
      description: 'the game summary',
    });
    expect(summary.embeds.map((e) => e.title)).toEqual(['Question 2 of 2 · answer', 'Trivia over']);
    expect(summary.embeds[1]?.description).toContain('after 2 questions');

    await third.waitForLog((l) => l.msg === 'rewatch thread posted', { timeoutMs: 60_000, description: 'the rewatch post being recorded' });
    const threads = discord.threads(rewatchChannel.id);
    expect(threads.map((t) => t.id)).toEqual([thread.id]);
    const starter = threads[0]!.messages.filter((m) => m.author.bot);
    expect(starter).toHaveLength(1);
    expect(starter[0]!.pingsAnyone).toBe(false);
    const posts = await sql<{ state: string; thread_id: string; episode_index: number }[]>`select state, thread_id, episode_index from rewatch_posts`;
    expect(posts).toEqual([{ state: 'posted', thread_id: thread.id, episode_index: 0 }]);
    const [schedule] = await sql<{ next_index: number; lease_until: Date | null }[]>`select next_index, lease_until from rewatch_schedules`;
    expect(schedule).toEqual({ next_index: 1, lease_until: null });
    const rounds = await sql<{ n: number }[]>`select count(*)::int as n from trivia_rounds where revealed_at is null`;
    expect(rounds[0]?.n, 'no round left unrevealed').toBe(0);

    // Stats and the leaderboard count every accepted answer exactly once.
    const expected = { kira: { answered: 1, correct: 1 }, quark: { answered: 2, correct: 1 }, nog: { answered: 1, correct: 1 } } as const;
    for (const [who, e] of Object.entries(expected) as [keyof typeof expected, (typeof expected)[keyof typeof expected]][]) {
      const stats = fieldsOf((await command(w, who, 'trivia', 'stats')).embeds[0]);
      expect(stats['Answered'], `${who} answered`).toBe(String(e.answered));
      expect(stats['Correct'], `${who} correct`).toBe(`${e.correct} (${Math.round((e.correct / e.answered) * 100)}%)`);
    }
    const points = pointsFrom([reveal1, reveal2]);
    const board = (await command(w, 'kira', 'trivia', 'leaderboard')).embeds[0]?.description ?? '';
    const shown = new Map([...board.matchAll(/<@(\d+)>: (\d+) point/g)].map(([, id, n]) => [id!, Number(n)]));
    expect(shown).toEqual(points);
    expect([...points.keys()].sort()).toEqual([w.members.kira.id, w.members.quark.id, w.members.nog.id].sort());

    await third.kill('SIGTERM');
  }, 180_000);

  it('GIVEN the /trivia play reply showing a question WHEN the process dies before it learns the message id THEN after a restart the question is found in the channel, takes answers and is revealed once', async () => {
    world = await createProcessWorld(postgresUrl!);
    const w = world;
    const { discord, sql } = w;

    const first = w.startBot();
    await first.ready();
    expect((await command(w, 'sisko', 'trivia', 'settings', { seconds: 5 })).content).toContain('Seconds per question: 5');
    // Discord is slow to take the /trivia play reply, which shows the first question: the process dies with the request in flight.
    discord.holdNext({ method: 'POST', path: /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/, until: new Promise<void>((resolve) => (releaseHeld = resolve)) });
    const play = command(w, 'kira', 'trivia', 'play', { questions: 1 });
    await discord.waitFor(() => (discord.requestCounts()['POST /interactions/:id/:token/callback'] ?? 0) > 1, { timeoutMs: 60_000, description: 'the reply' });
    await first.kill('SIGKILL');
    releaseHeld(); // Discord shows the reply all the same; no process knows its id
    expect((await play).ephemeral).toBe(false);
    const [round] = await sql<{ message_id: string | null; opens_at: Date | null }[]>`select message_id, opens_at from trivia_rounds where round_no = 1`;
    expect(round?.opens_at, 'the round was opened').not.toBeNull();
    expect(round?.message_id, 'its message id was never saved').toBeNull();

    const second = w.startBot();
    await second.ready();
    const q1 = await waitForQuestion(w, 1, second);
    expect(await answer(w, 'kira', q1.message, q1.question, true)).toContain('Locked in');
    const reveal = await waitForReveal(w, 1, second);
    expect(fieldsOf(reveal)['Answers']).toBe('1 of 1 right');
    await discord.waitFor(() => discord.messages(w.channel.id).find((m) => m.embeds.some((e) => e.title === 'Trivia over')), { timeoutMs: 60_000, description: 'the game summary' });
    const titles = discord.messages(w.channel.id).filter((m) => m.author.bot).flatMap((m) => m.embeds.map((e) => e.title ?? ''));
    expect(titles.filter((t) => t.startsWith('Question 1 of')), 'one question, one reveal').toEqual([questionEmbed(q1.message)!.title, 'Question 1 of 1 · answer']);

    await second.kill('SIGTERM');
  }, 180_000);
});
