// Every way /trivia says no: the domain's problem codes and facts, worded in one place.
import { describe, expect, it } from 'vitest';
import { Refusal } from '../../src/errors.js';
import { explainRefusal } from '../../src/discord/refusals.js';
import { explainTriviaProblem } from '../../src/discord/trivia-render.js';
import type { TriviaProblem } from '../../src/trivia/problems.js';
import { triviaRefusal } from '../../src/trivia/problems.js';

const every: TriviaProblem[] = [
  { code: 'no-questions', filters: {}, guarded: false },
  { code: 'episode-not-reached', episode: '7x24', reached: null },
  { code: 'unknown-episode', text: 'Trials and Tribble-ations' },
  { code: 'game-running', guildId: '1', channelId: '2', messageId: null },
  { code: 'no-game-here' },
  { code: 'not-your-game', startedBy: '123456789012345678' },
  { code: 'not-a-choice' },
  { code: 'empty-answer' },
  { code: 'answer-too-long', length: 201, max: 200 },
  { code: 'unknown-time-zone', text: 'Mars/Olympus' },
  { code: 'bad-pack-name' },
  { code: 'not-a-pack-file', fileName: 'notes.txt' },
  { code: 'pack-too-large', kilobytes: 300, maxKilobytes: 256 },
  { code: 'pack-download-failed' },
  { code: 'no-such-pack', name: 'house' },
];

describe('explainTriviaProblem', () => {
  it.each(every.map((p) => [p.code, p] as const))('GIVEN %s THEN one plain sentence or two, with no placeholder left', (_code, problem) => {
    const text = explainRefusal(triviaRefusal(problem));
    expect(text).toBe(explainTriviaProblem(problem));
    expect(text.length).toBeGreaterThan(10);
    expect(text.length).toBeLessThan(300);
    expect(text).not.toMatch(/undefined|null|\[object/);
  });

  it('GIVEN filters and the guard THEN it names each filter to drop and how to turn the guard off', () => {
    expect(explainTriviaProblem({ code: 'no-questions', filters: { episode: '7x22', category: 'war', difficulty: 'hard' }, guarded: true })).toBe(
      'No questions match that. Try again without the episode 7x22 or category "The Dominion War" or difficulty "hard" filter. ' +
        'The spoiler guard hides questions past your rewatch; an admin can turn it off with `/trivia settings spoiler_guard:False`.',
    );
  });

  it('GIVEN a running game with its question on screen THEN a link to it', () => {
    expect(explainTriviaProblem({ code: 'game-running', guildId: '1', channelId: '2', messageId: '3' })).toBe(
      'A trivia game is already running in this channel: https://discord.com/channels/1/2/3 Answer along, or use `/trivia stop` to end it.',
    );
  });

  it('GIVEN a rewatch that has not started or is behind THEN it says how far it is', () => {
    expect(explainTriviaProblem({ code: 'episode-not-reached', episode: '7x24', reached: '7x22' })).toMatch(/^This server's rewatch has reached 7x22, so/);
    expect(explainTriviaProblem({ code: 'episode-not-reached', episode: '7x24', reached: null })).toMatch(/^This server's rewatch has not posted an episode yet, so/);
  });

  it('THEN a Refusal is an Error whose message names the feature and code (for logs), never the wording', () => {
    const refusal = triviaRefusal({ code: 'no-game-here' });
    expect(refusal).toBeInstanceOf(Refusal);
    expect(refusal.message).toBe('trivia refused: no-game-here');
  });
});
