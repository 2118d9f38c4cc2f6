import { PermissionFlagsBits as P } from 'discord.js';
import {
  ApiError,
  archivedThread,
  invalidFormBody,
  missingAccess,
  missingPermissions,
  unknownGuild,
  unknownMember,
  unknownMessage,
  unknownUser,
} from './api-error.js';
import type { CommandStore } from './commands.js';
import type { Core } from './core.js';
import type { BodyCheck } from './form-body.js';
import { AuditLogEvent, auditReason, editForum, recordAudit, startForumPost, threadBodyFor } from './forums.js';
import type { Interactions } from './interactions.js';
import type { NonceStore } from './nonces.js';
import { addReaction, emojiKey, removeAllReactions, removeReaction } from './reactions.js';
import { hasAll } from './permissions.js';
import { BODY } from './request-bodies.js';
import { SCHEDULED_EVENT_ROUTES } from './scheduled-events.js';
import type { RouteDef, RouteRequest, RouteResult } from './rest.js';
import { channelPayload, guildPayload, memberPayload, messagePayload, rolePayload, userPayload } from './serialize.js';
import { isThreadType, type ChannelRecord, type MessageRecord } from './state.js';

type Json = Record<string, unknown>;

export interface RouteDeps {
  core: Core;
  interactions: Interactions;
  commands: CommandStore;
  nonces: NonceStore;
}

type Route = RouteDef<RouteDeps>;

/**
 * Every REST endpoint the stand-in serves. In paths `:id` is a snowflake (or `@original`), `:token` and `:any` any
 * one segment; `body` is what Discord accepts there (request-bodies.ts); routes are bot-token only unless `auth: false`.
 */
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/gateway', auth: false, handle: gateway },
  { method: 'GET', path: '/gateway/bot', handle: gatewayBot },
  { method: 'GET', path: '/users/@me', handle: currentUser },
  { method: 'GET', path: '/users/:id', handle: user },
  { method: 'GET', path: '/applications/@me', handle: currentApplication },
  ...commandRoutes('/applications/:id/commands', false),
  ...commandRoutes('/applications/:id/guilds/:id/commands', true),
  { method: 'POST', path: '/interactions/:id/:token/callback', auth: false, body: BODY.callback, handle: interactionCallback },
  { method: 'POST', path: '/webhooks/:id/:token', auth: false, body: BODY.webhookMessage, handle: followUp },
  { method: 'GET', path: '/webhooks/:id/:token/messages/:id', auth: false, handle: webhookMessage },
  { method: 'PATCH', path: '/webhooks/:id/:token/messages/:id', auth: false, body: BODY.webhookMessageEdit, handle: editWebhookMessage },
  { method: 'DELETE', path: '/webhooks/:id/:token/messages/:id', auth: false, handle: deleteWebhookMessage },
  { method: 'GET', path: '/channels/:id', handle: channel },
  { method: 'PATCH', path: '/channels/:id', body: channelEditBody, handle: editChannel },
  { method: 'DELETE', path: '/channels/:id', handle: deleteChannel },
  { method: 'POST', path: '/channels/:id/typing', handle: typing },
  { method: 'POST', path: '/channels/:id/messages', body: BODY.message, handle: createMessage },
  { method: 'GET', path: '/channels/:id/messages', handle: messages },
  { method: 'GET', path: '/channels/:id/messages/:id', handle: message },
  { method: 'PATCH', path: '/channels/:id/messages/:id', body: BODY.messageEdit, handle: editMessage },
  { method: 'DELETE', path: '/channels/:id/messages/:id', handle: deleteMessage },
  { method: 'PUT', path: '/channels/:id/messages/:id/reactions/:any/@me', handle: react },
  { method: 'DELETE', path: '/channels/:id/messages/:id/reactions/:any/@me', handle: unreact },
  { method: 'DELETE', path: '/channels/:id/messages/:id/reactions/:any/:id', handle: removeMemberReaction },
  { method: 'DELETE', path: '/channels/:id/messages/:id/reactions', handle: clearReactions },
  { method: 'GET', path: '/channels/:id/messages/:id/reactions/:any', handle: reactionUsers },
  { method: 'POST', path: '/channels/:id/messages/:id/threads', body: BODY.threadFromMessage, handle: startThreadFromMessage },
  { method: 'POST', path: '/channels/:id/threads', body: ({ core }, req) => threadBodyFor(core.world.channels.get(param(req, 0))), handle: startThread },
  { method: 'PUT', path: '/channels/:id/thread-members/@me', handle: joinThread },
  { method: 'GET', path: '/guilds/:id', handle: guild },
  { method: 'GET', path: '/guilds/:id/channels', handle: guildChannels },
  { method: 'GET', path: '/guilds/:id/threads/active', handle: activeThreads },
  { method: 'GET', path: '/guilds/:id/roles', handle: roles },
  { method: 'GET', path: '/guilds/:id/members/:id', handle: member },
  { method: 'GET', path: '/guilds/:id/members', handle: members },
  ...SCHEDULED_EVENT_ROUTES,
];

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
const noContent = (): RouteResult => ({ status: 204 });

function param(req: RouteRequest, i: number): string {
  return req.params[i] ?? '';
}

function guildForBot(core: Core, id: string): string {
  const found = core.world.guilds.get(id);
  if (!found || found.deleted) throw unknownGuild();
  return found.id;
}

function messageIn(core: Core, channelRecord: ChannelRecord, id: string): MessageRecord {
  const m = core.world.messages.get(id);
  if (!m || m.deleted || m.channelId !== channelRecord.id || m.visibleTo !== null) throw unknownMessage();
  return m;
}

// ---- gateway, users, application ----------------------------------------------------------

function gateway({ core }: RouteDeps): RouteResult {
  return ok({ url: core.baseUrl.replace(/^http/, 'ws') });
}

function gatewayBot({ core }: RouteDeps): RouteResult {
  return ok({
    url: core.baseUrl.replace(/^http/, 'ws'),
    shards: 1,
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
  });
}

function currentUser({ core }: RouteDeps): RouteResult {
  return ok({ ...userPayload(core.world.users.get(core.botUserId)!), verified: true, mfa_enabled: false });
}

function user({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const found = core.world.users.get(param(req, 0));
  if (!found) throw unknownUser();
  return ok(userPayload(found));
}

function currentApplication({ core }: RouteDeps): RouteResult {
  return ok({
    id: core.applicationId,
    name: 'DS9 Rewatch Bot',
    icon: null,
    description: 'Trivia and rewatch threads',
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    bot: userPayload(core.world.users.get(core.botUserId)!),
    owner: { id: core.ids.next(), username: 'owner', discriminator: '0', avatar: null, global_name: null },
    team: null,
    approximate_guild_count: [...core.world.guilds.values()].filter((g) => !g.deleted).length,
    summary: '',
  });
}

// ---- application commands -----------------------------------------------------------------

/** The six command routes under `base`, global or per guild. */
function commandRoutes(base: string, guildScoped: boolean): Route[] {
  const scope = ({ core }: RouteDeps, req: RouteRequest): string => {
    if (param(req, 0) !== core.applicationId) throw missingAccess();
    return guildScoped ? guildForBot(core, param(req, 1)) : 'global';
  };
  const id = (req: RouteRequest): string => param(req, guildScoped ? 2 : 1);
  return [
    { method: 'GET', path: base, handle: (d, req) => ok(d.commands.list(scope(d, req))) },
    { method: 'PUT', path: base, body: BODY.commands, handle: (d, req) => ok(d.commands.overwrite(scope(d, req), req.body.json as unknown as Json[])) },
    {
      method: 'POST',
      path: base,
      body: BODY.command,
      handle: (d, req) => {
        const { command, created } = d.commands.create(scope(d, req), req.body.json);
        return ok(command, created ? 201 : 200);
      },
    },
    { method: 'GET', path: `${base}/:id`, handle: (d, req) => ok(d.commands.get(scope(d, req), id(req))) },
    { method: 'PATCH', path: `${base}/:id`, body: BODY.commandEdit, handle: (d, req) => ok(d.commands.edit(scope(d, req), id(req), req.body.json)) },
    {
      method: 'DELETE',
      path: `${base}/:id`,
      handle: (d, req) => {
        d.commands.remove(scope(d, req), id(req));
        return noContent();
      },
    },
  ];
}

// ---- interactions and their webhooks ------------------------------------------------------

function interactionCallback({ interactions }: RouteDeps, req: RouteRequest): RouteResult {
  const withResponse = req.query.get('with_response') === 'true';
  const response = interactions.callback(param(req, 0), param(req, 1), req.body.json, req.body.files, withResponse);
  return response ? ok(response) : noContent();
}

function followUp({ core, interactions }: RouteDeps, req: RouteRequest): RouteResult {
  const record = interactions.forWebhook(param(req, 0), param(req, 1));
  const sent = interactions.followUp(record, req.body.json, req.body.files);
  return req.query.get('wait') === 'true' ? ok(messagePayload(core.world, sent)) : noContent();
}

function webhookMessage({ core, interactions }: RouteDeps, req: RouteRequest): RouteResult {
  const record = interactions.forWebhook(param(req, 0), param(req, 1));
  return ok(messagePayload(core.world, interactions.webhookMessage(record, param(req, 2))));
}

function editWebhookMessage({ core, interactions }: RouteDeps, req: RouteRequest): RouteResult {
  const record = interactions.forWebhook(param(req, 0), param(req, 1));
  const edited = core.editMessage(interactions.webhookMessage(record, param(req, 2)), req.body.json, req.body.files);
  return ok(messagePayload(core.world, edited));
}

function deleteWebhookMessage({ core, interactions }: RouteDeps, req: RouteRequest): RouteResult {
  const record = interactions.forWebhook(param(req, 0), param(req, 1));
  core.deleteMessage(interactions.webhookMessage(record, param(req, 2)));
  return noContent();
}

// ---- channels -----------------------------------------------------------------------------

function channel({ core }: RouteDeps, req: RouteRequest): RouteResult {
  return ok(channelPayload(core.channelForBot(param(req, 0))));
}

/** Discord reads a PATCH on a channel by the channel's type: a thread's fields or a guild channel's. */
function channelEditBody({ core }: RouteDeps, req: RouteRequest): BodyCheck {
  return core.world.channels.get(param(req, 0))?.thread ? BODY.threadEdit : BODY.channelEdit;
}

function editChannel({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = core.channelForBot(param(req, 0));
  const body = req.body.json;
  if (target.thread) patchThread(core, target, body);
  else {
    core.requireBot(target, P.ManageChannels);
    if (typeof body['name'] === 'string') target.name = body['name'];
    if ('topic' in body) target.topic = typeof body['topic'] === 'string' ? body['topic'] : null;
    if (typeof body['rate_limit_per_user'] === 'number') target.rateLimitPerUser = body['rate_limit_per_user'];
    if ('default_auto_archive_duration' in body) {
      target.defaultAutoArchiveDuration = body['default_auto_archive_duration'] as ChannelRecord['defaultAutoArchiveDuration'];
    }
    editForum(core, target, body);
    recordAudit(core, { guildId: target.guildId, actionType: AuditLogEvent.ChannelUpdate, targetId: target.id, reason: auditReason(req) });
    core.dispatchGuild('CHANNEL_UPDATE', target.guildId, channelPayload(target));
  }
  return ok(channelPayload(target));
}

function deleteChannel({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = core.channelForBot(param(req, 0));
  core.requireBot(target, target.thread ? P.ManageThreads : P.ManageChannels);
  core.deleteChannel(target);
  return ok(channelPayload(target));
}

function typing({ core }: RouteDeps, req: RouteRequest): RouteResult {
  core.requireBot(core.channelForBot(param(req, 0)), P.SendMessages);
  return noContent();
}

// ---- messages -----------------------------------------------------------------------------

function createMessage({ core, nonces }: RouteDeps, req: RouteRequest): RouteResult {
  const target = core.channelForBot(param(req, 0));
  if (target.type === 4 || target.type === 15) throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
  const body = req.body.json;
  core.requireBot(target, target.thread ? P.SendMessagesInThreads : P.SendMessages);
  if (req.body.files.length > 0) core.requireBot(target, P.AttachFiles);
  if (Array.isArray(body['embeds']) && body['embeds'].length > 0) core.requireBot(target, P.EmbedLinks);
  if (body['message_reference'] !== undefined) core.requireBot(target, P.ReadMessageHistory);
  const nonce = body['enforce_nonce'] === true && (typeof body['nonce'] === 'string' || typeof body['nonce'] === 'number') ? body['nonce'] : undefined;
  if (nonce !== undefined) {
    // Discord: the same nonce from the same author within a few minutes returns the message it created then.
    const earlier = nonces.find({ channelId: target.id, authorId: core.botUserId, nonce });
    const message = earlier === undefined ? undefined : core.world.messages.get(earlier);
    if (message && !message.deleted) return ok({ ...messagePayload(core.world, message), nonce });
  }
  core.prepareThreadForMessage(target, core.botUserId);
  const created = core.createMessage({ channel: target, authorId: core.botUserId, body, files: req.body.files });
  if (nonce !== undefined) nonces.remember({ channelId: target.id, authorId: core.botUserId, nonce, messageId: created.id });
  return ok({ ...messagePayload(core.world, created), ...(body['nonce'] !== undefined && body['nonce'] !== null ? { nonce: body['nonce'] } : {}) });
}

function messages({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = core.channelForBot(param(req, 0));
  const limit = Number(req.query.get('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw invalidFormBody([{ path: 'limit', code: 'NUMBER_TYPE_MAX', message: 'int value should be between 1 and 100.' }]);
  }
  if (!hasAll(core.permissionsIn(target, core.botUserId), P.ReadMessageHistory)) return ok([]);
  const all = core.world.channelMessages(target.id).filter((m) => m.visibleTo === null);
  const before = req.query.get('before');
  const after = req.query.get('after');
  const around = req.query.get('around');
  let picked: MessageRecord[];
  if (before) picked = all.filter((m) => BigInt(m.id) < BigInt(before)).slice(-limit);
  else if (after) picked = all.filter((m) => BigInt(m.id) > BigInt(after)).slice(0, limit);
  else if (around) {
    const idx = all.findIndex((m) => BigInt(m.id) >= BigInt(around));
    const start = Math.max(0, (idx < 0 ? all.length : idx) - Math.floor(limit / 2));
    picked = all.slice(start, start + limit);
  } else picked = all.slice(-limit);
  return ok(picked.reverse().map((m) => messagePayload(core.world, m)));
}

function message({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = core.channelForBot(param(req, 0));
  core.requireBot(target, P.ReadMessageHistory);
  return ok(messagePayload(core.world, messageIn(core, target, param(req, 1))));
}

function editMessage({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = core.channelForBot(param(req, 0));
  const found = messageIn(core, target, param(req, 1));
  if (target.thread?.archived) throw archivedThread();
  return ok(messagePayload(core.world, core.editAsBot(found, req.body.json, req.body.files)));
}

function deleteMessage({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = core.channelForBot(param(req, 0));
  const found = messageIn(core, target, param(req, 1));
  if (target.thread?.archived) throw archivedThread();
  if (found.authorId !== core.botUserId) core.requireBot(target, P.ManageMessages);
  core.deleteMessage(found);
  return noContent();
}

// ---- reactions ----------------------------------------------------------------------------

function reactionTarget(core: Core, req: RouteRequest): MessageRecord {
  const target = core.channelForBot(param(req, 0));
  if (target.thread?.archived) throw archivedThread();
  return messageIn(core, target, param(req, 1));
}

function react({ core }: RouteDeps, req: RouteRequest): RouteResult {
  addReaction(core, reactionTarget(core, req), param(req, 2), core.botUserId);
  return noContent();
}

function unreact({ core }: RouteDeps, req: RouteRequest): RouteResult {
  removeReaction(core, reactionTarget(core, req), param(req, 2), core.botUserId);
  return noContent();
}

function removeMemberReaction({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = reactionTarget(core, req);
  core.requireBot(core.channelForBot(param(req, 0)), P.ManageMessages);
  removeReaction(core, target, param(req, 2), param(req, 3));
  return noContent();
}

function clearReactions({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = reactionTarget(core, req);
  core.requireBot(core.channelForBot(param(req, 0)), P.ManageMessages);
  removeAllReactions(core, target);
  return noContent();
}

function reactionUsers({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = messageIn(core, core.channelForBot(param(req, 0)), param(req, 1));
  const entry = target.reactions.find((r) => r.emoji === emojiKey(param(req, 2)));
  const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 25)));
  const after = req.query.get('after');
  const ids = (entry?.userIds ?? []).filter((id) => after === null || BigInt(id) > BigInt(after)).slice(0, limit);
  return ok(ids.flatMap((id) => {
    const found = core.world.users.get(id);
    return found ? [userPayload(found)] : [];
  }));
}

// ---- threads ------------------------------------------------------------------------------

function startThreadFromMessage({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const parent = core.channelForBot(param(req, 0));
  if (isThreadType(parent.type)) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  const starter = messageIn(core, parent, param(req, 1));
  core.requireBot(parent, P.CreatePublicThreads | P.ReadMessageHistory);
  if (starter.threadId !== null) throw new ApiError(400, 160004, 'A thread has already been created for this message');
  const thread = core.createThread({ parent, ownerId: core.botUserId, body: req.body.json, starter });
  recordAudit(core, { guildId: parent.guildId, actionType: AuditLogEvent.ThreadCreate, targetId: thread.id, reason: auditReason(req) });
  return ok(threadWithMember(thread, core.botUserId), 201);
}

/** Thread types a standalone thread may have in each kind of channel: announcement threads only in announcement channels. */
const THREAD_TYPES_IN: Record<number, readonly number[]> = { 0: [11, 12], 5: [10] };

function startThread({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const parent = core.channelForBot(param(req, 0));
  if (isThreadType(parent.type)) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  if (parent.type === 15) return ok(startForumPost(core, parent, req), 201);
  const type = req.body.json['type'] ?? 12;
  const allowed = THREAD_TYPES_IN[parent.type];
  if (!allowed) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  if (typeof type !== 'number' || !allowed.includes(type)) {
    throw invalidFormBody([{ path: 'type', code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${allowed.join(', ')}}.` }]);
  }
  core.requireBot(parent, type === 12 ? P.CreatePrivateThreads : P.CreatePublicThreads);
  const thread = core.createThread({ parent, ownerId: core.botUserId, body: { ...req.body.json, type }, starter: null });
  recordAudit(core, { guildId: parent.guildId, actionType: AuditLogEvent.ThreadCreate, targetId: thread.id, reason: auditReason(req) });
  return ok(threadWithMember(thread, core.botUserId), 201);
}

function joinThread({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const target = core.channelForBot(param(req, 0));
  if (!target.thread) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
  if (target.thread.archived) throw archivedThread();
  return noContent();
}

function threadWithMember(thread: ChannelRecord, botUserId: string): Json {
  return {
    ...channelPayload(thread),
    member: { id: thread.id, user_id: botUserId, join_timestamp: thread.thread?.createTimestamp, flags: 0 },
  };
}

/** PATCH on a thread: archiving, locking, renaming, with Discord's permission rules. */
function patchThread(core: Core, thread: ChannelRecord, body: Json): void {
  const state = thread.thread!;
  const perms = core.permissionsIn(thread, core.botUserId);
  const manage = hasAll(perms, P.ManageThreads);
  const isOwner = state.ownerId === core.botUserId;
  const touchesOther = ['name', 'auto_archive_duration', 'rate_limit_per_user', 'invitable'].some((k) => k in body);
  if ('locked' in body && Boolean(body['locked']) !== state.locked && !manage) throw missingPermissions();
  if (state.archived && body['archived'] !== false && (touchesOther || 'locked' in body) && !manage) throw archivedThread();
  if (body['archived'] === true && !state.archived && !isOwner && !manage) throw missingPermissions();
  if (body['archived'] === false && state.archived) {
    if (state.locked && !manage) throw missingPermissions();
    if (!hasAll(perms, P.SendMessagesInThreads)) throw missingPermissions();
  }
  if (touchesOther && !isOwner && !manage) throw missingPermissions();
  if (typeof body['name'] === 'string') thread.name = body['name'];
  if (typeof body['auto_archive_duration'] === 'number') {
    state.autoArchiveDuration = body['auto_archive_duration'] as ChannelRecord['defaultAutoArchiveDuration'] & number;
  }
  if (typeof body['rate_limit_per_user'] === 'number') thread.rateLimitPerUser = body['rate_limit_per_user'];
  if (typeof body['locked'] === 'boolean') state.locked = body['locked'];
  if (typeof body['archived'] === 'boolean' && body['archived'] !== state.archived) {
    state.archived = body['archived'];
    state.archiveTimestamp = new Date(core.now()).toISOString();
  }
  core.dispatchGuild('THREAD_UPDATE', thread.guildId, channelPayload(thread));
}

// ---- guilds -------------------------------------------------------------------------------

function guild({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const found = core.world.guilds.get(guildForBot(core, param(req, 0)))!;
  const count = core.world.guildMembers(found.id).length;
  return ok({ ...guildPayload(core.world, found), approximate_member_count: count, approximate_presence_count: 0 });
}

function guildChannels({ core }: RouteDeps, req: RouteRequest): RouteResult {
  return ok(core.world.guildChannels(guildForBot(core, param(req, 0)), { threads: false }).map(channelPayload));
}

function activeThreads({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const threads = core.world.guildChannels(guildForBot(core, param(req, 0)), { threads: true }).filter((t) => !t.thread?.archived);
  return ok({ threads: threads.map(channelPayload), members: [] });
}

function roles({ core }: RouteDeps, req: RouteRequest): RouteResult {
  return ok(core.world.guildRoles(guildForBot(core, param(req, 0))).map(rolePayload));
}

function member({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const found = core.world.member(guildForBot(core, param(req, 0)), param(req, 1));
  if (!found) throw unknownMember();
  return ok(memberPayload(core.world, found));
}

function members({ core }: RouteDeps, req: RouteRequest): RouteResult {
  const limit = Math.min(1000, Math.max(1, Number(req.query.get('limit') ?? 1)));
  const after = req.query.get('after') ?? '0';
  const found = core.world
    .guildMembers(guildForBot(core, param(req, 0)))
    .filter((m) => BigInt(m.userId) > BigInt(after))
    .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
    .slice(0, limit);
  return ok(found.map((m) => memberPayload(core.world, m)));
}
