// Posts that never double: Discord stores a trivia post and then the response fails (a 5xx after the fact);
// discord.js retries, and the post's nonce makes Discord answer the retry with the message it already has.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { triviaRounds } from '../../src/db/schema.js';
import { createWorld, type World } from './world.js';
import { answer, questionMessages, revealEmbeds, timeUp, waitForQuestion, waitForReveal } from './trivia-helpers.js';

let world: World;
afterEach(async () => world?.close());

const POST_MESSAGE = { method: 'POST', path: /\/channels\/\d+\/messages$/ } as const;
const posts = () => world.discord.requestCounts()['POST /channels/:id/messages'] ?? 0;
const botMessages = () => world.discord.messages(world.channel.id).filter((m) => m.author.bot);

async function play(questions: number): Promise<void> {
  const { discord, guild, channel, members } = world;
  await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'play', options: { questions } })).reply();
}

describe('trivia posts carry a nonce', () => {
  it('GIVEN Discord stores the summary but fails its response THEN the retry returns it: one summary, and the game ends once', async () => {
    world = await createWorld();
    const { discord, members } = world;
    await play(1);
    const q1 = await waitForQuestion(world, 1); // in the reply to /trivia play: no post
    await roundSaved(q1.message.id);
    expect(posts()).toBe(0);

    expect(await answer(world, members.quark.id, q1.message, q1.question, true)).toContain('Locked in');
    discord.failNext({ ...POST_MESSAGE, status: 500, afterEffect: true });
    await timeUp(world);
    // The reveal and the summary come in one post: stored, its response failed, the retry returned it.
    const summaries = () => botMessages().filter((m) => m.embeds.some((e) => e.title === 'Trivia over'));
    await discord.waitFor(() => summaries().length > 0);
    expect(posts()).toBe(2); // the stored attempt and discord.js's retry
    expect(summaries()).toHaveLength(1);
    expect(summaries()[0]!.embeds.map((e) => e.title)).toEqual(['Question 1 of 1 · answer', 'Trivia over']);
    expect(summaries()[0]!.embeds[1]?.description).toContain(`<@${members.quark.id}>`);
    expect(revealEmbeds(world)).toHaveLength(1);
  });

  it('GIVEN every attempt at posting a question is stored but answered with a 5xx THEN the question asked again on a later tick is the same message, not a second one', async () => {
    world = await createWorld();
    const { discord } = world;
    await play(2);
    await waitForQuestion(world, 1);
    // Question 2's post (with question 1's answer): the first attempt and discord.js's three retries, each stored (or returned), each answered 500.
    discord.failNext({ ...POST_MESSAGE, status: 500, afterEffect: true, count: 4 });
    await timeUp(world);
    await discord.waitFor(() => posts() === 4);
    expect(questionMessages(world)).toHaveLength(2);

    await world.bot.tick(); // Discord works again: the round is asked again
    const q2 = await waitForQuestion(world, 2);
    await roundSaved(q2.message.id);
    expect(posts()).toBe(5);
    expect(questionMessages(world)).toHaveLength(2);
    expect(revealEmbeds(world)).toHaveLength(1);
  });

  it('GIVEN a reveal with the next question is stored but answered with a 5xx THEN the retry returns it: one reveal, one question 2, and the game goes on', async () => {
    world = await createWorld();
    const { discord, members } = world;
    await play(2);
    const q1 = await waitForQuestion(world, 1);
    await answer(world, members.nog.id, q1.message, q1.question, true);

    discord.failNext({ ...POST_MESSAGE, status: 500, afterEffect: true });
    const before = posts();
    await timeUp(world);
    const revealed = await waitForReveal(world, 1);
    await roundSaved(revealed.message.id);
    expect(posts()).toBe(before + 2);
    expect(revealEmbeds(world)).toHaveLength(1);
    expect(questionMessages(world)).toHaveLength(2);
    expect(revealed.embed.fields?.find((f) => f.name === 'Got it right')?.value).toContain(`<@${members.nog.id}>`);
    const q2 = await waitForQuestion(world, 2);
    expect(q2.message.id).toBe(revealed.message.id);
    expect(await answer(world, members.quark.id, q2.message, q2.question, true)).toContain('Locked in');
  });
});

/** Waits until the bot has saved `messageId` as a round's question message. */
async function roundSaved(messageId: string): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 10) {
    const rows = await world.database.db.select({ id: triviaRounds.id }).from(triviaRounds).where(eq(triviaRounds.messageId, messageId));
    if (rows.length === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the bot never saved message ${messageId} as a question`);
}
