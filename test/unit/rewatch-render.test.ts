import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import type { ScheduleRecord } from '../../src/db/repositories/rewatch.js';
import {
  missingBotPermissions,
  renderDelayed,
  renderPostedNow,
  renderSetup,
  renderSkip,
  renderStatus,
  renderUpcoming,
  slotText,
} from '../../src/discord/rewatch-render.js';
import type { StatusView } from '../../src/rewatch/index.js';

const plan = loadContent().defaultPlan;
const NEXT = new Date('2026-03-05T18:30:00Z');
const schedule: ScheduleRecord = {
  id: 1,
  guildId: 'g',
  channelId: '600000000000000001',
  channelKind: 'text',
  planId: plan.id,
  weekday: 4,
  hour: 19,
  minute: 5,
  timeZone: 'Europe/Berlin',
  nextIndex: 2,
  startIndex: 0,
  nextRunAt: NEXT,
  status: 'active',
  pauseReason: null,
  lastError: null,
  lastThreadId: '700000000000000002',
  leaseUntil: null,
  generation: 1,
  createdBy: 'mod',
  updatedAt: NEXT,
};

const view = (over: Partial<StatusView> = {}, s: Partial<ScheduleRecord> = {}): StatusView => ({
  schedule: { ...schedule, ...s },
  plan,
  total: 6,
  postedCount: 2,
  nextEpisode: plan.episodes[2]!,
  nextRunAt: NEXT,
  lastThread: { threadId: '700000000000000002' },
  skippedCodes: [],
  lateCodes: [],
  retryingAt: null,
  clockChanges: [],
  ...over,
});

describe('rewatch replies', () => {
  it('GIVEN coming threads where the clocks change THEN setup and status say when each really opens', () => {
    const slot = { weekday: 0 as const, hour: 2, minute: 30, timeZone: 'Europe/Berlin' };
    const gap = { episodeCode: '7x22', at: new Date('2027-03-28T01:00:00Z'), change: 'gap' as const, slot };
    const overlap = { episodeCode: '7x24', at: new Date('2026-10-25T00:30:00Z'), change: 'overlap' as const, slot };
    const text = renderStatus(view({ clockChanges: [gap, overlap] }));
    expect(text).toContain(
      "Note: the clocks change in Europe/Berlin on the day of 7x22's thread (<t:1806195600:D>): 02:30 does not exist that night (the clocks go forward), so it opens at <t:1806195600:t>, the first time after the change.",
    );
    expect(text).toContain("on the day of 7x24's thread (<t:1792888200:D>): 02:30 happens twice that night (the clocks go back), so it opens at the first of the two.");
    expect(renderSetup({ schedule, plan, firstEpisode: plan.episodes[0]!, firstIndex: 0, nextRunAt: NEXT, replaced: false, clockChanges: [gap] })).toContain('02:30 does not exist');
    expect(renderStatus(view())).not.toContain('clocks');
  });

  it('GIVEN a setup THEN the reply names channel, slot, first episode and the time as Discord timestamps', () => {
    const text = renderSetup({ schedule, plan, firstEpisode: plan.episodes[0]!, firstIndex: 0, nextRunAt: NEXT, replaced: false, clockChanges: [] });
    expect(text).toContain('<#600000000000000001>');
    expect(text).toContain('every Thursday at 19:05 Europe/Berlin');
    expect(text).toContain('<t:1772735400:F>');
    expect(text).toContain('<t:1772735400:R>');
    expect(text).toContain('The Changing Face of Evil');
  });

  it('GIVEN an active schedule THEN status shows progress, next episode and time, and the last thread', () => {
    const text = renderStatus(view());
    expect(text).toContain('2 threads posted; next up is episode 3 of 6');
    expect(text).toContain(`${plan.episodes[2]!.title}** (7x22) on <t:1772735400:F>`);
    expect(text).toContain('Last thread: <#700000000000000002>.');
    expect(text).not.toMatch(/Paused|problem/);
  });

  it('GIVEN a paused schedule after a catch-up THEN status shows the reason, late and skipped episodes and the problem', () => {
    const text = renderStatus(
      view({ nextRunAt: null, skippedCodes: ['7x21'], lateCodes: ['7x22'] }, { status: 'paused', pauseReason: 'the rewatch channel no longer exists.', lastError: 'earlier trouble' }),
    );
    expect(text).toContain('**Paused:** the rewatch channel no longer exists.');
    expect(text).toContain('once the schedule is resumed');
    expect(text).toContain('Opened late: 7x22.');
    expect(text).toContain('Skipped (no thread): 7x21.');
    expect(text).toContain('Last problem: earlier trouble');
  });

  it('GIVEN a retry in progress THEN status says when', () => {
    expect(renderStatus(view({ retryingAt: NEXT }))).toContain('Retrying the post <t:1772735400:R>');
  });

  it('GIVEN the other answers THEN they carry the facts the member needs', () => {
    expect(missingBotPermissions('1', ['Create Public Threads'])).toContain("missing Create Public Threads there. Grant it");
    expect(renderSkip({ skipped: plan.episodes[5]!, next: null, nextRunAt: null })).toMatch(/finished/);
    expect(renderDelayed({ ...schedule, nextRunAt: NEXT }, 2)).toContain('Delayed by 2 weeks');
    expect(
      renderPostedNow({ kind: 'posted', scheduleId: 1, guildId: 'g', episode: plan.episodes[0]!, episodeIndex: 0, total: 6, threadId: '9', late: false, skipped: [], finished: false, nextRunAt: NEXT, reconciled: false }),
    ).toContain('<#9>');
    const upcoming = renderUpcoming({ schedule, plan, episodes: plan.episodes.slice(2).map((episode, i) => ({ index: i + 2, episode, at: NEXT })) });
    expect(upcoming.split('\n')).toHaveLength(5);
    expect(slotText({ weekday: 0, hour: 8, minute: 0, timeZone: 'UTC' })).toBe('every Sunday at 08:00 UTC');
  });
});
