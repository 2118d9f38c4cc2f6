// /trivia as members see it beyond the basic game: free-text answers through the pop-up, weekly and all-time
// leaderboards with shared ranks, stats for a newcomer, and the spoiler guard.
import { afterEach, describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { loadContent } from '../../src/content/index.js';
import { RewatchRepository } from '../../src/db/repositories/rewatch.js';
import { TriviaRepository } from '../../src/db/repositories/trivia.js';
import type { InteractionHandle, OptionInput, VisibleMessage } from '../../stand-in/index.js';
import { FIRST_CORRECT_BONUS, pointsForCorrectAnswer } from '../../src/trivia/scoring.js';
import { answer, buttonIds, questionEmbed, questionMessages, timeUp, waitForQuestion, waitForReveal } from './trivia-helpers.js';
import { createWorld, type World } from './world.js';

const DAY = 86_400_000;
const content = loadContent();
const bank = content.questions;

let world: World;
afterEach(async () => world?.close());

async function command(userId: string, subcommand: string, options: Record<string, OptionInput> = {}): Promise<InteractionHandle> {
  return world.discord.slashCommand({ guildId: world.guild.id, channelId: world.channel.id, userId, command: 'trivia', subcommand, options });
}

/** Opens the answer pop-up on a free-text question and submits `text`; returns what the member sees. */
async function typeAnswer(userId: string, message: VisibleMessage, text: string) {
  const open = await world.discord.clickButton({ userId, messageId: message.id, customId: buttonIds(message)[0]!.customId });
  expect(open.modal?.title).toBeDefined();
  const submitted = await world.discord.submitModal({ userId, channelId: message.channelId, customId: open.modal!.custom_id, fields: { answer: text } });
  return submitted.reply();
}

function field(embed: APIEmbed, name: string): string {
  return embed.fields?.find((f) => f.name === name)?.value ?? '';
}

describe('/trivia free-text answers', () => {
  it('GIVEN a free-text question THEN members type through the pop-up, typos and surnames count, wrong and blank answers do not, and nothing pings', async () => {
    // A bot whose bank is the one question: who played Jadzia.
    world = await createWorld({ botOptions: { content: { ...content, questions: bank.filter((q) => q.id === 'general-jadzia-actress') } } });
    const { discord, members } = world;
    await (await command(members.sisko.id, 'play', { questions: 1 })).reply();
    const { message, question } = await waitForQuestion(world, 1);
    expect(question.type).toBe('free-text');
    expect(buttonIds(message).map((b) => b.label)).toEqual(['Answer']);

    // The form shows the question itself (on a phone it covers the channel), then the answer field.
    const form = (await discord.clickButton({ userId: members.odo.id, messageId: message.id, customId: buttonIds(message)[0]!.customId })).modal!;
    expect(form.components[0]).toMatchObject({ type: 10, content: question.prompt });
    expect(form.components[1]).toMatchObject({ type: 18, label: 'Your answer', component: { type: 4, custom_id: 'answer', required: true } });

    const kira = await typeAnswer(members.kira.id, message, 'terry farell');
    expect(kira.ephemeral).toBe(true);
    expect(kira.content).toContain('Locked in: "terry farell"');
    expect(kira.content).toContain('when the answer is revealed');
    expect(kira.content).not.toMatch(/correct|right|wrong/i);

    const blank = await typeAnswer(members.quark.id, message, '   ');
    expect(blank.ephemeral).toBe(true);
    expect(blank.content).toContain('Your answer was empty');
    const quark = await typeAnswer(members.quark.id, message, '@everyone Nana Visitor <@&123456789012345678>');
    expect(quark.content).toContain('Locked in');
    expect(quark.pingsAnyone).toBe(false);

    expect((await typeAnswer(members.nog.id, message, 'FARRELL')).content).toContain('Locked in');
    // A second pop-up is refused before it opens: the first answer is the one that counts.
    const again = await discord.clickButton({ userId: members.kira.id, messageId: message.id, customId: buttonIds(message)[0]!.customId });
    expect(again.modal).toBeUndefined();
    expect((await again.reply()).content).toContain('already answered');

    await timeUp(world);
    const { message: revealed, embed: reveal } = await waitForReveal(world, 1);
    expect(reveal.description).toContain('**Answer: Terry Farrell**');
    const gotIt = field(reveal, 'Got it right');
    expect(gotIt).toContain(`<@${members.kira.id}> +${pointsForCorrectAnswer('hard', 0) + FIRST_CORRECT_BONUS} (first!)`);
    expect(gotIt).toContain(`<@${members.nog.id}>`);
    expect(gotIt).not.toContain(members.quark.id);
    expect(field(reveal, 'Answers')).toBe('2 of 3 right');
    expect(revealed.pingsAnyone).toBe(false);
  });
});

describe('/trivia with two bot processes', () => {
  it('GIVEN a question this process saw open WHEN another process reveals it THEN a click here is refused and scores nothing', async () => {
    world = await createWorld();
    const { discord, members } = world;
    await (await command(members.sisko.id, 'play', { questions: 1, category: 'war', difficulty: 'hard' })).reply();
    const { message, question } = await waitForQuestion(world, 1);
    expect(await answer(world, members.kira.id, message, question, true)).toContain('Locked in');

    // The other process's tick: the round closes and is revealed in the database, not through this bot.
    const roundId = Number(buttonIds(message)[0]!.customId.split(':')[2]);
    const repo = new TriviaRepository(world.database.db);
    await repo.closeRoundNow(roundId, world.clock.now());
    expect(await repo.revealRound(roundId, world.guild.id, FIRST_CORRECT_BONUS, world.clock.now())).toHaveLength(1);

    const late = await discord.clickButton({ userId: members.quark.id, messageId: message.id, customId: buttonIds(message)[0]!.customId });
    expect((await late.reply()).content).toContain('This question has closed');
    const stats = await (await command(members.quark.id, 'stats')).reply();
    expect(stats.content).toContain('has not answered any trivia here yet');
  });
});

describe('/trivia leaderboard and stats', () => {
  /** One question everybody answers; `right` lists who gets it right, in the order they answer. */
  async function playOneQuestion(right: string[], wrong: string[] = []): Promise<void> {
    const { discord, channel, members } = world;
    const summaries = () => discord.messages(channel.id).filter((m) => m.embeds.some((e) => e.title === 'Trivia over'));
    const [questionsBefore, summariesBefore] = [questionMessages(world).length, summaries().length];
    await (await command(members.sisko.id, 'play', { questions: 1 })).reply();
    const message = await discord.waitFor(() => questionMessages(world)[questionsBefore]);
    const question = bank.find((q) => questionEmbed(message)?.description?.startsWith(q.prompt))!;
    for (const userId of right) expect(await answer(world, userId, message, question, true)).toContain('Locked in');
    for (const userId of wrong) expect(await answer(world, userId, message, question, false)).toContain('Locked in');
    await timeUp(world);
    await discord.waitFor(() => summaries()[summariesBefore]);
  }

  async function board(userId: string, period?: 'week' | 'all'): Promise<string[]> {
    const reply = await (await command(userId, 'leaderboard', period ? { period } : {})).reply();
    expect(reply.pingsAnyone).toBe(false);
    return reply.embeds[0]!.description!.split('\n');
  }

  it('GIVEN equal scores THEN they share a rank; the caller sees their own rank; a week later the weekly board starts over but all time keeps it', async () => {
    world = await createWorld();
    const { kira, quark, nog, odo } = world.members;
    await playOneQuestion([kira.id, quark.id, nog.id], [odo.id]);

    const allTime = await board(odo.id);
    const ranked = allTime.filter((l) => l.includes('<@'));
    expect(ranked[0]).toMatch(new RegExp(`^🥇 <@${kira.id}>: \\d+ points$`));
    // quark and nog scored the same: both second, and nobody is third.
    expect(ranked).toHaveLength(3);
    expect(ranked.slice(1).every((line) => line.startsWith('🥈 '))).toBe(true);
    expect(ranked.slice(1).join('\n')).toContain(`<@${quark.id}>`);
    expect(ranked.slice(1).join('\n')).toContain(`<@${nog.id}>`);
    // odo answered, wrongly: told so, not invited to start playing.
    expect(allTime.at(-1)).toBe('You have answered 1 question here but not scored yet.');
    expect(await board(odo.id, 'week')).toEqual([...ranked, 'You have no points this week yet.']);
    expect((await board(world.members.sisko.id)).at(-1)).toBe('You have no points here yet: `/trivia play` to start.');

    world.clock.advance(7 * DAY);
    expect((await board(kira.id, 'week'))[0]).toBe('No scores yet.');
    await playOneQuestion([odo.id]);
    const week = (await board(kira.id, 'week')).filter((l) => l.includes('<@'));
    expect(week).toEqual([expect.stringMatching(new RegExp(`^🥇 <@${odo.id}>`))]);
    const later = (await board(kira.id)).filter((l) => l.includes('<@'));
    expect(later).toHaveLength(4);
    const kiraBefore = ranked[0]!.slice(ranked[0]!.indexOf('<@'));
    expect(later.some((line) => line.endsWith(kiraBefore))).toBe(true);
  });

  it('GIVEN a member with no answers THEN stats says so; after a right and a wrong answer it counts both', async () => {
    world = await createWorld();
    const { kira, nog } = world.members;
    const empty = await (await command(nog.id, 'stats', { member: kira.id })).reply();
    expect(empty.content).toBe(`<@${kira.id}> has not answered any trivia here yet.`);
    expect(empty.pingsAnyone).toBe(false);

    await playOneQuestion([kira.id]);
    await playOneQuestion([], [kira.id]);
    const stats = await (await command(kira.id, 'stats')).reply();
    const fields = Object.fromEntries((stats.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ Answered: '2', Correct: '1 (50%)', Streak: '0 now, best 1', 'Games played': '2' });
    expect(Number(fields['Points'])).toBeGreaterThan(0);
  });
});

describe('/trivia spoiler guard', () => {
  it('GIVEN a rewatch that has not reached the finale THEN only questions about earlier episodes are asked, and the intro says the game is shorter', async () => {
    // A bank of the finale's questions and four unrelated ones that spoil nothing past the pilot.
    const small = [...bank.filter((q) => q.spoils === '1x01' && !q.related).slice(0, 4), ...bank.filter((q) => q.spoils === '7x25')];
    world = await createWorld({ botOptions: { content: { ...content, questions: small } } });
    const { guild, channel, members } = world;
    const plan = content.defaultPlan;
    await new RewatchRepository(world.database.db).saveSchedule(
      { guildId: guild.id, channelId: channel.id, planId: plan.id, weekday: 5, hour: 20, minute: 0, timeZone: 'UTC', nextIndex: 0, nextRunAt: new Date(world.clock.now().getTime() + DAY), createdBy: members.sisko.id },
      world.clock.now(),
    );
    const unspoiled = small.filter((q) => q.spoils < plan.episodes[0]!.code);
    expect(unspoiled).toHaveLength(4);

    const intro = await (await command(members.kira.id, 'play', { questions: 10 })).reply();
    expect(intro.content).toContain(`started a game of ${unspoiled.length} question`);
    expect(intro.content).toContain(`only ${unspoiled.length} matched`);
    const asked: string[] = [];
    for (let n = 1; n <= unspoiled.length; n++) {
      asked.push((await waitForQuestion(world, n)).question.id);
      await timeUp(world);
      await world.bot.tick();
    }
    expect(asked.sort()).toEqual(unspoiled.map((q) => q.id).sort());

    const filtered = await (await command(members.kira.id, 'play', { category: 'war' })).reply();
    expect(filtered.ephemeral).toBe(true);
    expect(filtered.content).toContain('No questions match that');
    expect(filtered.content).toContain('spoiler guard');
  });
});
