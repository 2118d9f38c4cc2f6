import { describe, expect, it } from 'vitest';
import { percentileOfSorted, ratio, summarize } from '../../bench/stats.js';

describe('bench percentiles', () => {
  it('GIVEN 1..100 THEN p50 is 50, p95 is 95, p99 is 99 (nearest rank)', () => {
    const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect([s.p50, s.p95, s.p99, s.max, s.count]).toEqual([50, 95, 99, 100, 100]);
    expect(s.mean).toBe(50.5);
  });

  it('GIVEN few samples THEN high percentiles are the largest sample, p0 the smallest', () => {
    expect(percentileOfSorted([3, 7, 9], 99)).toBe(9);
    expect(percentileOfSorted([3, 7, 9], 50)).toBe(7);
    expect(percentileOfSorted([3, 7, 9], 0)).toBe(3);
  });

  it('GIVEN no samples THEN every figure is NaN', () => {
    expect(Number.isNaN(summarize([]).p50)).toBe(true);
  });

  it('GIVEN a zero baseline THEN the ratio is undefined, otherwise rounded to 2 decimals', () => {
    expect(ratio(5, 0)).toBeUndefined();
    expect(ratio(2, 3)).toBe(0.67);
  });
});
