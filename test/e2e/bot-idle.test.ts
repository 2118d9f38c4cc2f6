// RunningBot.idle(): what the playground waits on instead of a quiet spell, so a slow machine cannot cut a step short.
import { afterEach, describe, expect, it } from 'vitest';
import { questionMessages } from './trivia-helpers.js';
import { createWorld, type World } from './world.js';

let world: World;
afterEach(async () => {
  await world?.close();
});

describe('RunningBot.idle', () => {
  it('GIVEN /trivia play answered THEN idle() resolves only after the first question is posted, even when Discord is slow to take it', async () => {
    world = await createWorld();
    const { discord, guild, channel, members } = world;
    // The question's POST takes effect only when the test lets it: the handler is still busy after the reply.
    let release!: () => void;
    discord.holdNext({ method: 'POST', path: new RegExp(`/channels/${channel.id}/messages$`), until: new Promise<void>((r) => (release = r)) });
    const handle = await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'play', options: { questions: 1 } });
    expect((await handle.reply()).content).toContain('started a game');
    let idle = false;
    const waiting = world.bot.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(questionMessages(world)).toHaveLength(1);
  });

  it('GIVEN nothing in flight THEN idle() resolves at once', async () => {
    world = await createWorld();
    await expect(world.bot.idle()).resolves.toBeUndefined();
  });
});
