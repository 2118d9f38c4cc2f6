import { PermissionFlagsBits as P } from 'discord.js';
import {
  ApiError,
  archivedThread,
  invalidFormBody,
  missingPermissions,
  unknownGuild,
  unknownMember,
  unknownMessage,
  unknownUser,
} from './api-error.js';
import type { CommandStore } from './commands.js';
import type { Core } from './core.js';
import type { Interactions } from './interactions.js';
import { addReaction, emojiKey, removeAllReactions, removeReaction } from './reactions.js';
import { hasAll } from './permissions.js';
import type { RestRouter, RouteRequest, RouteResult } from './rest.js';
import {
  channelPayload,
  guildPayload,
  memberPayload,
  messagePayload,
  rolePayload,
  userPayload,
} from './serialize.js';
import { THREAD_ARCHIVE_DURATIONS, isThreadType, type ChannelRecord, type MessageRecord } from './state.js';

type Json = Record<string, unknown>;

const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
const noContent = (): RouteResult => ({ status: 204 });

function param(req: RouteRequest, i: number): string {
  return req.params[i] ?? '';
}

export interface RouteDeps {
  core: Core;
  interactions: Interactions;
  commands: CommandStore;
  gatewayUrl: () => string;
}

/** Registers every REST endpoint the stand-in understands. */
export function registerRoutes(router: RestRouter, deps: RouteDeps): void {
  const { core, interactions, commands } = deps;
  const world = core.world;

  const guildForBot = (id: string): string => {
    const guild = world.guilds.get(id);
    if (!guild || guild.deleted) throw unknownGuild();
    return guild.id;
  };
  const ownApp = (id: string): void => {
    if (id !== core.applicationId) throw new ApiError(403, 50001, 'Missing Access');
  };
  const messageIn = (channel: ChannelRecord, id: string): MessageRecord => {
    const m = world.messages.get(id);
    if (!m || m.deleted || m.channelId !== channel.id || m.visibleTo !== null) throw unknownMessage();
    return m;
  };
  const checkArchiveDuration = (value: unknown): void => {
    if (value !== undefined && !(THREAD_ARCHIVE_DURATIONS as readonly unknown[]).includes(value)) {
      throw invalidFormBody([{ path: 'auto_archive_duration', code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {60, 1440, 4320, 10080}.' }]);
    }
  };

  // ---- gateway, users, application ----------------------------------------------------------
  router.add({ method: 'GET', template: '/gateway', auth: false, handle: () => ok({ url: deps.gatewayUrl() }) });
  router.add({
    method: 'GET',
    template: '/gateway/bot',
    auth: true,
    handle: () =>
      ok({
        url: deps.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      }),
  });
  router.add({
    method: 'GET',
    template: '/users/@me',
    auth: true,
    handle: () => ok({ ...userPayload(world.users.get(core.botUserId)!), verified: true, mfa_enabled: false }),
  });
  router.add({
    method: 'GET',
    template: '/users/:id',
    auth: true,
    handle: (req) => {
      const user = world.users.get(param(req, 0));
      if (!user) throw unknownUser();
      return ok(userPayload(user));
    },
  });
  router.add({
    method: 'GET',
    template: '/applications/@me',
    auth: true,
    handle: () =>
      ok({
        id: core.applicationId,
        name: 'DS9 Rewatch Bot',
        icon: null,
        description: 'Trivia and rewatch threads',
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        bot: userPayload(world.users.get(core.botUserId)!),
        owner: { id: core.ids.next(), username: 'owner', discriminator: '0', avatar: null, global_name: null },
        team: null,
        approximate_guild_count: [...world.guilds.values()].filter((g) => !g.deleted).length,
        summary: '',
      }),
  });

  // ---- application commands -----------------------------------------------------------------
  for (const guildScoped of [false, true]) {
    const base = guildScoped ? '/applications/:id/guilds/:id/commands' : '/applications/:id/commands';
    const scopeOf = (req: RouteRequest): string => {
      ownApp(param(req, 0));
      return guildScoped ? guildForBot(param(req, 1)) : 'global';
    };
    const idAt = guildScoped ? 2 : 1;
    router.add({ method: 'GET', template: base, auth: true, handle: (req) => ok(commands.list(scopeOf(req))) });
    router.add({ method: 'PUT', template: base, auth: true, handle: (req) => ok(commands.overwrite(scopeOf(req), req.body.json['value'] ?? req.body.json)) });
    router.add({
      method: 'POST',
      template: base,
      auth: true,
      handle: (req) => {
        const { command, created } = commands.create(scopeOf(req), req.body.json);
        return ok(command, created ? 201 : 200);
      },
    });
    router.add({ method: 'GET', template: `${base}/:id`, auth: true, handle: (req) => ok(commands.get(scopeOf(req), param(req, idAt))) });
    router.add({ method: 'PATCH', template: `${base}/:id`, auth: true, handle: (req) => ok(commands.edit(scopeOf(req), param(req, idAt), req.body.json)) });
    router.add({
      method: 'DELETE',
      template: `${base}/:id`,
      auth: true,
      handle: (req) => {
        commands.remove(scopeOf(req), param(req, idAt));
        return noContent();
      },
    });
  }

  // ---- interactions and their webhooks ------------------------------------------------------
  router.add({
    method: 'POST',
    template: '/interactions/:id/:token/callback',
    auth: false,
    handle: (req) => {
      const withResponse = req.query.get('with_response') === 'true';
      const response = interactions.callback(param(req, 0), param(req, 1), req.body.json, req.body.files, withResponse);
      return response ? ok(response) : noContent();
    },
  });
  router.add({
    method: 'POST',
    template: '/webhooks/:id/:token',
    auth: false,
    handle: (req) => {
      const record = interactions.forWebhook(param(req, 0), param(req, 1));
      const message = interactions.followUp(record, req.body.json, req.body.files);
      return req.query.get('wait') === 'true' ? ok(messagePayload(world, message)) : noContent();
    },
  });
  router.add({
    method: 'GET',
    template: '/webhooks/:id/:token/messages/:id',
    auth: false,
    handle: (req) => {
      const record = interactions.forWebhook(param(req, 0), param(req, 1));
      return ok(messagePayload(world, interactions.webhookMessage(record, param(req, 2))));
    },
  });
  router.add({
    method: 'PATCH',
    template: '/webhooks/:id/:token/messages/:id',
    auth: false,
    handle: (req) => {
      const record = interactions.forWebhook(param(req, 0), param(req, 1));
      const message = interactions.webhookMessage(record, param(req, 2));
      return ok(messagePayload(world, core.editMessage(message, req.body.json, req.body.files)));
    },
  });
  router.add({
    method: 'DELETE',
    template: '/webhooks/:id/:token/messages/:id',
    auth: false,
    handle: (req) => {
      const record = interactions.forWebhook(param(req, 0), param(req, 1));
      core.deleteMessage(interactions.webhookMessage(record, param(req, 2)));
      return noContent();
    },
  });

  // ---- channels -----------------------------------------------------------------------------
  router.add({
    method: 'GET',
    template: '/channels/:id',
    auth: true,
    handle: (req) => ok(channelPayload(core.channelForBot(param(req, 0)))),
  });
  router.add({
    method: 'PATCH',
    template: '/channels/:id',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      const body = req.body.json;
      if (channel.thread) patchThread(core, channel, body, checkArchiveDuration);
      else {
        core.requireBot(channel, P.ManageChannels);
        if (typeof body['name'] === 'string') channel.name = body['name'];
        if ('topic' in body) channel.topic = typeof body['topic'] === 'string' ? body['topic'] : null;
        if (typeof body['rate_limit_per_user'] === 'number') channel.rateLimitPerUser = body['rate_limit_per_user'];
        if ('default_auto_archive_duration' in body) {
          checkArchiveDuration(body['default_auto_archive_duration']);
          channel.defaultAutoArchiveDuration = body['default_auto_archive_duration'] as ChannelRecord['defaultAutoArchiveDuration'];
        }
        core.dispatchGuild('CHANNEL_UPDATE', channel.guildId, channelPayload(channel));
      }
      return ok(channelPayload(channel));
    },
  });
  router.add({
    method: 'DELETE',
    template: '/channels/:id',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      core.requireBot(channel, channel.thread ? P.ManageThreads : P.ManageChannels);
      core.deleteChannel(channel);
      return ok(channelPayload(channel));
    },
  });
  router.add({
    method: 'POST',
    template: '/channels/:id/typing',
    auth: true,
    handle: (req) => {
      core.requireBot(core.channelForBot(param(req, 0)), P.SendMessages);
      return noContent();
    },
  });
  router.add({
    method: 'POST',
    template: '/channels/:id/messages',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      if (channel.type === 4 || channel.type === 15) throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
      const body = req.body.json;
      core.requireBot(channel, channel.thread ? P.SendMessagesInThreads : P.SendMessages);
      if (req.body.files.length > 0) core.requireBot(channel, P.AttachFiles);
      if (Array.isArray(body['embeds']) && body['embeds'].length > 0) core.requireBot(channel, P.EmbedLinks);
      if (body['message_reference'] !== undefined) core.requireBot(channel, P.ReadMessageHistory);
      core.prepareThreadForMessage(channel, core.botUserId);
      const message = core.createMessage({ channel, authorId: core.botUserId, body, files: req.body.files });
      return ok(messagePayload(world, message));
    },
  });
  router.add({
    method: 'GET',
    template: '/channels/:id/messages',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      const limit = Number(req.query.get('limit') ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        throw invalidFormBody([{ path: 'limit', code: 'NUMBER_TYPE_MAX', message: 'int value should be between 1 and 100.' }]);
      }
      if (!hasAll(core.permissionsIn(channel, core.botUserId), P.ReadMessageHistory)) return ok([]);
      const all = world.channelMessages(channel.id).filter((m) => m.visibleTo === null);
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
      return ok(picked.reverse().map((m) => messagePayload(world, m)));
    },
  });
  router.add({
    method: 'GET',
    template: '/channels/:id/messages/:id',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      core.requireBot(channel, P.ReadMessageHistory);
      return ok(messagePayload(world, messageIn(channel, param(req, 1))));
    },
  });
  router.add({
    method: 'PATCH',
    template: '/channels/:id/messages/:id',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      const message = messageIn(channel, param(req, 1));
      if (channel.thread?.archived) throw archivedThread();
      return ok(messagePayload(world, core.editAsBot(message, req.body.json, req.body.files)));
    },
  });
  router.add({
    method: 'DELETE',
    template: '/channels/:id/messages/:id',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      const message = messageIn(channel, param(req, 1));
      if (channel.thread?.archived) throw archivedThread();
      if (message.authorId !== core.botUserId) core.requireBot(channel, P.ManageMessages);
      core.deleteMessage(message);
      return noContent();
    },
  });
  const reactionTarget = (req: RouteRequest): MessageRecord => {
    const channel = core.channelForBot(param(req, 0));
    if (channel.thread?.archived) throw archivedThread();
    return messageIn(channel, param(req, 1));
  };
  router.add({
    method: 'PUT',
    template: '/channels/:id/messages/:id/reactions/:any/@me',
    auth: true,
    handle: (req) => {
      addReaction(core, reactionTarget(req), param(req, 2), core.botUserId);
      return noContent();
    },
  });
  router.add({
    method: 'DELETE',
    template: '/channels/:id/messages/:id/reactions/:any/@me',
    auth: true,
    handle: (req) => {
      removeReaction(core, reactionTarget(req), param(req, 2), core.botUserId);
      return noContent();
    },
  });
  router.add({
    method: 'DELETE',
    template: '/channels/:id/messages/:id/reactions/:any/:id',
    auth: true,
    handle: (req) => {
      const message = reactionTarget(req);
      core.requireBot(core.channelForBot(param(req, 0)), P.ManageMessages);
      removeReaction(core, message, param(req, 2), param(req, 3));
      return noContent();
    },
  });
  router.add({
    method: 'DELETE',
    template: '/channels/:id/messages/:id/reactions',
    auth: true,
    handle: (req) => {
      const message = reactionTarget(req);
      core.requireBot(core.channelForBot(param(req, 0)), P.ManageMessages);
      removeAllReactions(core, message);
      return noContent();
    },
  });
  router.add({
    method: 'GET',
    template: '/channels/:id/messages/:id/reactions/:any',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      const message = messageIn(channel, param(req, 1));
      const entry = message.reactions.find((r) => r.emoji === emojiKey(param(req, 2)));
      const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 25)));
      const after = req.query.get('after');
      const ids = (entry?.userIds ?? []).filter((id) => after === null || BigInt(id) > BigInt(after)).slice(0, limit);
      return ok(ids.flatMap((id) => {
        const user = world.users.get(id);
        return user ? [userPayload(user)] : [];
      }));
    },
  });
  router.add({
    method: 'POST',
    template: '/channels/:id/messages/:id/threads',
    auth: true,
    handle: (req) => {
      const parent = core.channelForBot(param(req, 0));
      if (isThreadType(parent.type)) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
      const starter = messageIn(parent, param(req, 1));
      core.requireBot(parent, P.CreatePublicThreads | P.ReadMessageHistory);
      if (starter.threadId !== null) throw new ApiError(400, 160004, 'A thread has already been created for this message');
      const thread = core.createThread({ parent, ownerId: core.botUserId, body: req.body.json, starter });
      return ok(threadWithMember(thread, core.botUserId), 201);
    },
  });
  router.add({
    method: 'POST',
    template: '/channels/:id/threads',
    auth: true,
    handle: (req) => {
      const parent = core.channelForBot(param(req, 0));
      if (isThreadType(parent.type)) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
      const type = req.body.json['type'] ?? 12;
      core.requireBot(parent, type === 12 ? P.CreatePrivateThreads : P.CreatePublicThreads);
      const thread = core.createThread({ parent, ownerId: core.botUserId, body: { ...req.body.json, type }, starter: null });
      return ok(threadWithMember(thread, core.botUserId), 201);
    },
  });
  router.add({
    method: 'PUT',
    template: '/channels/:id/thread-members/@me',
    auth: true,
    handle: (req) => {
      const channel = core.channelForBot(param(req, 0));
      if (!channel.thread) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
      if (channel.thread.archived) throw archivedThread();
      return noContent();
    },
  });

  // ---- guilds -------------------------------------------------------------------------------
  router.add({
    method: 'GET',
    template: '/guilds/:id',
    auth: true,
    handle: (req) => {
      const guild = world.guilds.get(guildForBot(param(req, 0)))!;
      const count = world.guildMembers(guild.id).length;
      return ok({ ...guildPayload(world, guild), approximate_member_count: count, approximate_presence_count: 0 });
    },
  });
  router.add({
    method: 'GET',
    template: '/guilds/:id/channels',
    auth: true,
    handle: (req) => ok(world.guildChannels(guildForBot(param(req, 0)), { threads: false }).map(channelPayload)),
  });
  router.add({
    method: 'GET',
    template: '/guilds/:id/threads/active',
    auth: true,
    handle: (req) => {
      const threads = world.guildChannels(guildForBot(param(req, 0)), { threads: true }).filter((t) => !t.thread?.archived);
      return ok({ threads: threads.map(channelPayload), members: [] });
    },
  });
  router.add({
    method: 'GET',
    template: '/guilds/:id/roles',
    auth: true,
    handle: (req) => ok(world.guildRoles(guildForBot(param(req, 0))).map(rolePayload)),
  });
  router.add({
    method: 'GET',
    template: '/guilds/:id/members/:id',
    auth: true,
    handle: (req) => {
      const member = world.member(guildForBot(param(req, 0)), param(req, 1));
      if (!member) throw unknownMember();
      return ok(memberPayload(world, member));
    },
  });
  router.add({
    method: 'GET',
    template: '/guilds/:id/members',
    auth: true,
    handle: (req) => {
      const limit = Math.min(1000, Math.max(1, Number(req.query.get('limit') ?? 1)));
      const after = req.query.get('after') ?? '0';
      const members = world
        .guildMembers(guildForBot(param(req, 0)))
        .filter((m) => BigInt(m.userId) > BigInt(after))
        .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
        .slice(0, limit);
      return ok(members.map((m) => memberPayload(world, m)));
    },
  });
}

function threadWithMember(thread: ChannelRecord, botUserId: string): Json {
  return {
    ...channelPayload(thread),
    member: { id: thread.id, user_id: botUserId, join_timestamp: thread.thread?.createTimestamp, flags: 0 },
  };
}

/** PATCH on a thread: archiving, locking, renaming, with Discord's permission rules. */
function patchThread(core: Core, thread: ChannelRecord, body: Json, checkArchiveDuration: (v: unknown) => void): void {
  const state = thread.thread!;
  const perms = core.permissionsIn(thread, core.botUserId);
  const manage = hasAll(perms, P.ManageThreads);
  const isOwner = state.ownerId === core.botUserId;
  const touchesOther = ['name', 'auto_archive_duration', 'rate_limit_per_user', 'invitable'].some((k) => k in body);
  if ('auto_archive_duration' in body) checkArchiveDuration(body['auto_archive_duration']);
  if (typeof body['name'] === 'string' && (body['name'].length < 1 || body['name'].length > 100)) {
    throw invalidFormBody([{ path: 'name', code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }]);
  }
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
