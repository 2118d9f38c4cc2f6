import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  WEEKDAY_NAMES,
  addWeeks,
  canonicalTimeZone,
  clockChangeAt,
  isValidTimeZone,
  localParts,
  nextWeeklyRun,
  parseTimeOfDay,
  parseWeekday,
  previousWeeklyRun,
  startOfLocalWeek,
  type Weekday,
  type WeeklySlot,
} from '../../src/time/schedule-time.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const SUN = 0, MON = 1, TUE = 2, WED = 3, THU = 4, FRI = 5, SAT = 6;

function slot(weekday: Weekday, time: string, timeZone: string): WeeklySlot {
  const [hour, minute] = time.split(':').map(Number);
  return { weekday, hour: hour ?? NaN, minute: minute ?? NaN, timeZone };
}

const at = (iso: string) => new Date(iso);

// ---------------------------------------------------------------------------------------------
// Exact instants
// ---------------------------------------------------------------------------------------------

interface RunCase {
  name: string;
  slot: WeeklySlot;
  after: string;
  expected: string;
}

const NEXT_RUN_CASES: RunCase[] = [
  // America/Los_Angeles: PST -8 / PDT -7, switches 2026-03-08 and 2026-11-01 at 02:00 local.
  { name: 'LA winter evening', slot: slot(WED, '19:00', 'America/Los_Angeles'), after: '2026-01-05T00:00:00Z', expected: '2026-01-08T03:00:00.000Z' },
  { name: 'LA summer evening', slot: slot(WED, '19:00', 'America/Los_Angeles'), after: '2026-07-01T00:00:00Z', expected: '2026-07-02T02:00:00.000Z' },
  { name: 'LA gap 02:30 -> 03:00 PDT', slot: slot(SUN, '02:30', 'America/Los_Angeles'), after: '2026-03-07T00:00:00Z', expected: '2026-03-08T10:00:00.000Z' },
  { name: 'LA overlap 01:30 first (PDT)', slot: slot(SUN, '01:30', 'America/Los_Angeles'), after: '2026-10-30T00:00:00Z', expected: '2026-11-01T08:30:00.000Z' },
  // America/New_York: EST -5 / EDT -4.
  { name: 'NY gap 02:30 -> 03:00 EDT', slot: slot(SUN, '02:30', 'America/New_York'), after: '2026-03-02T00:00:00Z', expected: '2026-03-08T07:00:00.000Z' },
  { name: 'NY gap start 02:00 -> 03:00 EDT', slot: slot(SUN, '02:00', 'America/New_York'), after: '2026-03-02T00:00:00Z', expected: '2026-03-08T07:00:00.000Z' },
  { name: 'NY 03:00 right after the gap', slot: slot(SUN, '03:00', 'America/New_York'), after: '2026-03-02T00:00:00Z', expected: '2026-03-08T07:00:00.000Z' },
  { name: 'NY 01:59 right before the gap', slot: slot(SUN, '01:59', 'America/New_York'), after: '2026-03-02T00:00:00Z', expected: '2026-03-08T06:59:00.000Z' },
  { name: 'NY overlap 01:30 first (EDT)', slot: slot(SUN, '01:30', 'America/New_York'), after: '2026-10-26T00:00:00Z', expected: '2026-11-01T05:30:00.000Z' },
  { name: 'NY overlap runs once: after first 01:30, next is a week on', slot: slot(SUN, '01:30', 'America/New_York'), after: '2026-11-01T05:30:00Z', expected: '2026-11-08T06:30:00.000Z' },
  { name: 'NY overlap: during the repeated hour the run is already past', slot: slot(SUN, '01:30', 'America/New_York'), after: '2026-11-01T06:10:00Z', expected: '2026-11-08T06:30:00.000Z' },
  // America/St_Johns: NST -3:30 / NDT -2:30, same switch days as the US.
  { name: "St John's winter", slot: slot(FRI, '20:00', 'America/St_Johns'), after: '2026-01-01T00:00:00Z', expected: '2026-01-02T23:30:00.000Z' },
  { name: "St John's gap 02:30 -> 03:00 NDT", slot: slot(SUN, '02:30', 'America/St_Johns'), after: '2026-03-02T00:00:00Z', expected: '2026-03-08T05:30:00.000Z' },
  { name: "St John's overlap 01:30 first (NDT)", slot: slot(SUN, '01:30', 'America/St_Johns'), after: '2026-10-26T00:00:00Z', expected: '2026-11-01T04:00:00.000Z' },
  // Europe/London: GMT / BST, switches 2026-03-29 and 2026-10-25 at 01:00 UTC.
  { name: 'London gap 01:30 -> 02:00 BST', slot: slot(SUN, '01:30', 'Europe/London'), after: '2026-03-23T00:00:00Z', expected: '2026-03-29T01:00:00.000Z' },
  { name: 'London overlap 01:30 first (BST)', slot: slot(SUN, '01:30', 'Europe/London'), after: '2026-10-19T00:00:00Z', expected: '2026-10-25T00:30:00.000Z' },
  { name: 'London summer Thursday', slot: slot(THU, '20:00', 'Europe/London'), after: '2026-06-01T00:00:00Z', expected: '2026-06-04T19:00:00.000Z' },
  // Europe/Berlin: CET +1 / CEST +2.
  { name: 'Berlin winter Monday', slot: slot(MON, '19:30', 'Europe/Berlin'), after: '2026-01-01T00:00:00Z', expected: '2026-01-05T18:30:00.000Z' },
  { name: 'Berlin gap 02:30 -> 03:00 CEST', slot: slot(SUN, '02:30', 'Europe/Berlin'), after: '2026-03-23T00:00:00Z', expected: '2026-03-29T01:00:00.000Z' },
  { name: 'Berlin overlap 02:30 first (CEST)', slot: slot(SUN, '02:30', 'Europe/Berlin'), after: '2026-10-19T00:00:00Z', expected: '2026-10-25T00:30:00.000Z' },
  // Asia/Kolkata +5:30 and Asia/Kathmandu +5:45, no DST.
  { name: 'Kolkata evening', slot: slot(SAT, '21:00', 'Asia/Kolkata'), after: '2026-01-01T00:00:00Z', expected: '2026-01-03T15:30:00.000Z' },
  { name: 'Kolkata early morning is the previous UTC day', slot: slot(MON, '02:00', 'Asia/Kolkata'), after: '2026-01-01T00:00:00Z', expected: '2026-01-04T20:30:00.000Z' },
  { name: 'Kathmandu just after midnight', slot: slot(SUN, '00:10', 'Asia/Kathmandu'), after: '2026-01-01T00:00:00Z', expected: '2026-01-03T18:25:00.000Z' },
  // Australia/Sydney: AEDT +11 until 2026-04-05 03:00 -> 02:00 AEST +10; back at 2026-10-04 02:00 -> 03:00.
  { name: 'Sydney overlap 02:30 first (AEDT)', slot: slot(SUN, '02:30', 'Australia/Sydney'), after: '2026-03-30T00:00:00Z', expected: '2026-04-04T15:30:00.000Z' },
  { name: 'Sydney gap 02:30 -> 03:00 AEDT', slot: slot(SUN, '02:30', 'Australia/Sydney'), after: '2026-09-28T00:00:00Z', expected: '2026-10-03T16:00:00.000Z' },
  { name: 'Sydney winter Friday', slot: slot(FRI, '19:00', 'Australia/Sydney'), after: '2026-06-28T00:00:00Z', expected: '2026-07-03T09:00:00.000Z' },
  // Pacific/Auckland: NZDT +13 until 2026-04-05 03:00 -> 02:00 NZST +12; back at 2026-09-27 02:00 -> 03:00.
  { name: 'Auckland overlap 02:30 first (NZDT)', slot: slot(SUN, '02:30', 'Pacific/Auckland'), after: '2026-03-30T00:00:00Z', expected: '2026-04-04T13:30:00.000Z' },
  { name: 'Auckland gap 02:30 -> 03:00 NZDT', slot: slot(SUN, '02:30', 'Pacific/Auckland'), after: '2026-09-20T00:00:00Z', expected: '2026-09-26T14:00:00.000Z' },
  // Australia/Lord_Howe: +11 until 2026-04-05 02:00 -> 01:30 +10:30; back at 2026-10-04 02:00 -> 02:30.
  { name: 'Lord Howe 30-minute overlap 01:45 first (+11)', slot: slot(SUN, '01:45', 'Australia/Lord_Howe'), after: '2026-03-30T00:00:00Z', expected: '2026-04-04T14:45:00.000Z' },
  { name: 'Lord Howe 30-minute gap 02:15 -> 02:30', slot: slot(SUN, '02:15', 'Australia/Lord_Howe'), after: '2026-09-28T00:00:00Z', expected: '2026-10-03T15:30:00.000Z' },
  { name: 'Lord Howe gap start 02:00 -> 02:30', slot: slot(SUN, '02:00', 'Australia/Lord_Howe'), after: '2026-09-28T00:00:00Z', expected: '2026-10-03T15:30:00.000Z' },
  { name: 'Lord Howe 01:59 before the gap', slot: slot(SUN, '01:59', 'Australia/Lord_Howe'), after: '2026-09-28T00:00:00Z', expected: '2026-10-03T15:29:00.000Z' },
  // Pacific/Kiritimati +14 and Pacific/Pago_Pago -11: the two ends of the offset range.
  { name: 'Kiritimati run on a UTC date one day earlier', slot: slot(FRI, '09:00', 'Pacific/Kiritimati'), after: '2026-12-31T18:00:00Z', expected: '2026-12-31T19:00:00.000Z' },
  { name: 'Pago Pago run on a UTC date one day later', slot: slot(THU, '23:59', 'Pacific/Pago_Pago'), after: '2026-12-31T23:59:00Z', expected: '2027-01-01T10:59:00.000Z' },
  // Year end: Thursday slots after Thu 2026-12-31 23:59 (UTC).
  { name: 'year end: London Thursday 20:00 moves into 2027', slot: slot(THU, '20:00', 'Europe/London'), after: '2026-12-31T23:59:00Z', expected: '2027-01-07T20:00:00.000Z' },
  { name: 'year end: the 23:59 run itself is not strictly after', slot: slot(THU, '23:59', 'Europe/London'), after: '2026-12-31T23:59:00Z', expected: '2027-01-07T23:59:00.000Z' },
  { name: 'year end: one ms earlier still catches 23:59', slot: slot(THU, '23:59', 'Europe/London'), after: '2026-12-31T23:58:59.999Z', expected: '2026-12-31T23:59:00.000Z' },
  { name: 'year end: Auckland is already on Friday', slot: slot(THU, '20:00', 'Pacific/Auckland'), after: '2026-12-31T23:59:00Z', expected: '2027-01-07T07:00:00.000Z' },
  { name: 'year end: Kiritimati is already on Friday', slot: slot(THU, '23:59', 'Pacific/Kiritimati'), after: '2026-12-31T23:59:00Z', expected: '2027-01-07T09:59:00.000Z' },
  { name: 'year end: LA local Thursday 23:59 on New Year Eve', slot: slot(THU, '23:59', 'America/Los_Angeles'), after: '2026-12-31T23:59:00Z', expected: '2027-01-01T07:59:00.000Z' },
  // Leap days: 2028-02-29 is a Tuesday.
  { name: 'leap day Berlin', slot: slot(TUE, '12:00', 'Europe/Berlin'), after: '2028-02-23T00:00:00Z', expected: '2028-02-29T11:00:00.000Z' },
  { name: 'leap day LA late evening is March 1st in UTC', slot: slot(TUE, '23:30', 'America/Los_Angeles'), after: '2028-02-28T00:00:00Z', expected: '2028-03-01T07:30:00.000Z' },
  // Historical: Kiritimati jumped from -10 to +14, so local Saturday 1994-12-31 never happened.
  { name: 'Kiritimati skipped day runs at the first minute after it', slot: slot(SAT, '22:00', 'Pacific/Kiritimati'), after: '1994-12-25T12:00:00Z', expected: '1994-12-31T10:00:00.000Z' },
  // A gap that swallows midnight keeps the run on the same local date (Beirut: 00:00 -> 01:00).
  { name: 'Beirut midnight gap 00:30 -> 01:00', slot: slot(SUN, '00:30', 'Asia/Beirut'), after: '2026-03-23T00:00:00Z', expected: '2026-03-28T22:00:00.000Z' },
];

describe('nextWeeklyRun', () => {
  it.each(NEXT_RUN_CASES)('GIVEN $name THEN it runs at $expected', ({ slot: s, after, expected }) => {
    expect(nextWeeklyRun(s, at(after)).toISOString()).toBe(expected);
  });

  it('GIVEN a run in a DST gap THEN localParts shows the first minute after the gap', () => {
    const run = nextWeeklyRun(slot(SUN, '02:30', 'America/New_York'), at('2026-03-02T00:00:00Z'));
    expect(localParts(run, 'America/New_York')).toEqual({ year: 2026, month: 3, day: 8, hour: 3, minute: 0, weekday: SUN });
  });

  it('GIVEN invalid slots or dates THEN it throws RangeError', () => {
    const after = at('2026-01-01T00:00:00Z');
    expect(() => nextWeeklyRun(slot(MON, '24:00', 'UTC'), after)).toThrow(RangeError);
    expect(() => nextWeeklyRun(slot(MON, '10:60', 'UTC'), after)).toThrow(RangeError);
    expect(() => nextWeeklyRun({ weekday: 7 as Weekday, hour: 1, minute: 0, timeZone: 'UTC' }, after)).toThrow(RangeError);
    expect(() => nextWeeklyRun(slot(MON, '10:30', 'Mars/Olympus'), after)).toThrow(RangeError);
    expect(() => nextWeeklyRun(slot(MON, '10:30', 'UTC'), new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('previousWeeklyRun', () => {
  const cases: RunCase[] = [
    { name: 'NY exactly at a run', slot: slot(WED, '19:00', 'America/New_York'), after: '2026-03-05T00:00:00Z', expected: '2026-03-05T00:00:00.000Z' },
    { name: 'NY one ms before a run', slot: slot(WED, '19:00', 'America/New_York'), after: '2026-03-04T23:59:59.999Z', expected: '2026-02-26T00:00:00.000Z' },
    { name: 'NY at the gap run', slot: slot(SUN, '02:30', 'America/New_York'), after: '2026-03-08T07:00:00Z', expected: '2026-03-08T07:00:00.000Z' },
    { name: 'NY just before the gap run', slot: slot(SUN, '02:30', 'America/New_York'), after: '2026-03-08T06:59:59.999Z', expected: '2026-03-01T07:30:00.000Z' },
    { name: 'NY second 01:45 of the overlap day', slot: slot(SUN, '01:30', 'America/New_York'), after: '2026-11-01T06:45:00Z', expected: '2026-11-01T05:30:00.000Z' },
    { name: 'Sydney downtime catch-up across the April switch', slot: slot(FRI, '19:00', 'Australia/Sydney'), after: '2026-04-09T00:00:00Z', expected: '2026-04-03T08:00:00.000Z' },
    { name: 'Kathmandu over year end', slot: slot(THU, '23:00', 'Asia/Kathmandu'), after: '2027-01-02T00:00:00Z', expected: '2026-12-31T17:15:00.000Z' },
  ];
  it.each(cases)('GIVEN $name THEN the latest run is $expected', ({ slot: s, after, expected }) => {
    expect(previousWeeklyRun(s, at(after)).toISOString()).toBe(expected);
  });
});

describe('addWeeks', () => {
  const ny = slot(WED, '19:00', 'America/New_York');

  it('GIVEN a 19:00 run before spring-forward THEN one week later is still 19:00 local', () => {
    const run = at('2026-03-05T00:00:00Z'); // Wed Mar 4 19:00 EST
    expect(addWeeks(ny, run, 1).toISOString()).toBe('2026-03-11T23:00:00.000Z');
    expect(addWeeks(ny, run, 0).toISOString()).toBe(run.toISOString());
    expect(addWeeks(ny, at('2026-03-11T23:00:00Z'), -1).toISOString()).toBe(run.toISOString());
  });

  it('GIVEN a run moved by a gap THEN later weeks return to the slot time', () => {
    const gapSlot = slot(SUN, '02:30', 'America/New_York');
    const gapRun = at('2026-03-08T07:00:00Z');
    expect(addWeeks(gapSlot, gapRun, 1).toISOString()).toBe('2026-03-15T06:30:00.000Z');
    expect(addWeeks(gapSlot, gapRun, -1).toISOString()).toBe('2026-03-01T07:30:00.000Z');
  });

  it('GIVEN the Kiritimati run pushed onto Sunday by the skipped day THEN the next is Saturday again', () => {
    const s = slot(SAT, '22:00', 'Pacific/Kiritimati');
    expect(addWeeks(s, at('1994-12-31T10:00:00Z'), 1).toISOString()).toBe('1995-01-07T08:00:00.000Z');
  });

  it('GIVEN half a year of weeks THEN the run lands on 19:30 summer time', () => {
    const berlin = slot(MON, '19:30', 'Europe/Berlin');
    expect(addWeeks(berlin, at('2026-01-05T18:30:00Z'), 26).toISOString()).toBe('2026-07-06T17:30:00.000Z');
  });

  it('GIVEN a fractional week count THEN it throws RangeError', () => {
    expect(() => addWeeks(ny, at('2026-03-05T00:00:00Z'), 1.5)).toThrow(RangeError);
  });
});

describe('startOfLocalWeek', () => {
  const cases = [
    { name: 'Berlin on the spring-forward Sunday', instant: '2026-03-29T12:00:00Z', timeZone: 'Europe/Berlin', expected: '2026-03-22T23:00:00.000Z' },
    { name: 'Berlin exactly at Monday midnight', instant: '2026-03-22T23:00:00Z', timeZone: 'Europe/Berlin', expected: '2026-03-22T23:00:00.000Z' },
    { name: 'Berlin one ms before Monday midnight', instant: '2026-03-22T22:59:59.999Z', timeZone: 'Europe/Berlin', expected: '2026-03-15T23:00:00.000Z' },
    { name: 'Sydney Monday morning (still Sunday in UTC)', instant: '2026-01-05T00:00:00Z', timeZone: 'Australia/Sydney', expected: '2026-01-04T13:00:00.000Z' },
    { name: 'Kathmandu midweek', instant: '2026-05-06T12:00:00Z', timeZone: 'Asia/Kathmandu', expected: '2026-05-03T18:15:00.000Z' },
    { name: 'Pago Pago Sunday night across year end', instant: '2027-01-01T10:00:00Z', timeZone: 'Pacific/Pago_Pago', expected: '2026-12-28T11:00:00.000Z' },
    { name: 'UTC', instant: '2026-01-01T00:00:00Z', timeZone: 'UTC', expected: '2025-12-29T00:00:00.000Z' },
  ];
  it.each(cases)('GIVEN $name THEN the week starts at $expected', ({ instant, timeZone, expected }) => {
    expect(startOfLocalWeek(at(instant), timeZone).toISOString()).toBe(expected);
  });
});

describe('localParts', () => {
  it('GIVEN one instant THEN each zone shows its own wall clock', () => {
    const instant = at('2026-12-31T23:59:00Z');
    expect(localParts(instant, 'UTC')).toEqual({ year: 2026, month: 12, day: 31, hour: 23, minute: 59, weekday: THU });
    expect(localParts(instant, 'Pacific/Kiritimati')).toEqual({ year: 2027, month: 1, day: 1, hour: 13, minute: 59, weekday: FRI });
    expect(localParts(instant, 'Pacific/Pago_Pago')).toEqual({ year: 2026, month: 12, day: 31, hour: 12, minute: 59, weekday: THU });
    expect(localParts(instant, 'America/St_Johns')).toEqual({ year: 2026, month: 12, day: 31, hour: 20, minute: 29, weekday: THU });
    expect(localParts(instant, 'Asia/Kathmandu')).toEqual({ year: 2027, month: 1, day: 1, hour: 5, minute: 44, weekday: FRI });
  });

  it('GIVEN midnight UTC THEN the hour is 0, never 24', () => {
    expect(localParts(at('2028-02-29T00:00:00Z'), 'UTC')).toEqual({ year: 2028, month: 2, day: 29, hour: 0, minute: 0, weekday: TUE });
  });
});

describe('parseTimeOfDay', () => {
  it.each([
    ['19:30', 19, 30],
    ['7:05', 7, 5],
    ['07:05', 7, 5],
    ['0:00', 0, 0],
    ['23:59', 23, 59],
    ['19.30', 19, 30],
    ['  19:30 ', 19, 30],
    ['7:30pm', 19, 30],
    ['7:30 PM', 19, 30],
    ['7pm', 19, 0],
    ['7 p.m.', 19, 0],
    ['12am', 0, 0],
    ['12:15am', 0, 15],
    ['12pm', 12, 0],
    ['11:59 a.m.', 11, 59],
  ])('GIVEN %j THEN it is %i:%i', (text, hour, minute) => {
    expect(parseTimeOfDay(text)).toEqual({ hour, minute });
  });

  it.each(['25:00', '24:00', '19:60', 'abc', '', '19', '19:5', '-1:00', '123:00', '13pm', '0am', '7:60pm', '19:30:00', '7:30 xm'])(
    'GIVEN %j THEN it is rejected',
    (text) => {
      expect(parseTimeOfDay(text)).toBeNull();
    },
  );
});

describe('parseWeekday', () => {
  it.each([
    ['monday', MON],
    ['Mon', MON],
    ['mon.', MON],
    ['MONDAY', MON],
    ['Mondays', MON],
    ['tu', TUE],
    ['tues', TUE],
    ['Wed', WED],
    ['thurs', THU],
    ['Thu.', THU],
    ['fri', FRI],
    ['sat', SAT],
    ['Sunday', SUN],
    [' sun ', SUN],
  ])('GIVEN %j THEN it is weekday %i', (text, expected) => {
    expect(parseWeekday(text)).toBe(expected);
  });

  it.each(['t', 's', 'm', '', 'funday', 'mond4y', 'monday..', 'sundays2'])('GIVEN %j THEN it is rejected', (text) => {
    expect(parseWeekday(text)).toBeNull();
  });

  it('GIVEN each full name THEN it round-trips to its index', () => {
    WEEKDAY_NAMES.forEach((name, index) => expect(parseWeekday(name)).toBe(index));
    expect(WEEKDAY_NAMES).toHaveLength(7);
  });
});

describe('clockChangeAt', () => {
  const sunday = (hour: number, minute: number, timeZone = 'Europe/Berlin') => ({ weekday: 0 as Weekday, hour, minute, timeZone });

  it('GIVEN a 02:30 slot on the night the clocks go forward THEN the run is moved by the gap', () => {
    const slot = sunday(2, 30);
    const run = nextWeeklyRun(slot, at('2027-03-27T12:00:00Z'));
    expect(clockChangeAt(slot, run)).toBe('gap');
    expect(localParts(run, 'Europe/Berlin')).toMatchObject({ day: 28, hour: 3 });
  });

  it('GIVEN a 02:30 slot on the night the clocks go back THEN the run is the first of two 02:30s', () => {
    const slot = sunday(2, 30);
    const run = nextWeeklyRun(slot, at('2026-10-24T12:00:00Z'));
    expect(clockChangeAt(slot, run)).toBe('overlap');
    expect(run.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('GIVEN ordinary weeks, or a slot away from the change THEN nothing to say', () => {
    expect(clockChangeAt(sunday(2, 30), nextWeeklyRun(sunday(2, 30), at('2026-11-01T12:00:00Z')))).toBeNull();
    expect(clockChangeAt(sunday(20, 0), nextWeeklyRun(sunday(20, 0), at('2027-03-27T12:00:00Z')))).toBeNull();
    expect(clockChangeAt(sunday(2, 30, 'UTC'), nextWeeklyRun(sunday(2, 30, 'UTC'), at('2027-03-27T12:00:00Z')))).toBeNull();
  });
});

describe('time zone names', () => {
  it.each([
    ['europe/berlin', 'Europe/Berlin'],
    ['Europe/Berlin', 'Europe/Berlin'],
    ['AMERICA/ST_JOHNS', 'America/St_Johns'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['US/Eastern', 'America/New_York'],
    [' Pacific/Auckland ', 'Pacific/Auckland'],
  ])('GIVEN %j THEN the canonical name is %j', (input, expected) => {
    expect(canonicalTimeZone(input)).toBe(expected);
    expect(isValidTimeZone(input)).toBe(true);
  });

  it.each([
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['europe/kiev', 'Europe/Kyiv'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['asia/ho_chi_minh', 'Asia/Ho_Chi_Minh'],
  ])('GIVEN the renamed zone %j THEN it keeps its current name %j, with the same rules', (input, expected) => {
    expect(canonicalTimeZone(input)).toBe(expected);
    expect(localParts(at('2026-01-01T00:00:00Z'), expected)).toEqual(localParts(at('2026-01-01T00:00:00Z'), input.trim()));
  });

  it.each(['Mars/Olympus', '', '   ', '+02:00', '-05:00', 'EST', 'GMT', 'CET', 'EST5EDT', 'Europe/', 'Europe/Berlin/Mitte'])(
    'GIVEN %j THEN it is rejected',
    (input) => {
      expect(isValidTimeZone(input)).toBe(false);
      expect(canonicalTimeZone(input)).toBeNull();
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/New_York',
  'America/St_Johns',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Australia/Lord_Howe',
] as const;

const weekdayArb = fc.integer({ min: 0, max: 6 }) as fc.Arbitrary<Weekday>;
const slotArb: fc.Arbitrary<WeeklySlot> = fc.record({
  weekday: weekdayArb,
  // Half the hours come from the small hours where DST switches happen.
  hour: fc.oneof(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 3 })),
  minute: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.constantFrom(0, 15, 30, 45)),
  timeZone: fc.constantFrom(...ZONES),
});
const wideInstantArb = fc.date({ min: at('1990-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z'), noInvalidDate: true });
/** Local dates on which each zone switched (or skipped a day); slots there hit gaps and overlaps. */
const SWITCH_DAYS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['America/New_York', ['2026-03-08', '2026-11-01', '2037-03-08', '2037-11-01']],
  ['America/Los_Angeles', ['2026-03-08', '2026-11-01', '1999-04-04', '1999-10-31']],
  ['America/St_Johns', ['2026-03-08', '2026-11-01', '2008-03-09', '2008-11-02']],
  ['Europe/London', ['2026-03-29', '2026-10-25', '2037-03-29', '2037-10-25']],
  ['Europe/Berlin', ['2026-03-29', '2026-10-25', '1996-10-27']],
  ['Australia/Sydney', ['2026-04-05', '2026-10-04', '2037-04-05', '2037-10-04']],
  ['Pacific/Auckland', ['2026-04-05', '2026-09-27', '2037-04-05', '2037-09-27']],
  ['Australia/Lord_Howe', ['2026-04-05', '2026-10-04', '2037-04-05', '2037-10-04']],
  ['Pacific/Kiritimati', ['1994-12-31', '1995-01-01']],
];
/** A slot in the small hours of a switch day, and an instant up to eight days before it. */
const nearSwitchArb: fc.Arbitrary<[WeeklySlot, Date]> = fc
  .constantFrom(...SWITCH_DAYS.flatMap(([timeZone, days]) => days.map((day) => [timeZone, day] as const)))
  .chain(([timeZone, day]) =>
    fc.tuple(
      fc.record({
        weekday: fc.constant(at(`${day}T00:00:00Z`).getUTCDay() as Weekday),
        hour: fc.integer({ min: 0, max: 3 }),
        minute: fc.integer({ min: 0, max: 59 }),
        timeZone: fc.constant(timeZone),
      }),
      fc.integer({ min: -8 * DAY, max: DAY }).map((shift) => new Date(at(`${day}T00:00:00Z`).getTime() + shift)),
    ),
  );
const slotAndInstantArb = fc.oneof(fc.tuple(slotArb, wideInstantArb), nearSwitchArb);
const instantArb = fc.oneof(
  wideInstantArb,
  nearSwitchArb.map(([, instant]) => instant),
);

const PROPERTY_RUNS = { numRuns: 400 };

function wallMinutes(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) / MINUTE;
}

function offsetMinutes(instant: Date, timeZone: string): number {
  return wallMinutes(instant, timeZone) - Math.floor(instant.getTime() / MINUTE);
}

/** The run shows the slot's weekday and time, or the slot time fell into a gap the clock jumped at `run`. */
function expectLandsOnSlot(s: WeeklySlot, run: Date): void {
  const parts = localParts(run, s.timeZone);
  // First occurrence only: the clock did not already show this minute 30 or 60 minutes earlier.
  for (const earlier of [30 * MINUTE, HOUR]) {
    expect(localParts(new Date(run.getTime() - earlier), s.timeZone), 'not a repeated wall time').not.toEqual(parts);
  }
  if (parts.weekday === s.weekday && parts.hour === s.hour && parts.minute === s.minute) return;
  const justBefore = wallMinutes(new Date(run.getTime() - 1), s.timeZone);
  const atRun = wallMinutes(run, s.timeZone);
  expect(atRun - justBefore, 'the wall clock jumps forward at the run').toBeGreaterThan(1);
  const skippedSlotTimes: number[] = [];
  for (let day = Math.floor(justBefore / 1440); day <= Math.floor(atRun / 1440); day++) {
    const candidate = day * 1440 + s.hour * 60 + s.minute;
    const weekday = new Date(day * DAY).getUTCDay();
    if (weekday === s.weekday && candidate > justBefore && candidate < atRun) skippedSlotTimes.push(candidate);
  }
  expect(skippedSlotTimes, 'the slot time lies inside the skipped interval').toHaveLength(1);
}

/** True across Kiritimati's 1994 date-line jump, where weeks legitimately lose a whole day. */
function crossesHugeOffsetChange(timeZone: string, from: Date, to: Date): boolean {
  return Math.abs(offsetMinutes(to, timeZone) - offsetMinutes(from, timeZone)) > 120;
}

describe('properties over random slots and instants (1990-2100)', () => {
  it('GIVEN any slot and instant THEN the next run is the first matching instant within a week', () => {
    fc.assert(
      fc.property(slotAndInstantArb, ([s, after]) => {
        const run = nextWeeklyRun(s, after);
        expect(run.getTime()).toBeGreaterThan(after.getTime());
        expect(run.getTime() - after.getTime()).toBeLessThanOrEqual(WEEK + 2 * HOUR);
        expectLandsOnSlot(s, run);
        expect(nextWeeklyRun(s, new Date(run.getTime() - 1)).getTime()).toBe(run.getTime());
      }),
      PROPERTY_RUNS,
    );
  });

  it('GIVEN a run THEN the following run is about one week later, and addWeeks agrees', () => {
    fc.assert(
      fc.property(slotAndInstantArb, ([s, after]) => {
        const run = nextWeeklyRun(s, after);
        const following = nextWeeklyRun(s, run);
        expect(addWeeks(s, run, 1).getTime()).toBe(following.getTime());
        expect(addWeeks(s, following, -1).getTime()).toBe(run.getTime());
        if (crossesHugeOffsetChange(s.timeZone, new Date(run.getTime() - WEEK), following)) return;
        const gap = following.getTime() - run.getTime();
        expect(gap).toBeGreaterThanOrEqual(WEEK - 2 * HOUR);
        expect(gap).toBeLessThanOrEqual(WEEK + 2 * HOUR);
      }),
      PROPERTY_RUNS,
    );
  });

  it('GIVEN any instant THEN previous <= instant < next, and they are consecutive runs', () => {
    fc.assert(
      fc.property(slotAndInstantArb, ([s, t]) => {
        const previous = previousWeeklyRun(s, t);
        const next = nextWeeklyRun(s, t);
        expect(previous.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(next.getTime());
        expect(previousWeeklyRun(s, next).getTime()).toBe(next.getTime());
        expect(nextWeeklyRun(s, previous).getTime()).toBe(next.getTime());
        expectLandsOnSlot(s, previous);
      }),
      PROPERTY_RUNS,
    );
  });

  it('GIVEN any instant THEN its local week starts on a Monday 00:00 at or before it and ends after it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instantArb, (timeZone, t) => {
        const monday: WeeklySlot = { weekday: 1, hour: 0, minute: 0, timeZone };
        const start = startOfLocalWeek(t, timeZone);
        const nextStart = addWeeks(monday, start, 1);
        expectLandsOnSlot(monday, start);
        expect(start.getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(nextStart.getTime());
        if (!crossesHugeOffsetChange(timeZone, start, nextStart)) {
          expect(Math.abs(nextStart.getTime() - start.getTime() - WEEK)).toBeLessThanOrEqual(2 * HOUR);
        }
      }),
      PROPERTY_RUNS,
    );
  });
});
