import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LIMITS, loadContent } from '../../src/content/index.js';
import {
  MESSAGE_LIMIT,
  SPOILER_RULE,
  THREAD_NAME_LIMIT,
  closingMessage,
  formatAirDate,
  nextThreadNotice,
  starterMessage,
  threadName,
} from '../../src/discord/rewatch-render.js';

const content = loadContent();
const plan = content.defaultPlan;

describe('threadName', () => {
  it('GIVEN the first episode of the default plan THEN the name carries position, title and code', () => {
    expect(threadName(plan.episodes[0]!, 0, plan.episodes.length)).toBe('Rewatch 1/6: The Changing Face of Evil (7x20)');
  });

  it('PROPERTY: names never exceed 100 characters and always keep the position and the code', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: 98 }), (title, index) => {
        const name = threadName({ code: '7x25', title }, index, 99);
        expect(name.length).toBeLessThanOrEqual(THREAD_NAME_LIMIT);
        expect(name.startsWith(`Rewatch ${index + 1}/99: `)).toBe(true);
        expect(name.endsWith(' (7x25)')).toBe(true);
      }),
    );
  });

  it('GIVEN the same episode twice THEN the name is the same (reconciliation looks threads up by it)', () => {
    const ep = plan.episodes[3]!;
    expect(threadName(ep, 3, 6)).toBe(threadName({ ...ep }, 3, 6));
  });
});

describe('starterMessage', () => {
  const base = { episode: plan.episodes[1]!, index: 1, total: 6, planName: plan.name, previousThreadId: null, lateSince: null, skipped: [] };

  it('GIVEN an episode THEN the starter has its title, air date, every prompt and the spoiler rule', () => {
    const text = starterMessage(base);
    expect(text).toContain(plan.episodes[1]!.title);
    expect(text).toContain(`Originally aired ${formatAirDate(plan.episodes[1]!.airDate)}`);
    for (const prompt of plan.episodes[1]!.prompts) expect(text).toContain(prompt);
    expect(text).toContain(SPOILER_RULE);
    expect(text).not.toContain('<#');
    expect(text).not.toMatch(/opens late/);
  });

  it('GIVEN a previous thread, a late post and skipped episodes THEN all three are stated', () => {
    const text = starterMessage({
      ...base,
      previousThreadId: '123456789012345678',
      lateSince: new Date('2026-03-05T18:30:00Z'),
      skipped: [plan.episodes[0]!],
    });
    expect(text).toContain('<#123456789012345678>');
    expect(text).toContain('<t:1772735400:F>');
    expect(text).toContain(`${plan.episodes[0]!.title} (${plan.episodes[0]!.code})`);
  });

  it('GIVEN every episode of every plan THEN the starter fits in one Discord message', () => {
    for (const p of content.plans) {
      p.episodes.forEach((episode, index) => {
        expect(starterMessage({ ...base, episode, index, total: p.episodes.length, planName: p.name, previousThreadId: '1'.repeat(19) }).length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      });
    }
  });

  it('PROPERTY: even content at its length limits fits in 2000 characters', () => {
    const prompt = fc.string({ minLength: 1, maxLength: LIMITS.episodePrompt });
    fc.assert(
      fc.property(
        fc.array(prompt, { minLength: 3, maxLength: 5 }),
        fc.string({ minLength: 1, maxLength: LIMITS.episodeTitle }),
        fc.string({ minLength: 1, maxLength: LIMITS.planName }),
        fc.boolean(),
        (prompts, title, planName, late) => {
          const text = starterMessage({
            ...base,
            episode: { ...base.episode, title, prompts },
            planName,
            previousThreadId: '9'.repeat(19),
            lateSince: late ? new Date(0) : null,
            skipped: late ? plan.episodes.slice(0, 4) : [],
          });
          expect(text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
          expect(text).toContain(SPOILER_RULE.slice(0, 40));
        },
      ),
    );
  });
});

describe('other messages', () => {
  it('GIVEN an air date THEN it reads as a calendar date without time zone drift', () => {
    expect(formatAirDate('1999-06-02')).toBe('June 2, 1999');
    expect(formatAirDate('1993-01-03')).toBe('January 3, 1993');
  });

  it('GIVEN the next thread THEN the notice links it; the closing message links the last one', () => {
    expect(nextThreadNotice('111111111111111111', plan.episodes[2]!)).toContain('<#111111111111111111>');
    const closing = closingMessage(plan.name, 6, '222222222222222222');
    expect(closing).toContain('<#222222222222222222>');
    expect(closing).toContain('all 6 threads');
  });
});
