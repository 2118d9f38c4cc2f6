import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LATE_AFTER_MS,
  MAX_RETRY_DELAY_MS,
  MIN_RETRY_DELAY_MS,
  countMissedRuns,
  decideScheduledRun,
  nextRunAfterPost,
  retryAt,
  retryDelayMs,
} from '../../src/rewatch/run-decision.js';
import { nextWeeklyRun, type Weekday, type WeeklySlot } from '../../src/time/schedule-time.js';

const MINUTE = 60_000;
const WEEK = 7 * 24 * 60 * MINUTE;
const berlin: WeeklySlot = { weekday: 4, hour: 19, minute: 30, timeZone: 'Europe/Berlin' };
const FIRST = new Date('2026-03-05T18:30:00Z'); // a Thursday 19:30 in Berlin

describe('decideScheduledRun', () => {
  it('GIVEN a tick within minutes of the slot THEN it posts the next episode on time', () => {
    const d = decideScheduledRun({ slot: berlin, nextRunAt: FIRST, nextIndex: 2, planLength: 6, now: new Date(FIRST.getTime() + 40_000) });
    expect(d).toEqual({ episodeIndex: 2, dueAt: FIRST, missedRuns: 0, skipped: [], late: false });
  });

  it('GIVEN the slot passed hours ago but no later slot THEN the same episode posts, marked late', () => {
    const d = decideScheduledRun({ slot: berlin, nextRunAt: FIRST, nextIndex: 0, planLength: 6, now: new Date(FIRST.getTime() + 5 * 60 * MINUTE) });
    expect(d).toMatchObject({ episodeIndex: 0, missedRuns: 0, skipped: [], late: true });
  });

  it('GIVEN two more slots passed (one across the switch to summer time) THEN the third episode posts late and two are skipped', () => {
    const now = new Date('2026-03-19T20:00:00Z');
    const d = decideScheduledRun({ slot: berlin, nextRunAt: FIRST, nextIndex: 1, planLength: 6, now });
    expect(d).toEqual({ episodeIndex: 3, dueAt: new Date('2026-03-19T18:30:00Z'), missedRuns: 2, skipped: [1, 2], late: true });
    const summer = decideScheduledRun({ slot: berlin, nextRunAt: FIRST, nextIndex: 0, planLength: 9, now: new Date('2026-04-02T17:31:00Z') });
    expect(summer).toMatchObject({ episodeIndex: 4, dueAt: new Date('2026-04-02T17:30:00Z'), late: false });
  });

  it('GIVEN downtime past the end of the plan THEN the last episode is the one posted', () => {
    const d = decideScheduledRun({ slot: berlin, nextRunAt: FIRST, nextIndex: 4, planLength: 6, now: new Date(FIRST.getTime() + 30 * WEEK) });
    expect(d.episodeIndex).toBe(5);
    expect(d.skipped).toEqual([4]);
    expect(d.missedRuns).toBe(30);
  });

  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Pacific/Auckland', 'Asia/Kolkata', 'UTC', 'America/St_Johns'];
  const slotArb: fc.Arbitrary<WeeklySlot> = fc.record({
    weekday: fc.integer({ min: 0, max: 6 }).map((n) => n as Weekday),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    timeZone: fc.constantFrom(...zones),
  });
  const scenarioArb = fc.record({
    slot: slotArb,
    from: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
    downtime: fc.integer({ min: 0, max: 12 * WEEK }),
    planLength: fc.integer({ min: 1, max: 12 }),
    nextIndexSeed: fc.nat(),
  });

  it('PROPERTY: exactly one episode in the plan, the skipped ones are exactly those before it, and missed slots match a week-by-week count', () => {
    fc.assert(
      fc.property(scenarioArb, ({ slot, from, downtime, planLength, nextIndexSeed }) => {
        const nextRunAt = nextWeeklyRun(slot, from);
        const now = new Date(nextRunAt.getTime() + downtime);
        const nextIndex = nextIndexSeed % planLength;
        const d = decideScheduledRun({ slot, nextRunAt, nextIndex, planLength, now });
        let slowCount = 0;
        for (let run = nextWeeklyRun(slot, nextRunAt); run <= now; run = nextWeeklyRun(slot, run)) slowCount++;
        expect(d.missedRuns).toBe(slowCount);
        expect(d.episodeIndex).toBe(Math.min(nextIndex + slowCount, planLength - 1));
        expect(d.skipped).toEqual(Array.from({ length: d.episodeIndex - nextIndex }, (_, i) => nextIndex + i));
        expect(d.dueAt.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(d.late).toBe(now.getTime() - d.dueAt.getTime() > LATE_AFTER_MS);
        // The episode's slot is the latest one passed (unless the plan ran out first).
        if (d.episodeIndex === nextIndex + slowCount) expect(nextWeeklyRun(slot, d.dueAt).getTime()).toBeGreaterThan(now.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN nextIndex outside the plan THEN it refuses rather than guess', () => {
    expect(() => decideScheduledRun({ slot: berlin, nextRunAt: FIRST, nextIndex: 6, planLength: 6, now: FIRST })).toThrow(RangeError);
  });

  it('GIVEN a run that is not on the slot (a changed schedule) THEN a slot passed after it still counts as missed', () => {
    const wednesday = new Date('2026-03-04T18:30:00Z');
    expect(countMissedRuns(berlin, wednesday, new Date('2026-03-05T18:29:00Z'))).toBe(0);
    expect(countMissedRuns(berlin, wednesday, new Date('2026-03-05T18:31:00Z'))).toBe(1);
  });
});

describe('nextRunAfterPost', () => {
  it('GIVEN a scheduled post THEN the next slot follows; a post on request keeps at least half a week of room', () => {
    const justAfter = new Date(FIRST.getTime() + MINUTE);
    expect(nextRunAfterPost(berlin, justAfter)).toEqual(new Date(FIRST.getTime() + WEEK));
    expect(nextRunAfterPost(berlin, justAfter, true)).toEqual(new Date(FIRST.getTime() + WEEK));
    const sundayBefore = new Date('2026-03-01T10:00:00Z');
    expect(nextRunAfterPost(berlin, sundayBefore, true)).toEqual(FIRST);
    const dayBefore = new Date('2026-03-04T12:00:00Z');
    expect(nextRunAfterPost(berlin, dayBefore, true)).toEqual(new Date(FIRST.getTime() + WEEK));
    expect(nextRunAfterPost(berlin, dayBefore)).toEqual(FIRST);
  });
});

describe('retry backoff', () => {
  it('GIVEN repeated failures at each allowed retry THEN the waits double from 1 minute up to 30', () => {
    const due = FIRST;
    let attempt = due;
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const next = retryAt(due, attempt);
      waits.push((next.getTime() - attempt.getTime()) / MINUTE);
      attempt = next;
    }
    expect(waits).toEqual([1, 1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('PROPERTY: the delay is always between the bounds and never shrinks as the post gets more overdue', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * WEEK }), fc.integer({ min: 0, max: 10 * WEEK }), (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const d1 = retryDelayMs(FIRST, new Date(FIRST.getTime() + early));
        const d2 = retryDelayMs(FIRST, new Date(FIRST.getTime() + late));
        expect(d1).toBeGreaterThanOrEqual(MIN_RETRY_DELAY_MS);
        expect(d2).toBeLessThanOrEqual(MAX_RETRY_DELAY_MS);
        expect(d2).toBeGreaterThanOrEqual(d1);
      }),
    );
  });
});
