import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acrossServersSentence, BAR_WIDTH, believersSentence, splitBar, voteBar } from '../../src/discord/myth-render.js';
import { percent } from '../../src/myth/tally.js';

describe('splitBar', () => {
  it('GIVEN 7 of 10 THEN seven full cells and three empty', () => {
    expect(splitBar(7, 10)).toBe('███████░░░');
  });

  it('GIVEN nobody voted THEN an empty bar', () => {
    expect(splitBar(0, 0)).toBe('░'.repeat(BAR_WIDTH));
  });

  it('GIVEN 1 of 30 THEN one cell shows; GIVEN 29 of 30 THEN one cell stays empty', () => {
    expect(splitBar(1, 30)).toBe('█░░░░░░░░░');
    expect(splitBar(29, 30)).toBe('█████████░');
    expect(splitBar(30, 30)).toBe('██████████');
    expect(splitBar(0, 30)).toBe('░░░░░░░░░░');
  });

  it('GIVEN any split THEN the bar is always the full width, monotone in the share', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), (a, b) => {
        const total = a + b;
        const bar = splitBar(a, total);
        expect(Array.from(bar)).toHaveLength(BAR_WIDTH);
        const full = bar.split('█').length - 1;
        if (total > 0) expect(full).toBeGreaterThanOrEqual(Array.from(splitBar(Math.max(a - 1, 0), total)).filter((c) => c === '█').length);
        expect(full === 0).toBe(a === 0);
        expect(full === BAR_WIDTH).toBe(total > 0 && a === total);
      }),
    );
  });
});

describe('percent', () => {
  it('GIVEN no votes THEN null', () => expect(percent(0, 0)).toBeNull());
  it('GIVEN 16 of 25 THEN 64', () => expect(percent(16, 25)).toBe(64));
  it('GIVEN 999 of 1000 THEN 99, never a rounded-up 100', () => expect(percent(999, 1000)).toBe(99));
  it('GIVEN 1 of 1000 THEN 1, never a rounded-down 0', () => expect(percent(1, 1000)).toBe(1));
});

describe('vote sentences', () => {
  it('GIVEN 7 Fact and 3 Myth votes THEN "7 of 10" plus the believers phrase', () => {
    expect(believersSentence({ fact: 7, myth: 3 }, 'thought Sisko died')).toBe('7 of 10 thought Sisko died');
  });

  it('GIVEN no votes THEN no sentence', () => {
    expect(believersSentence({ fact: 0, myth: 0 }, 'thought Sisko died')).toBeNull();
  });

  it('GIVEN a split THEN the bar line names both sides with their counts', () => {
    expect(voteBar({ fact: 7, myth: 3 })).toBe('Fact 7 ███████░░░ 3 Myth');
  });

  it('GIVEN running totals THEN the cross-server share; none before any vote', () => {
    expect(acrossServersSentence({ rightVotes: 16, wrongVotes: 9 })).toBe('Across all servers, 64% got this right (25 votes)');
    expect(acrossServersSentence({ rightVotes: 1, wrongVotes: 0 })).toBe('Across all servers, 100% got this right (1 vote)');
    expect(acrossServersSentence({ rightVotes: 0, wrongVotes: 0 })).toBeNull();
  });
});
