// Time zone suggestions for autocomplete (the rewatch setup's time zone): common zones first, then every zone the
// runtime knows, matched by any part of the name ("berl", "new york", "sydney").
import { canonicalTimeZone } from './schedule-time.js';

/** Where DS9 rewatch communities tend to be; listed first when nothing has been typed. */
export const COMMON_TIME_ZONES: readonly string[] = [
  'UTC',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Toronto',
  'America/Vancouver',
  'America/Halifax',
  'America/St_Johns',
  'America/Mexico_City',
  'America/Sao_Paulo',
  'America/Argentina/Buenos_Aires',
  'Europe/London',
  'Europe/Dublin',
  'Europe/Lisbon',
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/Amsterdam',
  'Europe/Madrid',
  'Europe/Rome',
  'Europe/Stockholm',
  'Europe/Warsaw',
  'Europe/Athens',
  'Europe/Helsinki',
  'Europe/Moscow',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Manila',
  'Asia/Shanghai',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Australia/Perth',
  'Australia/Adelaide',
  'Australia/Brisbane',
  'Australia/Sydney',
  'Pacific/Auckland',
];

const normalise = (s: string) => s.toLowerCase().replace(/[\s_]+/g, ' ').trim();

function allZones(): readonly string[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...COMMON_TIME_ZONES, ...supported])];
}

/**
 * Up to `limit` zone names for what the member typed so far. An exact valid name (in any case, or an
 * alias such as US/Eastern) comes first in its canonical spelling.
 */
export function suggestTimeZones(typed: string, limit = 25): string[] {
  const query = normalise(typed);
  const out: string[] = [];
  const exact = query === '' ? null : canonicalTimeZone(typed);
  if (exact) out.push(exact);
  const pool = query === '' ? COMMON_TIME_ZONES : allZones();
  for (const zone of pool) {
    if (out.length >= limit) break;
    if (!out.includes(zone) && normalise(zone).includes(query)) out.push(zone);
  }
  return out.slice(0, limit);
}
