// Watch parties as pure decisions: which event the schedule calls for, and the steps from the recorded one to it.
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { classifyEventError } from '../../src/discord/event-desk.js';
import { EVENT_DESCRIPTION_LIMIT, EVENT_NAME_LIMIT, eventDescription, eventName } from '../../src/discord/event-render.js';
import {
  MIN_START_AHEAD_MS,
  WATCH_PARTY_LEAD_MS,
  WATCH_PARTY_LENGTH_MS,
  planWatchParty,
  timingFor,
  wantedWatchParty,
  type RecordedEvent,
  type ScheduleFacts,
} from '../../src/rewatch/watch-party.js';

const NOW = new Date('2026-11-26T19:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const schedule = (over: Partial<ScheduleFacts> = {}): ScheduleFacts => ({ generation: 2, status: 'active', nextIndex: 1, nextRunAt: later(DAY), planLength: 6, ...over });
const recorded = (over: Partial<RecordedEvent> = {}): RecordedEvent => ({
  state: 'created',
  eventId: '900',
  generation: 2,
  episodeIndex: 1,
  startAt: later(DAY),
  endAt: later(DAY + WATCH_PARTY_LENGTH_MS),
  ...over,
});

describe('wantedWatchParty', () => {
  it.each([
    ['no schedule (stopped)', null, null, { kind: 'none' }],
    ['a paused schedule', schedule({ status: 'paused' }), recorded(), { kind: 'none' }],
    ['a finished schedule', schedule({ status: 'finished' }), null, { kind: 'none' }],
    ['a schedule past its last episode', schedule({ nextIndex: 6 }), null, { kind: 'none' }],
    ['a slot a day ahead', schedule(), null, { kind: 'event', ...timingFor(2, 1, later(DAY)) }],
    ['a slot exactly a week ahead', schedule({ nextRunAt: later(WATCH_PARTY_LEAD_MS) }), null, { kind: 'event', ...timingFor(2, 1, later(WATCH_PARTY_LEAD_MS)) }],
    ['a slot a week and a minute ahead', schedule({ nextRunAt: later(WATCH_PARTY_LEAD_MS + 60_000) }), null, { kind: 'later', at: later(60_000) }],
    ['a slot less than a minute ahead', schedule({ nextRunAt: later(MIN_START_AHEAD_MS - 1) }), null, { kind: 'none' }],
    ['a slot that has come, its event made', schedule({ nextRunAt: later(-1) }), recorded({ startAt: later(-1) }), { kind: 'event', ...timingFor(2, 1, later(-1)) }],
    ['a slot that has come, its event never confirmed', schedule({ nextRunAt: later(-1) }), recorded({ state: 'creating', eventId: null }), { kind: 'none' }],
    ['an event delayed three weeks (it follows)', schedule({ nextRunAt: later(3 * 7 * DAY) }), recorded(), { kind: 'event', ...timingFor(2, 1, later(3 * 7 * DAY)) }],
    ['a far slot and an event of the old run', schedule({ nextRunAt: later(3 * 7 * DAY) }), recorded({ generation: 1 }), { kind: 'later', at: later(2 * 7 * DAY) }],
  ])('GIVEN %s', (_what, facts, event, wanted) => {
    expect(wantedWatchParty(facts, event, NOW)).toEqual(wanted);
  });

  it('THEN a party lasts two hours from the slot', () => {
    expect(timingFor(1, 0, NOW)).toEqual({ generation: 1, episodeIndex: 0, startAt: NOW, endAt: later(2 * HOUR) });
  });
});

describe('planWatchParty', () => {
  const event = (startAt = later(DAY)) => ({ kind: 'event', ...timingFor(2, 1, startAt) }) as const;

  it('GIVEN nothing recorded and an event wanted THEN it is created', () => {
    expect(planWatchParty({ enabled: true, recorded: null, wanted: event(), recordedThreadId: null })).toEqual({
      steps: [{ kind: 'create', timing: timingFor(2, 1, later(DAY)), resume: false }],
      syncAt: null,
    });
  });

  it('GIVEN the wanted event recorded as it is THEN nothing happens', () => {
    expect(planWatchParty({ enabled: true, recorded: recorded(), wanted: event(), recordedThreadId: null }).steps).toEqual([]);
  });

  it('GIVEN the wanted event at another time (a delay) THEN it is moved', () => {
    expect(planWatchParty({ enabled: true, recorded: recorded(), wanted: event(later(8 * DAY)), recordedThreadId: null }).steps).toEqual([
      { kind: 'move', event: recorded(), timing: timingFor(2, 1, later(8 * DAY)) },
    ]);
  });

  it('GIVEN a create call that was never answered THEN the next attempt resumes it (looking for the event first)', () => {
    const pending = recorded({ state: 'creating', eventId: null });
    expect(planWatchParty({ enabled: true, recorded: pending, wanted: event(), recordedThreadId: null }).steps).toEqual([
      { kind: 'create', timing: timingFor(2, 1, later(DAY)), resume: true },
    ]);
  });

  it('GIVEN the recorded episode got its thread THEN its event is handed over to the thread and the next one created', () => {
    const next = { kind: 'event', ...timingFor(2, 2, later(7 * DAY)) } as const;
    expect(planWatchParty({ enabled: true, recorded: recorded(), wanted: next, recordedThreadId: '777' }).steps).toEqual([
      { kind: 'hand-over', event: recorded(), threadId: '777' },
      { kind: 'create', timing: timingFor(2, 2, later(7 * DAY)), resume: false },
    ]);
  });

  it('GIVEN a thread posted early whose party falls at the time the next episode now takes THEN that party goes, the next one is made', () => {
    const next = { kind: 'event', ...timingFor(2, 2, later(DAY)) } as const;
    expect(planWatchParty({ enabled: true, recorded: recorded(), wanted: next, recordedThreadId: '777' }).steps).toEqual([
      { kind: 'remove', event: recorded() },
      { kind: 'create', timing: timingFor(2, 2, later(DAY)), resume: false },
    ]);
  });

  it('GIVEN the recorded episode was skipped and the next slot is two weeks off THEN its event is removed and the next one waits', () => {
    expect(planWatchParty({ enabled: true, recorded: recorded(), wanted: { kind: 'later', at: later(7 * DAY) }, recordedThreadId: null })).toEqual({
      steps: [{ kind: 'remove', event: recorded() }],
      syncAt: later(7 * DAY),
    });
  });

  it('GIVEN events turned off THEN the recorded event is removed and nothing else is made', () => {
    expect(planWatchParty({ enabled: false, recorded: recorded(), wanted: event(), recordedThreadId: null })).toEqual({
      steps: [{ kind: 'remove', event: recorded() }],
      syncAt: null,
    });
  });
});

describe('watch-party wording and Discord errors', () => {
  const longTitle = { code: '7x25', title: 'What You Leave Behind '.repeat(8).trim() };

  it('GIVEN any title THEN the event name fits Discord\'s 100 characters and keeps the episode code', () => {
    const name = eventName({ episode: longTitle, index: 5, total: 6 });
    expect(name.length).toBeLessThanOrEqual(EVENT_NAME_LIMIT);
    expect(name).toMatch(/^Watch party 6\/6: What You Leave Behind .*… \(7x25\)$/);
    expect(eventName({ episode: { code: '7x20', title: 'The Changing Face of Evil' }, index: 0, total: 6 })).toBe('Watch party 1/6: The Changing Face of Evil (7x20)');
  });

  it('GIVEN a long plan name THEN the description fits 1000 characters', () => {
    const text = eventDescription({ episode: longTitle, index: 0, total: 6, planName: 'x'.repeat(2000), link: 'https://discord.com/channels/1/2' });
    expect(text.length).toBeLessThanOrEqual(EVENT_DESCRIPTION_LIMIT);
  });

  const apiError = (status: number, code: number) => new DiscordAPIError({ code, message: 'nope' }, code, status, 'POST', '/guilds/1/scheduled-events', {});
  it.each([
    ['403 Missing Permissions', apiError(403, 50013), 'not-allowed'],
    ['403 Missing Access', apiError(403, 50001), 'not-allowed'],
    ['400 Invalid Form Body', apiError(400, 50035), 'refused'],
    ['500', apiError(500, 0), 'retryable'],
    ['429', apiError(429, 0), 'retryable'],
    ['an HTTP 502 without JSON', new HTTPError(502, 'Bad Gateway', 'POST', '/x', {}), 'retryable'],
    ['a long rate limit', new RateLimitError({ timeToReset: 60_000, limit: 5, method: 'POST', hash: 'h', url: '/x', route: '/x', majorParameter: '1', global: false, retryAfter: 60_000, sublimitTimeout: 0, scope: 'user' }), 'retryable'],
    ['a network error', new Error('ECONNRESET'), 'retryable'],
  ])('GIVEN %s THEN the keeper treats it as %s', (_what, error, kind) => {
    expect(classifyEventError(error).failure.kind).toBe(kind);
  });
});
