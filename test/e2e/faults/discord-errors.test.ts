// Discord answers 429 (per route and global) and 500 on the routes a trivia game uses: the question post, the
// post of a reveal with the next question, and the interaction callback. Everything is retried; nothing is lost and nothing is doubled.
import { afterEach, describe, expect, it } from 'vitest';
import type { FailRule } from '../../../stand-in/rest.js';
import { createWorld, type World } from '../world.js';
import { buttonFor, questionEmbed, questionMessages, revealEmbeds, timeUp, waitForReveal } from '../trivia-helpers.js';
import { nextChoiceRound } from '../../helpers/choice-round.js';

const POST_MESSAGE: Pick<FailRule, 'method' | 'path'> = { method: 'POST', path: /^\/api\/v10\/channels\/\d+\/messages$/ };
const CALLBACK: Pick<FailRule, 'method' | 'path'> = { method: 'POST', path: /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/ };

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});


describe('Discord errors during a trivia game', () => {
  it('GIVEN 429s (route and global) and 500 bursts on every trivia route THEN each question, reveal and answer lands exactly once', async () => {
    world = await createWorld();
    const { discord, guild, channel, members } = world;

    // The /trivia play reply, which shows the first question: two 500s, a route 429 and a global 429 on the interaction callback.
    discord.failNext({ ...CALLBACK, status: 500, count: 2 });
    discord.failNext({ ...CALLBACK, status: 429, retryAfter: 0.2 });
    discord.failNext({ ...CALLBACK, status: 429, retryAfter: 0.2, global: true });
    const intro = await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'play', options: { questions: 3 } })).reply();
    expect(intro.content).toContain('started a game of 3 questions');
    const round = await nextChoiceRound(world);

    // Clicks whose callbacks hit 500s and a global 429: each member is answered once and counted once.
    discord.failNext({ ...CALLBACK, status: 500, count: 2 });
    discord.failNext({ ...CALLBACK, status: 429, retryAfter: 0.2, global: true });
    const clicks = await Promise.all([
      discord.clickButton({ userId: members.kira.id, messageId: round.message.id, customId: buttonFor(round.message, round.question, true) }),
      discord.clickButton({ userId: members.quark.id, messageId: round.message.id, customId: buttonFor(round.message, round.question, false) }),
      discord.clickButton({ userId: members.nog.id, messageId: round.message.id, customId: buttonFor(round.message, round.question, true) }),
    ]);
    for (const click of clicks) {
      expect(click.error).toBeUndefined();
      expect((await click.reply()).content).toContain('Locked in');
    }

    // The post of the reveal with the next question: a route 429, then a 500 burst longer than discord.js's own
    // retries: nothing lands, and the engine tries again next tick.
    discord.failNext({ ...POST_MESSAGE, status: 429, retryAfter: 0.2 });
    discord.failNext({ ...POST_MESSAGE, status: 500, count: 4 });
    await timeUp(world);
    expect(revealEmbeds(world!)).toEqual([]);
    await world.bot.tick();
    const { message: next, embed: reveal } = await waitForReveal(world, round.roundNo);
    expect(reveal.fields?.find((f) => f.name === 'Answers')?.value).toBe('2 of 3 right');
    expect(questionEmbed(next)?.title).toMatch(new RegExp(`^Question ${round.roundNo + 1} of`));
    expect(next.components.length).toBeGreaterThan(0);

    // Play the game out with no more faults, then count what members saw.
    for (let n = round.roundNo + 1; n <= 3; n++) {
      await discord.waitFor(() => questionMessages(world!).find((m) => questionEmbed(m)?.title?.startsWith(`Question ${n} of`)));
      await timeUp(world);
      await world.bot.tick();
    }
    const summaries = await discord.waitFor(() => {
      const found = discord.messages(channel.id).filter((m) => m.embeds.some((e) => e.title === 'Trivia over'));
      return found.length > 0 && found;
    });
    const questions = questionMessages(world);
    expect(questions.map((m) => questionEmbed(m)?.title?.match(/^Question (\d+) of 3/)?.[1])).toEqual(['1', '2', '3']);
    expect(revealEmbeds(world).map((r) => r.embed.title)).toEqual(['Question 1 of 3 · answer', 'Question 2 of 3 · answer', 'Question 3 of 3 · answer']);
    expect(summaries).toHaveLength(1);
    // Only bot posts in the channel: the intro with question 1, two reveals each with the next question, the last
    // reveal with the summary. Nothing doubled.
    expect(discord.messages(channel.id).filter((m) => m.author.bot && !m.ephemeral)).toHaveLength(4);
    const stats = await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.nog.id, command: 'trivia', subcommand: 'stats' })).reply();
    expect(Object.fromEntries((stats.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]))['Answered']).toBe('1');
  }, 180_000);
});
