// Discord answers 429 (per route and global) and 500 on the routes a trivia game uses: the question post, the
// reveal edit and the interaction callback. Everything is retried; nothing is lost and nothing is doubled.
import { afterEach, describe, expect, it } from 'vitest';
import type { FailRule } from '../../../stand-in/rest.js';
import { createWorld, type World } from '../world.js';
import { buttonFor, questionMessages, timeUp } from '../trivia-helpers.js';
import { nextChoiceRound } from '../../helpers/choice-round.js';

const POST_MESSAGE: Pick<FailRule, 'method' | 'path'> = { method: 'POST', path: /^\/api\/v10\/channels\/\d+\/messages$/ };
const EDIT_MESSAGE: Pick<FailRule, 'method' | 'path'> = { method: 'PATCH', path: /^\/api\/v10\/channels\/\d+\/messages\/\d+$/ };
const CALLBACK: Pick<FailRule, 'method' | 'path'> = { method: 'POST', path: /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/ };

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function fieldsOf(world: World, messageId: string): Record<string, string> {
  return Object.fromEntries((world.discord.message(messageId)?.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
}

describe('Discord errors during a trivia game', () => {
  it('GIVEN 429s (route and global) and 500 bursts on every trivia route THEN each question, reveal and answer lands exactly once', async () => {
    world = await createWorld();
    const { discord, guild, channel, members } = world;

    // The /trivia play reply: two 500s and a route 429 on the interaction callback.
    discord.failNext({ ...CALLBACK, status: 500, count: 2 });
    discord.failNext({ ...CALLBACK, status: 429, retryAfter: 0.2 });
    // The first question: route 429, global 429, then 500s.
    discord.failNext({ ...POST_MESSAGE, status: 429, retryAfter: 0.3 });
    discord.failNext({ ...POST_MESSAGE, status: 429, retryAfter: 0.2, global: true });
    discord.failNext({ ...POST_MESSAGE, status: 500, count: 2 });
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

    // The reveal edit: a route 429 then a burst of 500s.
    discord.failNext({ ...EDIT_MESSAGE, status: 429, retryAfter: 0.2 });
    discord.failNext({ ...EDIT_MESSAGE, status: 500, count: 3 });
    await timeUp(world);
    await discord.waitFor(() => discord.message(round.message.id)?.edited);
    expect(fieldsOf(world, round.message.id)['Answers']).toBe('2 of 3 right');

    // A 500 burst longer than discord.js's own retries on the next question: the engine tries again next tick.
    discord.failNext({ ...POST_MESSAGE, status: 500, count: 4 });
    await world.bot.tick();
    await world.bot.tick();
    const next = await discord.waitFor(() => questionMessages(world!).find((m) => m.embeds[0]?.title?.startsWith(`Question ${round.roundNo + 1} of`)));
    expect(next.components.length).toBeGreaterThan(0);

    // Play the game out with no more faults, then count what members saw.
    for (let n = round.roundNo + 1; n <= 3; n++) {
      await discord.waitFor(() => questionMessages(world!).find((m) => m.embeds[0]?.title?.startsWith(`Question ${n} of`)));
      await timeUp(world);
      await world.bot.tick();
    }
    const summaries = await discord.waitFor(() => {
      const found = discord.messages(channel.id).filter((m) => m.embeds[0]?.title === 'Trivia over');
      return found.length > 0 && found;
    });
    const questions = questionMessages(world);
    expect(questions.map((m) => m.embeds[0]?.title?.match(/^Question (\d+) of 3/)?.[1])).toEqual(['1', '2', '3']);
    for (const q of questions) {
      expect(q.edited, `question ${q.embeds[0]?.title} is revealed`).toBe(true);
      expect(q.embeds[0]?.title).toMatch(/· answer$/);
      expect(q.components).toEqual([]);
    }
    expect(summaries).toHaveLength(1);
    // Only bot posts in the channel: the intro, three questions, one summary. Nothing doubled.
    expect(discord.messages(channel.id).filter((m) => m.author.bot && !m.ephemeral)).toHaveLength(5);
    const stats = await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.nog.id, command: 'trivia', subcommand: 'stats' })).reply();
    expect(Object.fromEntries((stats.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]))['Answered']).toBe('1');
  }, 60_000);
});
