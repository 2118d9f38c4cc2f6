// The gateway connection closes with 4000 in the middle of a game: discord.js resumes the session, the
// stand-in replays what happened meanwhile, and clicks made right after the drop are all answered and counted.
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../world.js';
import { buttonFor, timeUp, waitForReveal } from '../trivia-helpers.js';
import { nextChoiceRound } from '../../helpers/choice-round.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('gateway drop', () => {
  it('GIVEN a game WHEN the gateway closes with 4000 THEN the client resumes and every click sent right after is handled', async () => {
    world = await createWorld();
    const { discord, guild, channel, members } = world;
    await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.sisko.id, command: 'trivia', subcommand: 'play', options: { questions: 3 } })).reply();
    const round = await nextChoiceRound(world);
    expect((await (await discord.clickButton({ userId: members.sisko.id, messageId: round.message.id, customId: buttonFor(round.message, round.question, true) })).reply()).content).toContain('Locked in');

    await discord.dropConnection({ code: 4000 });
    expect(discord.connections()).toBe(0);
    // Clicked while the bot is away: these reach it only through the resumed session's replay.
    const clickers = [members.kira, members.quark, members.nog, members.odo];
    const clicks = await Promise.all(
      clickers.map((m, i) => discord.clickButton({ userId: m.id, messageId: round.message.id, customId: buttonFor(round.message, round.question, i % 2 === 0) })),
    );
    for (const click of clicks) {
      expect(click.error).toBeUndefined();
      expect((await click.reply()).content).toContain('Locked in');
    }
    await discord.waitFor(() => world!.logs.some((line) => line.includes('gateway resumed')), { description: 'the bot logging a RESUMED session' });
    expect(discord.connections()).toBe(1);

    await timeUp(world);
    const { embed: reveal } = await waitForReveal(world, round.roundNo);
    const fields = Object.fromEntries((reveal.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Answers']).toBe('3 of 5 right');
    for (const m of [members.sisko, members.kira, members.nog]) expect(fields['Got it right']).toContain(`<@${m.id}>`);

    // Buttons keep working after the resume.
    await world.bot.tick();
    const next = await nextChoiceRound(world, round.roundNo + 1);
    const after = await discord.clickButton({ userId: members.quark.id, messageId: next.message.id, customId: buttonFor(next.message, next.question, true) });
    expect((await after.reply()).content).toContain('Locked in');
  }, 180_000);
});
