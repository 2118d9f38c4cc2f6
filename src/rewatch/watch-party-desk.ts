// The port through which the watch-party keeper speaks to Discord's scheduled events, and the words it needs.
// src/discord/event-desk.ts implements the desk over REST, src/discord/event-render.ts the texts. No discord.js here.
import type { Episode } from '../content/index.js';
import type { WatchPartyPlace } from './watch-party.js';

/** Why an event call failed, in the kinds the keeper treats differently. */
export type WatchPartyFailure =
  /** Rate limited, Discord having a bad moment, or the network: try again a little later. */
  | { kind: 'retryable'; detail: string }
  /** The bot may not manage events (or use the party's channel): only the events pause, until a moderator fixes it. */
  | { kind: 'not-allowed' }
  /** Discord refused the event itself (a channel that is gone, a server at its event limit): recorded, shown in status. */
  | { kind: 'refused'; detail: string };

export class WatchPartyError extends Error {
  constructor(readonly failure: WatchPartyFailure) {
    super(failure.kind === 'not-allowed' ? 'not allowed to manage events' : failure.detail);
    this.name = 'WatchPartyError';
  }
}

/** An event as the keeper asks for it. */
export interface EventSpec {
  name: string;
  description: string;
  startAt: Date;
  endAt: Date;
  place: WatchPartyPlace;
  /** For an external event, its location: the discussion's link. */
  link: string;
}

export interface EventDesk {
  /** Creates the event; resolves to its id. */
  create(guildId: string, spec: EventSpec): Promise<string>;
  /**
   * Changes only the fields given (a start that has passed is never sent again); `link` becomes an external event's
   * location, so `place` says which kind the event is. False when the event no longer exists.
   */
  update(guildId: string, eventId: string, changes: Partial<EventSpec>): Promise<boolean>;
  /** Deletes the event; an event that is already gone counts as deleted. */
  remove(guildId: string, eventId: string): Promise<void>;
  /**
   * An event the bot itself made that starts exactly at `startAt` (one an unanswered create call left behind), and
   * has `name` when given (the name may be unknown once the schedule is gone; the bot keeps one event per server).
   */
  findOwn(guildId: string, startAt: Date, name?: string): Promise<string | null>;
}

export interface WatchPartyEventInput {
  episode: Pick<Episode, 'code' | 'title'>;
  /** 0-based position in the plan. */
  index: number;
  total: number;
  planName: string;
  /** Where the episode is discussed: the rewatch channel, then the episode's thread. */
  link: string;
}

/** Why the events are paused or what went wrong last, as facts; worded by the texts. */
export type WatchPartyNote = { code: 'not-allowed'; place: WatchPartyPlace } | { code: 'retrying'; detail: string } | { code: 'refused'; detail: string };

export interface WatchPartyTexts {
  eventName(input: Pick<WatchPartyEventInput, 'episode' | 'index' | 'total'>): string;
  eventDescription(input: WatchPartyEventInput): string;
  channelLink(guildId: string, channelId: string): string;
  /** Told in the rewatch channel when the events pause themselves: what a moderator has to do. */
  pausedNotice(note: WatchPartyNote): string;
  note(note: WatchPartyNote): string;
}
