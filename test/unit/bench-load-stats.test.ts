import { describe, expect, it } from 'vitest';
import { brokenBecause, mergeRuns, type LoadRun } from '../../bench/click-load.js';
import { clicksDue, loadFigures, memberWaitMs, ratioPerRound, rotation, scheduledTimes, spread, UNANSWERED_MS, type Click } from '../../bench/load-stats.js';
import { parseStatus } from '../../bench/proc-memory.js';

const click = (scheduledAt: number, sentAt: number, answeredAt: number | null): Click => ({ scheduledAt, sentAt, answeredAt });

describe('memberWaitMs: timed from the scheduled send, not the actual one (no coordinated omission)', () => {
  it('GIVEN a click sent on time THEN its wait is answer - schedule', () => {
    expect(memberWaitMs(click(100, 100, 104))).toBe(4);
  });

  it('GIVEN a click the generator sent 50 ms late THEN the 50 ms are in its wait', () => {
    expect(memberWaitMs(click(100, 150, 154))).toBe(54);
  });

  it('GIVEN an unanswered click THEN it waited the 3,000 ms window after it was sent', () => {
    expect(memberWaitMs(click(100, 100, null))).toBe(UNANSWERED_MS);
    expect(memberWaitMs(click(100, 120, null))).toBe(UNANSWERED_MS + 20);
  });
});

describe('loadFigures', () => {
  it('GIVEN 100 clicks at 100/s, one unanswered THEN the unanswered click is the p99 sample, as 3,000 ms, and counted', () => {
    const clicks = scheduledTimes(0, 100, 1000).map((at, i) => click(at, at, i === 37 ? null : at + 2));
    const f = loadFigures(clicks, 100, 0, 1000);
    expect(f.sent).toBe(100);
    expect(f.answered).toBe(99);
    expect(f.unanswered).toBe(1);
    expect(f.waitMs.p50).toBe(2);
    expect(f.waitMs.p99).toBe(2);
    expect(f.waitMs.max).toBe(3000);
    // with two unanswered of 100, the p99 is one of them
    const two = scheduledTimes(0, 100, 1000).map((at, i) => click(at, at, i === 37 || i === 80 ? null : at + 2));
    expect(loadFigures(two, 100, 0, 1000).waitMs.p99).toBe(3000);
  });

  it('GIVEN a generator on time THEN the achieved rate is the asked rate and it did not fall behind', () => {
    const clicks = scheduledTimes(0, 200, 5000).map((at) => click(at, at + 0.5, at + 3));
    const f = loadFigures(clicks, 200, 0, 5000);
    expect(f.achievedRate).toBe(200);
    expect(f.fellBehind).toBe(false);
    expect(f.sendLagMs.max).toBe(0.5);
  });

  it('GIVEN a generator that sent its last clicks 400 ms late over 5 s THEN it says it fell behind (92% of the rate), and the lag is in the waits', () => {
    const times = scheduledTimes(0, 200, 5000);
    const clicks = times.map((at) => click(at, Math.max(at, at * 1.08), at * 1.08 + 1));
    const f = loadFigures(clicks, 200, 0, 5000);
    expect(f.achievedRate).toBeCloseTo(1000 / 5.4, 0);
    expect(f.fellBehind).toBe(true);
    expect(f.waitMs.max).toBeGreaterThan(390);
  });

  it('GIVEN a generator 4% short THEN it is within the 5% allowed', () => {
    const clicks = scheduledTimes(0, 100, 10_000).map((at) => click(at, at * 1.04, at * 1.04 + 1));
    expect(loadFigures(clicks, 100, 0, 10_000).fellBehind).toBe(false);
  });
});

describe('the schedule', () => {
  it('GIVEN 200/s for 1 s THEN 200 clicks 5 ms apart, from the start', () => {
    const t = scheduledTimes(1000, 200, 1000);
    expect(t.length).toBe(200);
    expect([t[0], t[1], t[199]]).toEqual([1000, 1005, 1995]);
  });

  it('GIVEN the elapsed time THEN the clicks due are those scheduled at or before it, never more than planned', () => {
    expect(clicksDue(-1, 200, 1000)).toBe(0);
    expect(clicksDue(0, 200, 1000)).toBe(1);
    expect(clicksDue(4.9, 200, 1000)).toBe(1);
    expect(clicksDue(5, 200, 1000)).toBe(2);
    expect(clicksDue(995, 200, 1000)).toBe(200);
    expect(clicksDue(5000, 200, 1000)).toBe(200);
  });
});

describe('slices: ratios per round and their spread', () => {
  it('GIVEN rounds of both bots THEN each round gives its own percentile ratio; a round without samples is skipped', () => {
    const ours = [[1, 2, 10], [2, 2, 6], [], [3, 3, 3]];
    const floor = [[1, 1, 5], [1, 1, 3], [1], [2, 2, 2]];
    expect(ratioPerRound(ours, floor, 99)).toEqual([2, 2, 1.5]);
    expect(ratioPerRound(ours, floor, 50)).toEqual([2, 2, 1.5]);
  });

  it('GIVEN ratios THEN min, median and max; NaN when there are none', () => {
    expect(spread([1.5, 0.9, 3.2, 1.1])).toEqual({ count: 4, min: 0.9, median: 1.1, max: 3.2 });
    expect(spread([2])).toEqual({ count: 1, min: 2, median: 2, max: 2 });
    expect(Number.isNaN(spread([]).median)).toBe(true);
  });

  it('GIVEN three bots THEN each takes each place in turn', () => {
    expect([0, 1, 2, 3].map((r) => rotation(['ours', 'durable', 'pong'], r).join(' '))).toEqual([
      'ours durable pong',
      'durable pong ours',
      'pong ours durable',
      'ours durable pong',
    ]);
  });
});

describe('mergeRuns: slices pooled into one figure', () => {
  const run = (startedAt: number, clicks: Click[], extra: Partial<LoadRun> = {}): LoadRun => ({
    targetRate: 100,
    startedAt,
    durationMs: 1000,
    clicks,
    unexpected: 0,
    unexpectedReplies: [],
    clickFailures: 0,
    deferred: 0,
    standIn: clicks.flatMap((c) => (c.answeredAt === null ? [] : [1])),
    ...extra,
  });

  it('GIVEN two slices at different times THEN the rate is per slice time, not the gap between them, and unanswered clicks count as 3,000 ms', () => {
    const a = run(0, scheduledTimes(0, 100, 1000).map((at) => click(at, at, at + 2)));
    const b = run(60_000, scheduledTimes(60_000, 100, 1000).map((at, i) => click(at, at, i < 3 ? null : at + 4)), { clickFailures: 1, deferred: 3 });
    const merged = mergeRuns([a, b]);
    expect(merged.sent).toBe(200);
    expect(merged.achievedRate).toBe(100);
    expect(merged.fellBehind).toBe(false);
    expect(merged.unanswered).toBe(3);
    expect(merged.clickFailures).toBe(1);
    expect(merged.deferred).toBe(3);
    expect(merged.waitMs.p50).toBe(2);
    expect(merged.waitMs.p99).toBe(3000); // the 198th of 200: the three unanswered are the top three
    expect(merged.waitMs.p95).toBe(4);
    expect(merged.serviceMs.count).toBe(197);
    expect(merged.seconds).toBe(2);
  });

  it('GIVEN a step with unanswered clicks, a p99 over 1 s or a generator behind THEN the step-up stops there, saying why', () => {
    const onTime = mergeRuns([run(0, scheduledTimes(0, 100, 1000).map((at) => click(at, at, at + 2)))]);
    expect(brokenBecause(onTime)).toBeNull();
    const unanswered = mergeRuns([run(0, scheduledTimes(0, 100, 1000).map((at, i) => click(at, at, i === 5 ? null : at + 2)))]);
    expect(brokenBecause(unanswered)).toMatch(/1 of 100 clicks unanswered/);
    const slow = mergeRuns([run(0, scheduledTimes(0, 100, 1000).map((at) => click(at, at, at + 1200)))]);
    expect(brokenBecause(slow)).toMatch(/p99 1200 ms > 1 s/);
    const behind = mergeRuns([run(0, scheduledTimes(0, 100, 1000).map((at) => click(at, at * 1.5, at * 1.5 + 1)))]);
    expect(brokenBecause(behind)).toMatch(/load generator reached only/);
  });
});

describe('parseStatus (/proc/<pid>/status)', () => {
  it('GIVEN VmRSS and VmHWM THEN both in MB; the peak is the high-water mark', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  153600 kB\nThreads:\t11\n';
    expect(parseStatus(status)).toEqual({ rssMb: 150, peakRssMb: 200 });
  });

  it('GIVEN a status without them (a kernel thread, another system) THEN undefined', () => {
    expect(parseStatus('Name:\tkthreadd\nThreads:\t1\n')).toBeUndefined();
  });
});
