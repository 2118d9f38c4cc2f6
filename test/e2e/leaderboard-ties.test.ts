// /trivia leaderboard when the top-10 cut-off falls inside a tie: the members who share the last place but do
// not fit are counted, on both boards, as a member reads it.
import { afterEach, describe, expect, it } from 'vitest';
import { TriviaRepository } from '../../src/db/repositories/trivia.js';
import { createWorld, type World } from './world.js';

let world: World;
afterEach(async () => {
  await world?.close();
});

/** Gives each of `points.length` members their points in one revealed round, straight through the repository. */
async function seedScores(points: number[]): Promise<string[]> {
  const repo = new TriviaRepository(world.database.db);
  const at = (s: number) => new Date(world.clock.now().getTime() + s * 1000);
  const created = await repo.createGame({ guildId: world.guild.id, channelId: world.channel.id, startedBy: world.members.sisko.id, questionIds: ['tie'], secondsPerQuestion: 20, category: null, difficulty: null, now: at(0) });
  const round = created!.rounds[0]!;
  await repo.openRound(round.id, at(0), at(20));
  const users = points.map((_, i) => String(400000000000000900n + BigInt(i)));
  for (const [i, userId] of users.entries()) {
    const p = points[i]!;
    await repo.recordAnswer({ roundId: round.id, gameId: created!.game.id, guildId: world.guild.id, userId, answer: 'x', correct: p > 0, scoring: { pointsFor: () => p }, now: at(1) });
  }
  return users;
}

async function board(period: 'week' | 'all'): Promise<string[]> {
  const handle = await world.discord.slashCommand({ guildId: world.guild.id, channelId: world.channel.id, userId: world.members.kira.id, command: 'trivia', subcommand: 'leaderboard', options: { period } });
  const reply = await handle.reply();
  expect(reply.pingsAnyone).toBe(false);
  return reply.embeds[0]!.description!.split('\n');
}

describe('/trivia leaderboard at a tied cut-off', () => {
  it('GIVEN twelve scorers with four tied for ninth THEN ten are listed and the line after them says 2 more share the last place, on both boards', async () => {
    world = await createWorld();
    const users = await seedScores([90, 80, 70, 60, 50, 40, 30, 20, 10, 10, 10, 10]);
    for (const period of ['all', 'week'] as const) {
      const lines = await board(period);
      const ranked = lines.filter((l) => l.includes('<@'));
      expect(ranked, period).toHaveLength(10);
      expect(ranked.slice(8).every((l) => l.startsWith('#9 ')), period).toBe(true);
      expect(lines, period).toContain('…and 2 more with 10 points');
      const listed = users.filter((u) => ranked.some((l) => l.includes(`<@${u}>`)));
      expect(listed, period).toEqual(users.slice(0, 10));
    }
  });

  it('GIVEN exactly ten scorers, or a cut-off between two scores THEN no "more" line', async () => {
    world = await createWorld();
    await seedScores([90, 80, 70, 60, 50, 40, 30, 20, 10, 10, 5]);
    const lines = await board('all');
    expect(lines.filter((l) => l.includes('<@'))).toHaveLength(10);
    expect(lines.some((l) => l.includes('more with'))).toBe(false);
  });
});
