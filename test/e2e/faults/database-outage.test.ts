// The database goes away for ten seconds in the middle of a trivia game (a real network cut through a TCP
// proxy, on real Postgres): members get a short "having trouble" message, nothing accepted is lost, and the
// bot works again once the connection is back, without a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_DOWN } from '../../../src/discord/error-boundary.js';
import { proxiedPostgresEngine } from '../../helpers/proxied-postgres.js';
import { createWorld, type World } from '../world.js';
import { buttonFor, waitForQuestion, waitForReveal } from '../trivia-helpers.js';
import { nextChoiceRound } from '../../helpers/choice-round.js';

const postgresUrl = process.env.DATABASE_URL;
const CUT_MS = 10_000;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe.skipIf(!postgresUrl)('database outage (real Postgres through a TCP proxy)', () => {
  it('GIVEN a game in progress WHEN the database is cut off for 10 s THEN members are told to try again, nothing accepted is lost, and answers work again after', async () => {
    const proxied = proxiedPostgresEngine(postgresUrl!, { connectTimeoutSeconds: 2, stallTimeoutMs: 2_000 });
    world = await createWorld({ engine: proxied.engine });
    const { discord, guild, channel, members } = world;
    const proxy = proxied.proxy();

    await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.sisko.id, command: 'trivia', subcommand: 'play', options: { questions: 5 } })).reply();
    const q1 = await nextChoiceRound(world);
    const click = (userId: string, right: boolean) => discord.clickButton({ userId, messageId: q1.message.id, customId: buttonFor(q1.message, q1.question, right) });

    expect((await (await click(members.kira.id, true)).reply()).content).toContain('Locked in');
    expect((await (await click(members.quark.id, false)).reply()).content).toContain('Locked in');

    proxy.cut();
    const cutAt = Date.now();
    // Two members click during the outage: one on a pooled (now half-open) connection, one needing a new one.
    const [nogDuring, odoDuring] = await Promise.all([click(members.nog.id, true), click(members.odo.id, true)]);
    for (const handle of [nogDuring, odoDuring]) {
      expect(handle.error).toBeUndefined();
      const reply = await handle.reply({ timeoutMs: CUT_MS });
      expect(reply.content).toBe(DATABASE_DOWN);
      expect(reply.ephemeral).toBe(true);
    }
    // The members heard back while the database was still away.
    expect(Date.now() - cutAt).toBeLessThan(CUT_MS);
    expect(proxy.isCut).toBe(true);
    // The background tick fails quietly during the outage (the bot logs it and carries on).
    await expect(world.bot.tick()).rejects.toThrow();

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, CUT_MS - (Date.now() - cutAt))));
    proxy.restore();

    // Back without a restart: the retry is accepted, and an answer given before the cut still blocks a second one.
    const retried = await click(members.nog.id, true);
    expect(retried.error).toBeUndefined();
    expect((await retried.reply({ timeoutMs: 60_000 })).content).toContain('Locked in');
    expect((await (await click(members.kira.id, false)).reply()).content).toContain('already answered');

    world.clock.advance(21_000);
    await world.bot.tick();
    const { embed: revealed } = await waitForReveal(world, q1.roundNo);
    const fields = Object.fromEntries((revealed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Answers']).toBe('2 of 3 right');
    expect(fields['Got it right']).toContain(`<@${members.kira.id}>`);
    expect(fields['Got it right']).toContain(`<@${members.nog.id}>`);
    expect(fields['Got it right']).not.toContain(`<@${members.odo.id}>`);

    await world.bot.tick();
    await waitForQuestion(world, q1.roundNo + 1);
    const stats = await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'stats' })).reply();
    const statFields = Object.fromEntries((stats.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(statFields['Answered']).toBe('1');
    expect(statFields['Correct']).toBe('1 (100%)');
  }, 180_000);
});
