import { describe, expect, it } from 'vitest';
import { isValidTimeZone } from '../../src/time/schedule-time.js';
import { COMMON_TIME_ZONES, suggestTimeZones } from '../../src/time/time-zones.js';

describe('suggestTimeZones', () => {
  it('GIVEN nothing typed THEN the common zones come first, at most 25', () => {
    const out = suggestTimeZones('');
    expect(out).toHaveLength(25);
    expect(out.slice(0, 3)).toEqual(COMMON_TIME_ZONES.slice(0, 3));
  });

  it('GIVEN part of a city in any case or with a space THEN matching zones are offered', () => {
    expect(suggestTimeZones('berl')).toContain('Europe/Berlin');
    expect(suggestTimeZones('new york')[0]).toBe('America/New_York');
    expect(suggestTimeZones('SYDNEY')).toContain('Australia/Sydney');
  });

  it('GIVEN a valid name in odd spelling or an alias THEN its canonical form comes first', () => {
    expect(suggestTimeZones('europe/berlin')[0]).toBe('Europe/Berlin');
    expect(suggestTimeZones('US/Eastern')[0]).toBe('America/New_York');
  });

  it('GIVEN any query THEN every suggestion is a zone setup accepts', () => {
    for (const q of ['', 'a', 'america', 'pacific', 'utc', 'zzz']) {
      for (const zone of suggestTimeZones(q)) expect(isValidTimeZone(zone), zone).toBe(true);
    }
    expect(suggestTimeZones('zzz')).toEqual([]);
    for (const zone of COMMON_TIME_ZONES) expect(isValidTimeZone(zone), zone).toBe(true);
  });
});
