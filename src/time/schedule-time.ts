/**
 * Weekly schedule maths: "every Thursday at 19:30 Europe/Berlin" (rewatch threads), "this week" in a server's
 * time zone (trivia's weekly leaderboard). Belongs to no feature.
 *
 * Pure functions over instants (`Date`) and IANA time zones, using only `Intl.DateTimeFormat`.
 * All local-time reasoning is done on "wall milliseconds": the local calendar date and clock time
 * encoded as if it were a UTC instant, so plain integer arithmetic gives calendar arithmetic.
 *
 * DST rules for turning a local wall time into an instant:
 * - a wall time that does not exist (spring-forward gap) resolves to the instant the clock jumps,
 *   i.e. the first valid local time after the gap (02:30 on a 02:00->03:00 day runs at 03:00);
 * - a wall time that happens twice (fall-back overlap) resolves to its first occurrence only.
 */

/** 0 = Sunday ... 6 = Saturday, like `Date#getDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const WEEKDAY_NAMES: readonly string[] = Object.freeze([
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
]);

export interface WeeklySlot {
  weekday: Weekday;
  /** 0..23, local to `timeZone`. */
  hour: number;
  /** 0..59 */
  minute: number;
  /** IANA time zone name, e.g. "America/New_York". */
  timeZone: string;
}

/** Calendar fields of an instant as seen on a wall clock in some zone. `month` is 1..12. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: Weekday;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const WEEK_DAYS = 7;
/** How far on either side of a wall time we sample UTC offsets; wider than any real offset. */
const OFFSET_SAMPLE_SPAN_MS = 18 * HOUR_MS;
/** Upper bound on days scanned when looking for the next/previous matching weekday. */
const SCAN_DAYS = 15;

// ---------------------------------------------------------------------------------------------
// Parsing user input
// ---------------------------------------------------------------------------------------------

const TIME_24H = /^(\d{1,2})[:.](\d{2})$/;
const TIME_12H = /^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?$/;

/**
 * Parses a time of day. Accepted: 24-hour "19:30", "7:05", "19.30"; 12-hour "7:30pm", "7:30 PM",
 * "7pm", "12am" (midnight), "7:30 p.m.". Rejected: out-of-range values ("25:00", "19:60", "24:00",
 * "13pm", "0am"), single-digit minutes ("19:5") and bare hours without am/pm ("19").
 */
export function parseTimeOfDay(text: string): { hour: number; minute: number } | null {
  const input = text.trim().toLowerCase();
  const h24 = TIME_24H.exec(input);
  if (h24) {
    const hour = Number(h24[1]);
    const minute = Number(h24[2]);
    return hour <= 23 && minute <= 59 ? { hour, minute } : null;
  }
  const h12 = TIME_12H.exec(input);
  if (h12) {
    const clockHour = Number(h12[1]);
    const minute = h12[2] === undefined ? 0 : Number(h12[2]);
    if (clockHour < 1 || clockHour > 12 || minute > 59) return null;
    const isPm = h12[3] === 'p';
    const hour = (clockHour % 12) + (isPm ? 12 : 0);
    return { hour, minute };
  }
  return null;
}

/**
 * Parses a weekday name: full names ("Monday", "mondays"), and any unambiguous prefix of at least
 * two letters ("Mon", "mon.", "tu", "thurs"). Case-insensitive; one trailing dot is ignored.
 * Ambiguous or unknown text ("t", "s", "funday") gives null.
 */
export function parseWeekday(text: string): Weekday | null {
  let input = text.trim().toLowerCase();
  if (input.endsWith('.')) input = input.slice(0, -1);
  if (input.length < 2) return null;
  const matches: Weekday[] = [];
  WEEKDAY_NAMES.forEach((name, index) => {
    const lower = name.toLowerCase();
    if (lower.startsWith(input) || input === `${lower}s`) matches.push(index as Weekday);
  });
  return matches.length === 1 ? (matches[0] ?? null) : null;
}

// ---------------------------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------------------------

const formatterCache = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone name; throws RangeError for names Intl does not know. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatterCache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatterCache.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Normalises a user-supplied zone name to the identifier Intl resolves it to
 * ("europe/berlin" -> "Europe/Berlin", "US/Eastern" -> "America/New_York", "utc" -> "UTC"),
 * or null when it is not acceptable. Surrounding whitespace is ignored.
 *
 * Decisions: only region-style names containing a "/" (plus the bare "UTC") are accepted.
 * Fixed offsets ("+02:00") and bare abbreviations ("EST", "GMT", "CET", "EST5EDT") are rejected
 * even where the runtime would accept them: members who type "EST" usually mean New York time
 * *with* DST, and silently running an hour off all summer is worse than asking again.
 * Node's ICU maps some renamed zones to their older names ("Asia/Kolkata" -> "Asia/Calcutta"); those come
 * back under today's name (CURRENT_NAMES), so what the admin typed is what they see.
 */
export function canonicalTimeZone(tz: string): string | null {
  const name = tz.trim();
  if (name === '') return null;
  if (!name.includes('/') && name.toUpperCase() !== 'UTC') return null;
  try {
    const resolved = formatterFor(name).resolvedOptions().timeZone;
    return CURRENT_NAMES[resolved] ?? resolved;
  } catch {
    return null;
  }
}

/**
 * Zones IANA has renamed but Node's ICU still resolves to their old names: an admin who types "Europe/Kyiv" (or
 * "Europe/Kiev") sees today's name. Both names are valid zones with the same rules.
 */
const CURRENT_NAMES: Readonly<Record<string, string>> = {
  'Europe/Kiev': 'Europe/Kyiv',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** True when `canonicalTimeZone` accepts the name (see there for what is accepted and why). */
export function isValidTimeZone(tz: string): boolean {
  return canonicalTimeZone(tz) !== null;
}

// ---------------------------------------------------------------------------------------------
// Wall-clock arithmetic
// ---------------------------------------------------------------------------------------------

/** Wall milliseconds of a civil date-time (years below 100 are not shifted to 19xx). */
function civilToWallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function weekdayOfEpochDay(epochDay: number): Weekday {
  // 1970-01-01 (epoch day 0) was a Thursday.
  return (((epochDay + 4) % 7) + 7) % 7 as Weekday;
}

/** The wall clock (to the second) in `timeZone` at `instantMs`, as wall milliseconds. */
function wallMsAt(instantMs: number, timeZone: string): number {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  return civilToWallMs(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second);
}

/** UTC offset (wall minus instant) in effect at `instantMs`, in whole seconds as milliseconds. */
function offsetMsAt(instantMs: number, timeZone: string): number {
  const wholeSecond = floorDiv(instantMs, SECOND_MS) * SECOND_MS;
  return wallMsAt(wholeSecond, timeZone) - wholeSecond;
}

/**
 * The instant at which the wall clock in `timeZone` shows `wallMs`: the earliest one in an
 * overlap, or the end of the gap (the instant the clock jumps forward) when it never shows it.
 */
function wallToInstantMs(wallMs: number, timeZone: string): number {
  const offsets = new Set<number>();
  for (const sample of [wallMs - OFFSET_SAMPLE_SPAN_MS, wallMs, wallMs + OFFSET_SAMPLE_SPAN_MS]) {
    offsets.add(offsetMsAt(sample, timeZone));
  }
  let earliest: number | null = null;
  for (const offset of offsets) {
    const candidate = wallMs - offset;
    if (offsetMsAt(candidate, timeZone) === offset && (earliest === null || candidate < earliest)) {
      earliest = candidate;
    }
  }
  if (earliest !== null) return earliest;
  return gapEndInstantMs(wallMs, [...offsets], timeZone);
}

/**
 * `wallMs` falls into a spring-forward gap: binary-search the first instant whose wall clock is
 * already past it. That instant is the transition, shown locally as the first time after the gap.
 */
function gapEndInstantMs(wallMs: number, offsets: number[], timeZone: string): number {
  const isPast = (instant: number) => instant + offsetMsAt(instant, timeZone) > wallMs;
  let before = wallMs - Math.max(...offsets);
  let after = wallMs - Math.min(...offsets);
  if (isPast(before) || !isPast(after)) {
    throw new Error(`Cannot resolve local time ${new Date(wallMs).toISOString()} in ${timeZone}`);
  }
  while (after - before > 1) {
    const middle = before + floorDiv(after - before, 2);
    if (isPast(middle)) after = middle;
    else before = middle;
  }
  return after;
}

function instantMs(date: Date, label: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${label} is an invalid Date`);
  return ms;
}

function assertValidSlot(slot: WeeklySlot): void {
  const { weekday, hour, minute } = slot;
  if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) {
    throw new RangeError(`Slot weekday must be 0..6, got ${weekday}`);
  }
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`Slot hour must be 0..23, got ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59) {
    throw new RangeError(`Slot minute must be 0..59, got ${minute}`);
  }
  formatterFor(slot.timeZone); // throws RangeError for an unknown zone
}

/** The local calendar day (days since 1970-01-01) that `instant` falls on in `timeZone`. */
function localEpochDay(instant: number, timeZone: string): number {
  return floorDiv(wallMsAt(instant, timeZone), DAY_MS);
}

/** The slot's run on local calendar day `epochDay` (which must have the slot's weekday). */
function runOnDay(slot: WeeklySlot, epochDay: number): number {
  return wallToInstantMs(epochDay * DAY_MS + slot.hour * HOUR_MS + slot.minute * MINUTE_MS, slot.timeZone);
}

// ---------------------------------------------------------------------------------------------
// Public schedule API
// ---------------------------------------------------------------------------------------------

/** Calendar fields of `instant` on the wall clock of `timeZone` (seconds dropped). */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const wall = new Date(wallMsAt(instantMs(instant, 'instant'), timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay() as Weekday,
  };
}

/** The first run of `slot` strictly after `after`. */
export function nextWeeklyRun(slot: WeeklySlot, after: Date): Date {
  assertValidSlot(slot);
  const afterMs = instantMs(after, 'after');
  const today = localEpochDay(afterMs, slot.timeZone);
  // Runs resolve monotonically with their local day, so the first one past `after` is the earliest.
  // Earlier days need no look: their runs (first occurrences) happen before the clock shows `today`.
  for (let day = today; day <= today + SCAN_DAYS; day++) {
    if (weekdayOfEpochDay(day) !== slot.weekday) continue;
    const run = runOnDay(slot, day);
    if (run > afterMs) return new Date(run);
  }
  throw new Error(`No run of slot found after ${after.toISOString()}`);
}

/** The latest run of `slot` at or before `atOrBefore` (used to catch up after downtime). */
export function previousWeeklyRun(slot: WeeklySlot, atOrBefore: Date): Date {
  assertValidSlot(slot);
  const limitMs = instantMs(atOrBefore, 'atOrBefore');
  const today = localEpochDay(limitMs, slot.timeZone);
  // Start one day ahead: after a fall-back across midnight the clock can show `today` again
  // although tomorrow's first minutes (and so possibly a run) already happened.
  for (let day = today + 1; day >= today - SCAN_DAYS; day--) {
    if (weekdayOfEpochDay(day) !== slot.weekday) continue;
    const run = runOnDay(slot, day);
    if (run <= limitMs) return new Date(run);
  }
  throw new Error(`No run of slot found at or before ${atOrBefore.toISOString()}`);
}

/**
 * The run `weeks` weeks after `run` (negative goes back), counted in local calendar weeks so a
 * 19:00 slot stays at 19:00 local across DST changes. `run` is anchored to the latest day with the
 * slot's weekday on or before its local date, so a run moved past midnight by a gap still counts.
 */
export function addWeeks(slot: WeeklySlot, run: Date, weeks: number): Date {
  assertValidSlot(slot);
  if (!Number.isSafeInteger(weeks)) throw new RangeError(`weeks must be an integer, got ${weeks}`);
  const runDay = localEpochDay(instantMs(run, 'run'), slot.timeZone);
  const daysBack = (weekdayOfEpochDay(runDay) - slot.weekday + WEEK_DAYS) % WEEK_DAYS;
  return new Date(runOnDay(slot, runDay - daysBack + weeks * WEEK_DAYS));
}

/** How a run sits on the wall clock when the clocks change that night. */
export type ClockChange =
  /** The slot's time does not exist that day (clocks go forward): the run comes at the first time after the gap. */
  | 'gap'
  /** The slot's time happens twice that day (clocks go back): the run is the first of the two. */
  | 'overlap';

/** Whether a run of `slot` falls in a DST gap or overlap, or null when its time happens exactly once that day. */
export function clockChangeAt(slot: WeeklySlot, run: Date): ClockChange | null {
  const local = localParts(run, slot.timeZone);
  if (local.hour !== slot.hour || local.minute !== slot.minute) return 'gap';
  // The same wall time again within the next two hours (in quarter-hour steps: some zones shift by 30 minutes).
  for (let quarter = 1; quarter <= 8; quarter++) {
    const later = localParts(new Date(run.getTime() + quarter * 15 * 60_000), slot.timeZone);
    if (later.day === local.day && later.hour === local.hour && later.minute === local.minute) return 'overlap';
  }
  return null;
}

/**
 * Monday 00:00 local time of the week containing `instant` (or the first valid time after
 * midnight where a DST gap swallows it). Always <= `instant`, and `instant` is before the next
 * week's start.
 */
export function startOfLocalWeek(instant: Date, timeZone: string): Date {
  return previousWeeklyRun({ weekday: 1, hour: 0, minute: 0, timeZone }, instant);
}
