// What a member sees in the playground: snapshots of the server's messages, what changed between two of them,
// and message text made readable for a terminal (mentions as @name, Discord timestamps as times).
import { renderMessage } from './render.js';
import type { VisibleMessage } from './visible.js';

export interface Place {
  id: string;
  name: string;
  thread: boolean;
}

interface Seen {
  message: VisibleMessage;
  place: Place;
  fingerprint: string;
}

/** Every message of some channels and threads at one moment. */
export type Snapshot = Map<string, Seen>;

export interface Change {
  kind: 'new' | 'edited' | 'deleted';
  message: VisibleMessage;
  place: Place;
}

function fingerprint(m: VisibleMessage): string {
  return JSON.stringify([m.content, m.embeds, m.components, m.attachments, m.flags, m.edited, m.thread, m.reactions, m.loading]);
}

export function snapshot(places: { place: Place; messages: VisibleMessage[] }[]): Snapshot {
  const out: Snapshot = new Map();
  for (const { place, messages } of places) {
    for (const message of messages) out.set(message.id, { message, place, fingerprint: fingerprint(message) });
  }
  return out;
}

/** New, changed and removed messages, oldest first, limited to what `viewerId` may see. */
export function changesBetween(before: Snapshot, after: Snapshot, viewerId: string): Change[] {
  const changes: Change[] = [];
  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was) changes.push({ kind: 'new', message: now.message, place: now.place });
    else if (was.fingerprint !== now.fingerprint) changes.push({ kind: 'edited', message: now.message, place: now.place });
  }
  for (const [id, was] of before) {
    if (!after.has(id)) changes.push({ kind: 'deleted', message: was.message, place: was.place });
  }
  return changes
    .filter((c) => canSee(c.message, viewerId))
    .sort((a, b) => (BigInt(a.message.id) < BigInt(b.message.id) ? -1 : 1));
}

export function canSee(message: VisibleMessage, viewerId: string): boolean {
  return message.visibleTo === null || message.visibleTo === viewerId;
}

export interface Names {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
  role(id: string): string | undefined;
}

/**
 * Mentions as @name / #channel, and `<t:…>` timestamps as Discord shows them to a member: in the member's own time
 * zone (`timeZone`, named after the time so the reader knows which), relative ones against `now` (the playground's clock).
 */
export function readable(text: string, names: Names, now: Date, timeZone = 'UTC'): string {
  return text
    .replace(/<@!?(\d+)>/g, (whole, id: string) => (names.user(id) ? `@${names.user(id)}` : whole))
    .replace(/<@&(\d+)>/g, (whole, id: string) => (names.role(id) ? `@${names.role(id)}` : whole))
    .replace(/<#(\d+)>/g, (whole, id: string) => (names.channel(id) ? `#${names.channel(id)}` : whole))
    .replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_whole, seconds: string, style: string | undefined) =>
      style === 'R' ? relativeTime(Number(seconds) * 1000 - now.getTime()) : `${localTime(new Date(Number(seconds) * 1000), style ?? 'f', timeZone)} (${timeZone})`,
    );
}

/** Discord's timestamp styles (its default English wording) in one time zone. */
const STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  t: { hour: 'numeric', minute: '2-digit' },
  T: { hour: 'numeric', minute: '2-digit', second: '2-digit' },
  d: { year: 'numeric', month: '2-digit', day: '2-digit' },
  D: { year: 'numeric', month: 'long', day: 'numeric' },
  f: { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  F: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' },
};

export function localTime(at: Date, style: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { ...STYLES[style], timeZone }).format(at);
}

/** A time zone Intl knows (an IANA name such as Europe/Berlin), in its canonical spelling; undefined if unknown. */
export function knownTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** "in 20 seconds", "3 minutes ago", "now". */
export function relativeTime(deltaMs: number): string {
  const abs = Math.abs(deltaMs);
  if (abs < 1000) return 'now';
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  const [size, unit] = units.find(([ms]) => abs >= ms)!;
  const n = Math.round(abs / size);
  const amount = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return deltaMs > 0 ? `in ${amount}` : `${amount} ago`;
}

/** An exact length of time: "90 seconds", "5 minutes", "2 hours". */
export function duration(ms: number): string {
  const unit = ms % 3_600_000 === 0 ? { size: 3_600_000, name: 'hour' } : ms % 60_000 === 0 ? { size: 60_000, name: 'minute' } : { size: 1000, name: 'second' };
  const n = ms / unit.size;
  return `${n} ${unit.name}${n === 1 ? '' : 's'}`;
}

/** A message as terminal text; `where` names the channel or thread when it is not the one being viewed. */
export function renderForTerminal(message: VisibleMessage, options: { names: Names; now: Date; timeZone?: string; where?: Place; asNew?: boolean }): string {
  // A message first seen already edited (a deferred reply filled in, a quick update) is simply new to the viewer.
  const shown = options.asNew ? { ...message, edited: false } : message;
  const text = readable(renderMessage(shown), options.names, options.now, options.timeZone);
  if (!options.where) return text;
  return `${options.where.thread ? 'in thread' : 'in'} #${options.where.name}: ${text}`;
}

export function renderChange(change: Change, options: { names: Names; now: Date; timeZone?: string; currentPlaceId: string }): string {
  const where = change.place.id === options.currentPlaceId ? undefined : change.place;
  if (change.kind === 'deleted') {
    const location = where ? ` in #${where.name}` : '';
    return `(${change.message.author.username} deleted a message${location})`;
  }
  return renderForTerminal(change.message, { names: options.names, now: options.now, ...(options.timeZone ? { timeZone: options.timeZone } : {}), ...(where ? { where } : {}), asNew: change.kind === 'new' });
}
