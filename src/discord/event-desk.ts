// The Discord side of the watch parties: the EventDesk port over discord.js REST (guild scheduled events), and
// the mapping from Discord's errors to what the keeper does about them (retry later, pause the events, record).
import {
  DiscordAPIError,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  HTTPError,
  RateLimitError,
  REST,
  Routes,
  type APIGuildScheduledEvent,
  type RESTPatchAPIGuildScheduledEventJSONBody,
  type RESTPostAPIGuildScheduledEventJSONBody,
} from 'discord.js';
import type { WatchPartyPlace } from '../rewatch/watch-party.js';
import { WatchPartyError, type EventDesk, type EventSpec } from '../rewatch/watch-party-desk.js';

export const UNKNOWN_SCHEDULED_EVENT = 10070;
const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;

/** Shown in the server's audit log for every event change the bot makes. */
export const EVENT_AUDIT_REASON = 'DS9 rewatch: watch party for the next episode';

/** Turns whatever an event call threw into the keeper's kinds of failure. */
export function classifyEventError(error: unknown): WatchPartyError {
  if (error instanceof WatchPartyError) return error;
  if (error instanceof RateLimitError) return new WatchPartyError({ kind: 'retryable', detail: `rate limited for ${Math.ceil(error.retryAfter / 1000)} s` });
  if (error instanceof DiscordAPIError) {
    if (error.status === 429 || error.status >= 500) return new WatchPartyError({ kind: 'retryable', detail: `Discord error ${error.status}` });
    if (error.status === 403 || error.code === MISSING_PERMISSIONS || error.code === MISSING_ACCESS) return new WatchPartyError({ kind: 'not-allowed' });
    return new WatchPartyError({ kind: 'refused', detail: `error ${error.code}: ${error.message}`.slice(0, 300) });
  }
  if (error instanceof HTTPError) {
    if (error.status === 429 || error.status >= 500) return new WatchPartyError({ kind: 'retryable', detail: `Discord error ${error.status}` });
    if (error.status === 403) return new WatchPartyError({ kind: 'not-allowed' });
    return new WatchPartyError({ kind: 'refused', detail: `HTTP ${error.status}` });
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new WatchPartyError({ kind: 'retryable', detail: `could not reach Discord (${detail.slice(0, 120)})` });
}

async function attempt<T>(call: () => Promise<unknown>): Promise<T> {
  try {
    return (await call()) as T;
  } catch (error) {
    throw classifyEventError(error);
  }
}

const isUnknownEvent = (error: unknown) => error instanceof DiscordAPIError && error.code === UNKNOWN_SCHEDULED_EVENT;

function entityOf(place: WatchPartyPlace, link: string) {
  switch (place.kind) {
    case 'external':
      return { entity_type: GuildScheduledEventEntityType.External, entity_metadata: { location: link } } as const;
    case 'voice':
      return { entity_type: GuildScheduledEventEntityType.Voice, channel_id: place.channelId } as const;
    case 'stage':
      return { entity_type: GuildScheduledEventEntityType.StageInstance, channel_id: place.channelId } as const;
  }
}

export class DiscordEventDesk implements EventDesk {
  /** `rest` is `rewatchRest(client.rest, token)`: no blind retries (the keeper looks for its event first). */
  constructor(
    private readonly rest: REST,
    private readonly botUserId: () => string,
  ) {}

  async create(guildId: string, spec: EventSpec): Promise<string> {
    const body: RESTPostAPIGuildScheduledEventJSONBody = {
      name: spec.name,
      description: spec.description,
      scheduled_start_time: spec.startAt.toISOString(),
      scheduled_end_time: spec.endAt.toISOString(),
      privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
      ...entityOf(spec.place, spec.link),
    };
    const event = await attempt<APIGuildScheduledEvent>(() => this.rest.post(Routes.guildScheduledEvents(guildId), { body, reason: EVENT_AUDIT_REASON }));
    return event.id;
  }

  async update(guildId: string, eventId: string, changes: Partial<EventSpec>): Promise<boolean> {
    const body: RESTPatchAPIGuildScheduledEventJSONBody = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.startAt ? { scheduled_start_time: changes.startAt.toISOString() } : {}),
      ...(changes.endAt ? { scheduled_end_time: changes.endAt.toISOString() } : {}),
      ...(changes.link !== undefined && changes.place?.kind === 'external' ? { entity_metadata: { location: changes.link } } : {}),
    };
    try {
      await this.rest.patch(Routes.guildScheduledEvent(guildId, eventId), { body, reason: EVENT_AUDIT_REASON });
      return true;
    } catch (error) {
      if (isUnknownEvent(error)) return false;
      throw classifyEventError(error);
    }
  }

  async remove(guildId: string, eventId: string): Promise<void> {
    try {
      await this.rest.delete(Routes.guildScheduledEvent(guildId, eventId), { reason: EVENT_AUDIT_REASON });
    } catch (error) {
      if (isUnknownEvent(error)) return;
      throw classifyEventError(error);
    }
  }

  async findOwn(guildId: string, startAt: Date, name?: string): Promise<string | null> {
    const events = await attempt<APIGuildScheduledEvent[]>(() => this.rest.get(Routes.guildScheduledEvents(guildId)));
    const me = this.botUserId();
    return events.find((e) => e.creator_id === me && Date.parse(e.scheduled_start_time) === startAt.getTime() && (name === undefined || e.name === name))?.id ?? null;
  }
}
