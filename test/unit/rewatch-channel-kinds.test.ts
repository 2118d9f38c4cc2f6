// The pure pieces behind rewatch posts in text, announcement and forum channels: the nonce each message carries,
// where notices and the closing message go, and the forum tag a plan's posts get.
import { describe, expect, it } from 'vitest';
import { forumTagName, threadAuditReason } from '../../src/discord/rewatch-render.js';
import { MAX_NONCE_LENGTH } from '../../src/discord/nonce.js';
import { closingMessageTarget, noticeTarget, rewatchNonce, type RewatchMessagePurpose } from '../../src/rewatch/index.js';

const MAX_INT = 2 ** 31 - 1;
const PURPOSES: RewatchMessagePurpose[] = ['starter', 'next-thread', 'closing', 'paused'];

describe('rewatchNonce', () => {
  it('GIVEN the same message THEN the same nonce; any other schedule, run, episode or purpose THEN another', () => {
    const base = { scheduleId: 12, generation: 3, episodeIndex: 4, purpose: 'starter' as const };
    expect(rewatchNonce(base)).toBe(rewatchNonce({ ...base }));
    const others = [
      { ...base, scheduleId: 13 },
      { ...base, generation: 4 },
      { ...base, episodeIndex: 5 },
      ...PURPOSES.filter((p) => p !== 'starter').map((purpose) => ({ ...base, purpose })),
    ].map(rewatchNonce);
    expect(new Set([rewatchNonce(base), ...others]).size).toBe(others.length + 1);
  });

  it('GIVEN two pause notices for the same episode THEN their reasons tell them apart, and a repeat of one matches', () => {
    const pause = (detail: string) => rewatchNonce({ scheduleId: 1, generation: 1, episodeIndex: 0, purpose: 'paused', detail });
    expect(pause('the channel no longer exists.')).not.toBe(pause('the bot lacks a permission.'));
    expect(pause('the channel no longer exists.')).toBe(pause('the channel no longer exists.'));
  });

  it('GIVEN the largest ids Postgres hands out THEN every nonce stays within Discord\'s 25 characters', () => {
    for (const purpose of PURPOSES) {
      const nonce = rewatchNonce({ scheduleId: MAX_INT, generation: MAX_INT, episodeIndex: 36 * 36 - 1, purpose, detail: 'x'.repeat(500) });
      expect(nonce.length, nonce).toBeLessThanOrEqual(MAX_NONCE_LENGTH);
    }
    // Short ids make short nonces: "r1.1.0s".
    expect(rewatchNonce({ scheduleId: 1, generation: 1, episodeIndex: 0, purpose: 'starter' })).toBe('r1.1.0s');
  });
});

describe('where the rewatch posts its own messages', () => {
  it.each([
    ['text', '1', '1'],
    ['announcement', '1', '1'],
    ['forum', '9', '7'],
  ] as const)('GIVEN a %s channel THEN the closing message goes to %s and a pause notice to %s', (kind, closingAt, noticeAt) => {
    const schedule = { channelKind: kind, channelId: '1', lastThreadId: '7' };
    expect(closingMessageTarget(schedule, '9')).toBe(closingAt);
    expect(noticeTarget(schedule)).toBe(noticeAt);
  });

  it('GIVEN a forum with no post yet THEN a pause notice has no place there (the system channel is left)', () => {
    expect(noticeTarget({ channelKind: 'forum', channelId: '1', lastThreadId: null })).toBeNull();
  });
});

describe('forumTagName', () => {
  it.each([
    ['Bookends', 'Bookends'],
    ['The Final Chapter, last six', 'The Final Chapter'],
    ['The Final Chapter, all nine', 'The Final Chapter'],
    ['Dominion War arc (season six)', 'Dominion War arc'],
    ['Emissary to What You Leave Behind', 'Emissary to What Yo…'],
    ['  Exactly twenty chars  ', 'Exactly twenty chars'],
  ])('GIVEN the plan "%s" THEN the tag is "%s", within 20 characters', (plan, tag) => {
    expect(forumTagName(plan)).toBe(tag);
    expect(forumTagName(plan).length).toBeLessThanOrEqual(20);
  });

  it('GIVEN an episode THEN the audit log reason names the rewatch and the episode', () => {
    expect(threadAuditReason({ code: '7x20', title: 'The Changing Face of Evil' })).toBe('DS9 rewatch: episode 7x20 (The Changing Face of Evil)');
  });
});
