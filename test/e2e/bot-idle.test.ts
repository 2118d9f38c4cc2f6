// RunningBot.idle(): what the playground waits on instead of a quiet spell, so a slow machine cannot cut a step short.
import { TriviaRepository } from '../../src/db/repositories/trivia.js';
import { afterEach, describe, expect, it } from 'vitest';
import { questionMessages } from './trivia-helpers.js';
import { createWorld, type World } from './world.js';

let world: World;
afterEach(async () => {
  await world?.close();
});

describe('RunningBot.idle', () => {
  it('GIVEN /trivia play THEN idle() resolves only once the reply showing the first question is back and saved, even when Discord is slow to take it', async () => {
    world = await createWorld({ interactionTimeoutMs: 30_000 }); // Discord's 3 s window is not what this is about: a loaded machine must not close it
    const { discord, guild, channel, members } = world;
    // The reply takes effect only when the test lets it (the stand-in settles the interaction then): the handler is busy
    // until then, and saves the message after.
    let release!: () => void;
    discord.holdNext({ method: 'POST', path: /\/interactions\/\d+\/[^/]+\/callback/, until: new Promise<void>((r) => (release = r)) });
    const play = discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'play', options: { questions: 1 } });
    const repo = new TriviaRepository(world.database.db);
    const firstRound = async () => {
      const running = await repo.runningGameInChannel(channel.id);
      return running ? (await repo.rounds(running.game.id))[0]! : undefined;
    };
    const opened = async () => Boolean((await firstRound())?.opensAt);
    for (let i = 0; i < 3_000 && !(await opened()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await opened()).toBe(true); // the handler is at its reply
    let idle = false;
    const waiting = world.bot.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(idle).toBe(false);
    release();
    await waiting;
    const [question] = questionMessages(world);
    expect((await firstRound())?.messageId).toBe(question?.id);
    expect((await (await play).reply()).content).toContain('started a game');
  });

  it('GIVEN nothing in flight THEN idle() resolves at once', async () => {
    world = await createWorld();
    await expect(world.bot.idle()).resolves.toBeUndefined();
  });
});
