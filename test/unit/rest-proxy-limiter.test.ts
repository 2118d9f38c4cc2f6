import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlidingWindowLimiter } from '../../src/rest-proxy-limiter.js';

/** The most admissions in any window of `windowMs` (a window ending just before `windowMs` after one of them). */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('SlidingWindowLimiter (the REST proxy\'s global limit)', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('GIVEN 120 requests at once THEN 50 go now, and no window of 1.1 s ever holds more than 50', async () => {
    const limiter = new SlidingWindowLimiter(50, 1_100);
    const admitted: number[] = [];
    const all = Array.from({ length: 120 }, () => limiter.take().then(() => admitted.push(Date.now())));
    await vi.advanceTimersByTimeAsync(0);
    expect(admitted).toHaveLength(50);
    await vi.advanceTimersByTimeAsync(1_099);
    expect(admitted).toHaveLength(50);
    await vi.advanceTimersByTimeAsync(1);
    expect(admitted).toHaveLength(100);
    await vi.advanceTimersByTimeAsync(1_100);
    await Promise.all(all);
    expect(admitted).toHaveLength(120);
    expect(busiestWindow(admitted, 1_100)).toBe(50);
  });

  it('GIVEN requests spread over time (bursts at the end of one second and the start of the next) THEN never more than the limit in any window', async () => {
    const limiter = new SlidingWindowLimiter(50, 1_000);
    const admitted: number[] = [];
    const pending: Promise<unknown>[] = [];
    // 40 arrive at 900 ms, 40 more at 1,050 ms: whole-second windows would let all 80 through within 150 ms.
    await vi.advanceTimersByTimeAsync(900);
    for (let i = 0; i < 40; i++) pending.push(limiter.take().then(() => admitted.push(Date.now())));
    await vi.advanceTimersByTimeAsync(150);
    for (let i = 0; i < 40; i++) pending.push(limiter.take().then(() => admitted.push(Date.now())));
    await vi.advanceTimersByTimeAsync(3_000);
    await Promise.all(pending);
    expect(admitted).toHaveLength(80);
    expect(busiestWindow(admitted, 1_000)).toBe(50);
    expect(admitted.filter((t) => t < 1_900)).toHaveLength(50); // the other 30 wait for the first ones to age out
  });

  it('THEN callers are admitted in the order they asked', async () => {
    const limiter = new SlidingWindowLimiter(2, 100);
    const order: number[] = [];
    const all = [1, 2, 3, 4, 5].map((n) => limiter.take().then(() => order.push(n)));
    await vi.advanceTimersByTimeAsync(500);
    await Promise.all(all);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('GIVEN a limit below 1 THEN it refuses to be built', () => {
    expect(() => new SlidingWindowLimiter(0, 1_000)).toThrow(RangeError);
  });
});
