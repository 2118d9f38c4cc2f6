// Guild scheduled events as Discord serves them (https://discord.com/developers/docs/resources/guild-scheduled-event):
// list, create, get, modify and delete, with Discord's permission rules and the checks its spec leaves out (a start
// in the past, an external event without an end or a location, a voice or stage event without its channel).
// Members' "Interested" is `markInterested`; user_count comes back with `?with_user_count=true`.
import { PermissionFlagsBits as P } from 'discord.js';
import * as spec from 'discord-api-spec/zod';
import * as z from 'zod/mini';
import { ApiError, invalidFormBody, missingPermissions, type FieldProblem } from './api-error.js';
import type { Core } from './core.js';
import type { BodyCheck } from './form-body.js';
import { hasAll } from './permissions.js';
import type { RouteDef, RouteRequest, RouteResult } from './rest.js';
import { userPayload } from './serialize.js';
import type { World } from './state.js';

type Json = Record<string, unknown>;

export const EventEntityType = { StageInstance: 1, Voice: 2, External: 3 } as const;
export const EventStatus = { Scheduled: 1, Active: 2, Completed: 3, Canceled: 4 } as const;
/** The intent that carries GUILD_SCHEDULED_EVENT_* dispatches. */
export const GUILD_SCHEDULED_EVENTS_INTENT = 1 << 16;
/** Discord keeps at most 100 scheduled or active events per server (error 30038). */
export const MAX_GUILD_EVENTS = 100;

export interface ScheduledEventRecord {
  id: string;
  guildId: string;
  channelId: string | null;
  creatorId: string;
  name: string;
  description: string | null;
  scheduledStartTime: string;
  scheduledEndTime: string | null;
  privacyLevel: number;
  status: number;
  entityType: number;
  location: string | null;
  /** members who pressed "Interested" */
  interested: Set<string>;
  deleted: boolean;
}

/** What a member (or a test) sees of an event: a snapshot. */
export interface VisibleScheduledEvent {
  id: string;
  guildId: string;
  name: string;
  description: string | null;
  start: Date;
  end: Date | null;
  /** 1 stage, 2 voice, 3 external */
  entityType: number;
  channelId: string | null;
  location: string | null;
  /** 1 scheduled, 2 active, 3 completed, 4 canceled */
  status: number;
  creatorId: string;
  interested: number;
}

const stores = new WeakMap<World, Map<string, ScheduledEventRecord>>();

/** Every event of the stand-in's world, deleted ones included (flagged). */
export function scheduledEventsOf(world: World): Map<string, ScheduledEventRecord> {
  let store = stores.get(world);
  if (!store) {
    store = new Map();
    stores.set(world, store);
  }
  return store;
}

/** Discord moves an external event to COMPLETED once its end time has passed. */
function statusNow(core: Core, event: ScheduledEventRecord): number {
  if (
    event.entityType === EventEntityType.External &&
    (event.status === EventStatus.Scheduled || event.status === EventStatus.Active) &&
    event.scheduledEndTime !== null &&
    Date.parse(event.scheduledEndTime) <= core.now()
  ) {
    return EventStatus.Completed;
  }
  return event.status;
}

/** The server's events a member sees in its Events list: scheduled and active ones, soonest first. */
export function listedEvents(core: Core, guildId: string): ScheduledEventRecord[] {
  return [...scheduledEventsOf(core.world).values()]
    .filter((e) => e.guildId === guildId && !e.deleted && [EventStatus.Scheduled, EventStatus.Active].includes(statusNow(core, e) as 1 | 2))
    .sort((a, b) => Date.parse(a.scheduledStartTime) - Date.parse(b.scheduledStartTime) || (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

export function visibleEvent(core: Core, event: ScheduledEventRecord): VisibleScheduledEvent {
  return {
    id: event.id,
    guildId: event.guildId,
    name: event.name,
    description: event.description,
    start: new Date(event.scheduledStartTime),
    end: event.scheduledEndTime === null ? null : new Date(event.scheduledEndTime),
    entityType: event.entityType,
    channelId: event.channelId,
    location: event.location,
    status: statusNow(core, event),
    creatorId: event.creatorId,
    interested: event.interested.size,
  };
}

export function eventPayload(core: Core, event: ScheduledEventRecord, withUserCount = false): Json {
  const creator = core.world.users.get(event.creatorId);
  return {
    id: event.id,
    guild_id: event.guildId,
    channel_id: event.channelId,
    creator_id: event.creatorId,
    ...(creator ? { creator: userPayload(creator) } : {}),
    name: event.name,
    description: event.description,
    scheduled_start_time: event.scheduledStartTime,
    scheduled_end_time: event.scheduledEndTime,
    privacy_level: event.privacyLevel,
    status: statusNow(core, event),
    entity_type: event.entityType,
    entity_id: null,
    entity_metadata: event.entityType === EventEntityType.External ? { location: event.location } : null,
    image: null,
    recurrence_rule: null,
    ...(withUserCount ? { user_count: event.interested.size } : {}),
  };
}

/** A member presses "Interested" (or takes it back); Discord then reminds them when the event starts. */
export function markInterested(core: Core, input: { eventId: string; userId: string; interested?: boolean }): void {
  const event = scheduledEventsOf(core.world).get(input.eventId);
  if (!event || event.deleted) throw new Error(`Unknown scheduled event ${input.eventId}`);
  if (!core.world.member(event.guildId, input.userId)) throw new Error(`User ${input.userId} is not in guild ${event.guildId}`);
  if (input.interested === false) event.interested.delete(input.userId);
  else event.interested.add(input.userId);
}

// ---- request bodies -----------------------------------------------------------------------------

const CREATE: BodyCheck = {
  schema: z.union([spec.ExternalScheduledEventCreateRequestSchema, spec.StageScheduledEventCreateRequestSchema, spec.VoiceScheduledEventCreateRequestSchema]),
};
const PATCH_BY_TYPE: Record<number, BodyCheck> = {
  [EventEntityType.External]: { schema: spec.ExternalScheduledEventPatchRequestPartialSchema },
  [EventEntityType.StageInstance]: { schema: spec.StageScheduledEventPatchRequestPartialSchema },
  [EventEntityType.Voice]: { schema: spec.VoiceScheduledEventPatchRequestPartialSchema },
};

// ---- routes -------------------------------------------------------------------------------------

interface Deps {
  core: Core;
}

const unknownEvent = (): ApiError => new ApiError(404, 10070, 'Unknown Guild Scheduled Event');

export const SCHEDULED_EVENT_ROUTES: readonly RouteDef<Deps>[] = [
  { method: 'GET', path: '/guilds/:id/scheduled-events', handle: listEvents },
  { method: 'POST', path: '/guilds/:id/scheduled-events', body: CREATE, handle: createEvent },
  { method: 'GET', path: '/guilds/:id/scheduled-events/:id', handle: getEvent },
  { method: 'PATCH', path: '/guilds/:id/scheduled-events/:id', body: patchBody, handle: modifyEvent },
  { method: 'DELETE', path: '/guilds/:id/scheduled-events/:id', handle: deleteEvent },
];

function guildOf(core: Core, req: RouteRequest): string {
  const guild = core.world.guilds.get(req.params[0] ?? '');
  if (!guild || guild.deleted) throw new ApiError(404, 10004, 'Unknown Guild');
  return guild.id;
}

function eventOf(core: Core, req: RouteRequest): ScheduledEventRecord {
  const guildId = guildOf(core, req);
  const event = scheduledEventsOf(core.world).get(req.params[1] ?? '');
  if (!event || event.deleted || event.guildId !== guildId) throw unknownEvent();
  return event;
}

function listEvents({ core }: Deps, req: RouteRequest): RouteResult {
  const guildId = guildOf(core, req);
  const withCount = req.query.get('with_user_count') === 'true';
  return { status: 200, body: listedEvents(core, guildId).map((e) => eventPayload(core, e, withCount)) };
}

function getEvent({ core }: Deps, req: RouteRequest): RouteResult {
  const event = eventOf(core, req);
  return { status: 200, body: eventPayload(core, event, req.query.get('with_user_count') === 'true') };
}

/**
 * Who may do what (Discord's docs): creating needs Create Events (or Manage Events); changing or deleting an
 * event needs Create Events for one the bot made itself, Manage Events for anyone else's. A voice event also
 * needs View Channel and Connect in its channel; a stage event Manage Channels, Mute Members and Move Members.
 */
function requireEventPermissions(core: Core, guildId: string, target: { channelId: string | null; entityType: number; creatorId?: string }): void {
  const channel = target.channelId ? core.world.channels.get(target.channelId) : undefined;
  const perms = channel ? core.permissionsIn(channel, core.botUserId) : core.guildPermissions(guildId, core.botUserId);
  const own = target.creatorId === undefined || target.creatorId === core.botUserId;
  const allowed = hasAll(perms, P.ManageEvents) || (own && hasAll(perms, P.CreateEvents));
  if (!allowed) throw missingPermissions();
  if (target.entityType === EventEntityType.Voice && !hasAll(perms, P.ViewChannel | P.Connect)) throw missingPermissions();
  if (target.entityType === EventEntityType.StageInstance && !hasAll(perms, P.ManageChannels | P.MuteMembers | P.MoveMembers)) throw missingPermissions();
}

/** The rules the spec leaves out; `fields` is the event as it would be after the request. */
function eventRules(core: Core, guildId: string, fields: Omit<ScheduledEventRecord, 'id' | 'guildId' | 'creatorId' | 'interested' | 'deleted'>, changedStart: boolean): void {
  const problems: FieldProblem[] = [];
  const start = Date.parse(fields.scheduledStartTime);
  const end = fields.scheduledEndTime === null ? null : Date.parse(fields.scheduledEndTime);
  if (changedStart && fields.status === EventStatus.Scheduled && start <= core.now()) {
    problems.push({ path: 'scheduled_start_time', code: 'GUILD_SCHEDULED_EVENT_SCHEDULE_PAST', message: 'Cannot schedule event in the past.' });
  }
  if (end !== null && end <= start) {
    problems.push({ path: 'scheduled_end_time', code: 'GUILD_SCHEDULED_EVENT_END_BEFORE_START', message: 'Cannot schedule event to end before starting.' });
  }
  if (fields.entityType === EventEntityType.External) {
    if (end === null) problems.push({ path: 'scheduled_end_time', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    if (!fields.location) problems.push({ path: 'entity_metadata.location', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    if (fields.channelId !== null) problems.push({ path: 'channel_id', code: 'CHANNEL_ID_MUST_BE_NULL', message: 'Channel must be null for external events.' });
  } else {
    const channel = fields.channelId ? core.world.channels.get(fields.channelId) : undefined;
    const wantedType = fields.entityType === EventEntityType.Voice ? 2 : 13;
    if (!fields.channelId) problems.push({ path: 'channel_id', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    else if (!channel || channel.deleted || channel.guildId !== guildId || channel.type !== wantedType) {
      problems.push({ path: 'channel_id', code: 'CHANNEL_TYPE_INVALID', message: `Channel must be a ${wantedType === 2 ? 'voice' : 'stage'} channel of this server.` });
    }
  }
  if (problems.length > 0) throw invalidFormBody(problems);
}

function createEvent({ core }: Deps, req: RouteRequest): RouteResult {
  const guildId = guildOf(core, req);
  const body = req.body.json;
  const entityType = body['entity_type'] as number;
  const channelId = typeof body['channel_id'] === 'string' ? body['channel_id'] : null;
  const fields = {
    channelId,
    name: body['name'] as string,
    description: typeof body['description'] === 'string' ? body['description'] : null,
    scheduledStartTime: new Date(body['scheduled_start_time'] as string).toISOString(),
    scheduledEndTime: typeof body['scheduled_end_time'] === 'string' ? new Date(body['scheduled_end_time']).toISOString() : null,
    privacyLevel: body['privacy_level'] as number,
    status: EventStatus.Scheduled,
    entityType,
    location: entityType === EventEntityType.External ? String((body['entity_metadata'] as Json | undefined)?.['location'] ?? '') : null,
  };
  // Like Discord, the form body is checked before the permissions.
  eventRules(core, guildId, fields, true);
  requireEventPermissions(core, guildId, { channelId, entityType });
  if (listedEvents(core, guildId).length >= MAX_GUILD_EVENTS) throw new ApiError(400, 30038, 'Maximum number of guild events reached');
  const event: ScheduledEventRecord = { ...fields, id: core.ids.next(), guildId, creatorId: core.botUserId, interested: new Set(), deleted: false };
  scheduledEventsOf(core.world).set(event.id, event);
  dispatch(core, 'GUILD_SCHEDULED_EVENT_CREATE', event);
  return { status: 200, body: eventPayload(core, event) };
}

/** Discord reads a PATCH by the type the event will have: the one in the body, or the event's own. */
function patchBody({ core }: Deps, req: RouteRequest): BodyCheck {
  const wanted = req.body.json['entity_type'];
  const existing = scheduledEventsOf(core.world).get(req.params[1] ?? '');
  const type = typeof wanted === 'number' ? wanted : (existing?.entityType ?? EventEntityType.External);
  return PATCH_BY_TYPE[type] ?? PATCH_BY_TYPE[EventEntityType.External]!;
}

/** SCHEDULED may become ACTIVE or CANCELED, ACTIVE only COMPLETED; nothing else. */
const STATUS_MOVES: Record<number, readonly number[]> = {
  [EventStatus.Scheduled]: [EventStatus.Active, EventStatus.Canceled],
  [EventStatus.Active]: [EventStatus.Completed],
};

function modifyEvent({ core }: Deps, req: RouteRequest): RouteResult {
  const event = eventOf(core, req);
  const body = req.body.json;
  const status = statusNow(core, event);
  const nextType = typeof body['entity_type'] === 'number' ? body['entity_type'] : event.entityType;
  const nextChannel = 'channel_id' in body ? ((body['channel_id'] as string | null | undefined) ?? null) : nextType === EventEntityType.External ? null : event.channelId;
  requireEventPermissions(core, event.guildId, { channelId: event.channelId, entityType: event.entityType, creatorId: event.creatorId });
  if (nextChannel !== event.channelId || nextType !== event.entityType) {
    requireEventPermissions(core, event.guildId, { channelId: nextChannel, entityType: nextType, creatorId: event.creatorId });
  }
  if (status === EventStatus.Completed || status === EventStatus.Canceled) {
    throw new ApiError(400, 180000, 'Cannot update event that has already ended or been canceled');
  }
  const nextStatus = typeof body['status'] === 'number' ? body['status'] : status;
  if (nextStatus !== status && !(STATUS_MOVES[status] ?? []).includes(nextStatus)) {
    throw invalidFormBody([{ path: 'status', code: 'GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION', message: 'Invalid status transition.' }]);
  }
  const metadata = body['entity_metadata'] as Json | null | undefined;
  const fields = {
    channelId: nextChannel,
    name: typeof body['name'] === 'string' ? body['name'] : event.name,
    description: 'description' in body ? ((body['description'] as string | null | undefined) ?? null) : event.description,
    scheduledStartTime: typeof body['scheduled_start_time'] === 'string' ? new Date(body['scheduled_start_time']).toISOString() : event.scheduledStartTime,
    scheduledEndTime:
      'scheduled_end_time' in body
        ? typeof body['scheduled_end_time'] === 'string'
          ? new Date(body['scheduled_end_time']).toISOString()
          : null
        : event.scheduledEndTime,
    privacyLevel: typeof body['privacy_level'] === 'number' ? body['privacy_level'] : event.privacyLevel,
    status: nextStatus,
    entityType: nextType,
    location: nextType !== EventEntityType.External ? null : typeof metadata?.['location'] === 'string' ? metadata['location'] : event.location,
  };
  eventRules(core, event.guildId, fields, typeof body['scheduled_start_time'] === 'string');
  Object.assign(event, fields);
  dispatch(core, 'GUILD_SCHEDULED_EVENT_UPDATE', event);
  return { status: 200, body: eventPayload(core, event) };
}

function deleteEvent({ core }: Deps, req: RouteRequest): RouteResult {
  const event = eventOf(core, req);
  requireEventPermissions(core, event.guildId, { channelId: event.channelId, entityType: event.entityType, creatorId: event.creatorId });
  event.deleted = true;
  dispatch(core, 'GUILD_SCHEDULED_EVENT_DELETE', event);
  return { status: 204 };
}

function dispatch(core: Core, name: string, event: ScheduledEventRecord): void {
  core.gateway.dispatch(name, eventPayload(core, event), { guildId: event.guildId, intent: GUILD_SCHEDULED_EVENTS_INTENT });
}
