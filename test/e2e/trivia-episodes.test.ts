// Trivia that follows the rewatch: /trivia play episode:, the Play button in each rewatch thread, and the
// spoiler guard drawing from the episodes already posted.
import { afterEach, describe, expect, it } from 'vitest';
import { episodeOrder } from '../../src/content/index.js';
import { createWorld, type World } from './world.js';
import { botMessages, moderator, rewatchThreads, setup } from './rewatch-helpers.js';
import { buttonIds, questionMessages, timeUp, waitForQuestion } from './trivia-helpers.js';

let world: World;
afterEach(async () => world?.close());

const trivia = (w: World, who: keyof World['members'], subcommand: string, options: Record<string, string | number | boolean> = {}, channelId = w.channel.id) =>
  w.discord.slashCommand({ guildId: w.guild.id, channelId, userId: w.members[who].id, command: 'trivia', subcommand, options });

describe('/trivia play episode:', () => {
  it('GIVEN a member typing part of a title THEN autocomplete offers "7x20 The Changing Face of Evil"; the game asks only about it', async () => {
    world = await createWorld();
    const { discord, guild, channel, members } = world;
    const offered = await discord.autocomplete({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'play', options: { episode: 'changing' }, focused: 'episode' });
    expect(offered).toEqual([{ name: '7x20 The Changing Face of Evil', value: '7x20' }]);
    const all = await discord.autocomplete({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'play', options: { episode: '' }, focused: 'episode' });
    expect(all.map((c) => c.value)).toEqual(expect.arrayContaining(['7x17', '7x18', '7x19', '7x20', '7x21', '7x22', '7x23', '7x24', '7x25']));

    const intro = await (await trivia(world, 'kira', 'play', { episode: '7x20', questions: 3 })).reply();
    expect(intro.ephemeral).toBe(false);
    expect(intro.content).toContain('started a game of 3 questions about "The Changing Face of Evil" (7x20)');
    for (const n of [1, 2, 3]) {
      const { question } = await waitForQuestion(world, n);
      expect(question.source?.episode, question.id).toBe('7x20');
      await timeUp(world);
      await world.bot.tick();
    }
  });

  it('GIVEN a title typed without autocomplete THEN it is understood; an unknown one is refused privately and starts nothing', async () => {
    world = await createWorld();
    const typed = await (await trivia(world, 'kira', 'play', { episode: "'til death do us part", questions: 1 })).reply();
    expect(typed.content).toContain('about "\'Til Death Do Us Part" (7x18)');
    await timeUp(world);
    await world.bot.tick();
    const unknown = await (await trivia(world, 'quark', 'play', { episode: 'Trials and Tribble-ations' })).reply();
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.content).toBe(
      '"Trials and Tribble-ations" is not an episode I have trivia for. Pick one from the list as you type, e.g. `7x20 The Changing Face of Evil`.',
    );
    expect(questionMessages(world)).toHaveLength(1);
  });
});

describe('a rewatch thread', () => {
  it('GIVEN a posted episode thread WHEN a member presses Play this episode\'s trivia THEN a game about it runs in the thread; a second press is told one is running', async () => {
    world = await createWorld();
    const { discord, members } = world;
    await setup(world);
    await moderator(world, 'now');
    const [thread] = rewatchThreads(world);
    const [starter] = botMessages(world, thread!.id);
    const play = buttonIds(starter!).find((b) => b.label === "Play this episode's trivia");
    expect(play?.customId).toBe('trivia:episode:7x20');

    const first = await (await discord.clickButton({ userId: members.kira.id, messageId: starter!.id, customId: play!.customId })).reply();
    expect(first.ephemeral).toBe(false);
    expect(first.content).toContain('about "The Changing Face of Evil" (7x20)');
    const { question } = await waitForQuestion(world, 1, thread!.id);
    expect(question.source?.episode).toBe('7x20');
    expect(questionMessages(world)).toEqual([]);

    const second = await (await discord.clickButton({ userId: members.quark.id, messageId: starter!.id, customId: play!.customId })).reply();
    expect(second.ephemeral).toBe(true);
    expect(second.content).toMatch(/^A trivia game is already running in this channel/);
  });

  it('GIVEN the spoiler guard and a rewatch at its first episode THEN a plain game asks nothing past it, at least half about it', async () => {
    world = await createWorld();
    await (await trivia(world, 'sisko', 'settings', { spoiler_guard: true })).reply();
    await setup(world);
    await moderator(world, 'now');
    await (await trivia(world, 'kira', 'play', { questions: 6 })).reply();
    const asked = [];
    for (const n of [1, 2, 3, 4, 5, 6]) {
      asked.push((await waitForQuestion(world, n)).question);
      await timeUp(world);
      await world.bot.tick();
    }
    expect(asked.every((q) => episodeOrder(q.spoils) <= episodeOrder('7x20'))).toBe(true);
    expect(asked.filter((q) => q.source?.episode === '7x20').length).toBeGreaterThanOrEqual(3);
  });
});
