// 500 clicks from 100 members land on one question at once (every member clicks five times, some on different
// buttons): each member is counted once, and the totals in the reveal, /trivia stats and the leaderboard are exact.
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle, MemberInfo } from '../../../stand-in/index.js';
import { FIRST_CORRECT_BONUS, pointsForCorrectAnswer } from '../../../src/trivia/scoring.js';
import { engines } from '../../helpers/databases.js';
import { nextChoiceRound } from '../../helpers/choice-round.js';
import { createWorld, type World } from '../world.js';
import { buttonIds, shownAnswerText, timeUp, waitForReveal } from '../trivia-helpers.js';

const MEMBERS = 100;
const CLICKS_EACH = 5;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe.each(engines)('500 clicks on one question ($name)', (engine) => {
  it('GIVEN 100 members clicking 5 times each within 100 ms THEN each is counted once and every total is exact', async () => {
    // PGlite has its own thread, and with prepared statements it works through a burst at ~1.2 ms a click
    // (~3 ms before), but in a CI run beside other test files on 2 cores the 500 clicks once took longer than
    // 3 s (343 late, before prepared statements). What this test checks, exactly-once counting, does not depend
    // on that; the embedded engine gets a 10 s window.
    world = await createWorld({ engine, ...(engine.name === 'pglite' ? { interactionTimeoutMs: 10_000 } : {}) });
    const { discord, guild, channel } = world;
    const players: MemberInfo[] = [...Object.values(world.members)];
    while (players.length < MEMBERS) players.push(discord.createMember(guild.id, { username: `crew-${players.length}` }));

    await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: players[0]!.id, command: 'trivia', subcommand: 'play', options: { questions: 3 } })).reply();
    const round = await nextChoiceRound(world);
    const buttons = buttonIds(round.message);

    // Members 0-59 click the same button five times (a double, triple... click); 60-99 change their mind between clicks.
    const buttonFor = (member: number, click: number) => (member < 60 ? member % buttons.length : (member + click) % buttons.length);
    const startedAt = performance.now();
    const pending: Promise<InteractionHandle>[] = [];
    for (let click = 0; click < CLICKS_EACH; click++) {
      players.forEach((m, i) => pending.push(discord.clickButton({ userId: m.id, messageId: round.message.id, customId: buttons[buttonFor(i, click)]!.customId })));
    }
    // About 100 ms on an idle machine; the bound leaves room for a loaded CI runner.
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    const handles = await Promise.all(pending);

    const failed = handles.filter((h) => h.error !== undefined);
    expect(failed.length, `${failed.length} of 500 clicks got "This interaction failed"`).toBe(0);
    const replies = await Promise.all(handles.map(async (h, n) => ({ userId: players[n % MEMBERS]!.id, reply: await h.reply({ timeoutMs: 60_000 }) })));
    const lockedIn = new Map<string, string>();
    for (const { userId, reply } of replies) {
      expect(reply.ephemeral).toBe(true);
      if (reply.content.includes('Locked in')) {
        expect(lockedIn.has(userId), `member ${userId} locked in twice`).toBe(false);
        lockedIn.set(userId, reply.content);
      } else {
        expect(reply.content).toContain('already answered');
      }
    }
    expect(lockedIn.size).toBe(MEMBERS);

    const right = shownAnswerText(round.message, round.question);
    const correctIds = [...lockedIn].filter(([, text]) => text.includes(`**${right}**`)).map(([id]) => id);
    expect(correctIds.length).toBeGreaterThan(0);
    expect(correctIds.length).toBeLessThan(MEMBERS);

    await timeUp(world);
    const { embed: reveal } = await waitForReveal(world, round.roundNo);
    const fields = Object.fromEntries((reveal.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['Answers']).toBe(`${correctIds.length} of ${MEMBERS} right`);

    // Everyone answered at the same instant (the clock stands still): the first-correct bonus goes to the right answer
    // that reached the database first, as the reveal lists them.
    const gotIt = fields['Got it right'] ?? '';
    const first = /<@(\d+)> \+\d+ \(first!\)/.exec(gotIt)?.[1] ?? '';
    expect(correctIds).toContain(first);
    const base = pointsForCorrectAnswer(round.question.difficulty, 0);
    const stats = async (userId: string) => {
      const reply = await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId, command: 'trivia', subcommand: 'stats' })).reply();
      return Object.fromEntries((reply.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
    };
    const sample = [first, ...correctIds.slice(0, 3), ...players.map((p) => p.id).filter((id) => !correctIds.includes(id)).slice(0, 3), players[99]!.id];
    for (const userId of new Set(sample)) {
      const mine = await stats(userId);
      const correct = correctIds.includes(userId);
      expect(mine['Answered'], `answered count of ${userId}`).toBe('1');
      expect(mine['Correct']).toBe(correct ? '1 (100%)' : '0 (0%)');
      expect(mine['Points']).toBe(String(correct ? base + (userId === first ? FIRST_CORRECT_BONUS : 0) : 0));
    }

    const board = await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: players[0]!.id, command: 'trivia', subcommand: 'leaderboard' })).reply();
    const lines = board.embeds[0]!.description!.split('\n').filter((l) => l.includes('<@'));
    expect(lines).toHaveLength(Math.min(10, correctIds.length));
    expect(lines[0]).toContain(`<@${first}>: ${base + FIRST_CORRECT_BONUS} points`);
    for (const line of lines.slice(1)) expect(line).toContain(`: ${base} points`);
    expect(board.pingsAnyone).toBe(false);
  }, 180_000);
});
