// Watch parties: the one Discord scheduled event a server's rewatch keeps for its next episode, decided as pure
// functions over the schedule and the event the bot last recorded. No Discord, no wording, no database here.
//
// The rules:
// - The next episode's event exists from a week before its slot (at once after setup or a thread, since slots are
//   a week apart), starts at the schedule's slot (in the server's time zone, as the schedule computes it) and lasts
//   WATCH_PARTY_LENGTH_MS.
// - Once it exists it follows the schedule: a delay moves it however far; a skip, a pause, a stop or a new setup
//   removes it.
// - When its episode's thread is posted, the event is pointed at the thread and let go (it is the party going on
//   now); the next episode's event takes its place.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The next episode's event is created this long before its slot. */
export const WATCH_PARTY_LEAD_MS = 7 * DAY_MS;
/** How long a watch party lasts: an episode and the talk after it. */
export const WATCH_PARTY_LENGTH_MS = 2 * HOUR_MS;
/** Discord refuses a start in the past: an event is only created while its slot is at least this far ahead. */
export const MIN_START_AHEAD_MS = MINUTE_MS;
/** After a temporary failure (Discord down, rate limited) the keeper tries again this much later. */
export const WATCH_PARTY_RETRY_MS = 5 * MINUTE_MS;

/** Where the parties take place: external (the event shows a link to the discussion), or a voice or stage channel. */
export type WatchPartyPlace = { kind: 'external' } | { kind: 'voice' | 'stage'; channelId: string };

/** What the keeper needs to know of the schedule. */
export interface ScheduleFacts {
  generation: number;
  status: 'active' | 'paused' | 'finished';
  nextIndex: number;
  nextRunAt: Date;
  planLength: number;
}

/** The event the bot last recorded for the server ('creating': the create call went out, its answer never came). */
export interface RecordedEvent {
  state: 'creating' | 'created';
  eventId: string | null;
  generation: number;
  episodeIndex: number;
  startAt: Date;
  endAt: Date;
}

export interface EventTiming {
  generation: number;
  episodeIndex: number;
  startAt: Date;
  endAt: Date;
}

export type WantedEvent =
  /** No event now (no schedule, paused, finished, or the slot is too close to create one). */
  | { kind: 'none' }
  /** The next episode's event is created at `at`, a week before its slot. */
  | { kind: 'later'; at: Date }
  | ({ kind: 'event' } & EventTiming);

export function timingFor(generation: number, episodeIndex: number, startAt: Date): EventTiming {
  return { generation, episodeIndex, startAt, endAt: new Date(startAt.getTime() + WATCH_PARTY_LENGTH_MS) };
}

function isFor(event: Pick<RecordedEvent, 'generation' | 'episodeIndex'>, generation: number, episodeIndex: number): boolean {
  return event.generation === generation && event.episodeIndex === episodeIndex;
}

/** The event the schedule calls for now, given the one already recorded. */
export function wantedWatchParty(schedule: ScheduleFacts | null, recorded: RecordedEvent | null, now: Date): WantedEvent {
  if (!schedule || schedule.status !== 'active' || schedule.nextIndex >= schedule.planLength) return { kind: 'none' };
  const timing = timingFor(schedule.generation, schedule.nextIndex, schedule.nextRunAt);
  const ahead = schedule.nextRunAt.getTime() - now.getTime();
  // An event that exists follows its slot wherever it goes; a recorded one whose slot has come keeps waiting for its thread.
  if (recorded && isFor(recorded, schedule.generation, schedule.nextIndex) && (ahead >= MIN_START_AHEAD_MS || recorded.state === 'created')) {
    return { kind: 'event', ...timing };
  }
  if (ahead > WATCH_PARTY_LEAD_MS) return { kind: 'later', at: new Date(schedule.nextRunAt.getTime() - WATCH_PARTY_LEAD_MS) };
  if (ahead < MIN_START_AHEAD_MS) return { kind: 'none' };
  return { kind: 'event', ...timing };
}

export type WatchPartyStep =
  /** The recorded event's episode has its thread now: point the event at it, then stop keeping it. */
  | { kind: 'hand-over'; event: RecordedEvent; threadId: string }
  /** The recorded event is no longer wanted (skipped, paused, stopped, replaced): delete it. */
  | { kind: 'remove'; event: RecordedEvent }
  /** Create the wanted event (after looking for one an unanswered earlier attempt made, when `resume`). */
  | { kind: 'create'; timing: EventTiming; resume: boolean }
  /** The recorded event is the wanted one at another time (a delay): move it. */
  | { kind: 'move'; event: RecordedEvent; timing: EventTiming };

export interface WatchPartyPlan {
  steps: WatchPartyStep[];
  /** When the keeper should look again without being asked (null: at the next post or command). */
  syncAt: Date | null;
}

/**
 * What to do to get from the recorded event to the wanted one. `recordedThreadId` is the thread of the recorded
 * event's episode, when that episode's thread has been posted in the recorded event's schedule run.
 */
export function planWatchParty(input: { enabled: boolean; recorded: RecordedEvent | null; wanted: WantedEvent; recordedThreadId: string | null }): WatchPartyPlan {
  const { recorded, recordedThreadId } = input;
  const wanted: WantedEvent = input.enabled ? input.wanted : { kind: 'none' };
  const steps: WatchPartyStep[] = [];
  const keeps = recorded !== null && wanted.kind === 'event' && isFor(recorded, wanted.generation, wanted.episodeIndex);
  // A thread posted early (on request) can leave its party at the very time the next episode's now takes: one goes.
  const clashes = recorded !== null && wanted.kind === 'event' && recorded.startAt.getTime() === wanted.startAt.getTime();
  if (recorded && !keeps) {
    steps.push(recordedThreadId && !clashes ? { kind: 'hand-over', event: recorded, threadId: recordedThreadId } : { kind: 'remove', event: recorded });
  }
  if (wanted.kind === 'event') {
    const timing: EventTiming = { generation: wanted.generation, episodeIndex: wanted.episodeIndex, startAt: wanted.startAt, endAt: wanted.endAt };
    if (!keeps) steps.push({ kind: 'create', timing, resume: false });
    else if (recorded.state === 'creating') steps.push({ kind: 'create', timing, resume: true });
    else if (recorded.startAt.getTime() !== timing.startAt.getTime() || recorded.endAt.getTime() !== timing.endAt.getTime()) {
      steps.push({ kind: 'move', event: recorded, timing });
    }
  }
  return { steps, syncAt: wanted.kind === 'later' ? wanted.at : null };
}
