// Forum channels (type 15) as Discord serves them: posts made with POST /channels/{forum}/threads and a `message`,
// the forum's tags (available_tags, changed with PATCH /channels/{forum} under Manage Channels, REQUIRE_TAG), and
// the audit log entries an X-Audit-Log-Reason header annotates.
import { PermissionFlagsBits as P } from 'discord.js';
import { ApiError, invalidFormBody, missingPermissions, type FieldProblem } from './api-error.js';
import type { Core } from './core.js';
import type { BodyCheck } from './form-body.js';
import { hasAll } from './permissions.js';
import { BODY } from './request-bodies.js';
import type { RouteRequest } from './rest.js';
import { FORUM_REQUIRE_TAG_FLAG, channelPayload, messagePayload } from './serialize.js';
import type { AuditLogEntry, ChannelRecord, ForumTagRecord, World } from './state.js';

type Json = Record<string, unknown>;

/** Discord's audit log event types the stand-in records. */
export const AuditLogEvent = { ChannelUpdate: 11, ThreadCreate: 110 } as const;

/** Discord's limits: 20 tags per forum, 20 characters per tag name, 5 tags per post. */
export const MAX_FORUM_TAGS = 20;
export const FORUM_TAG_NAME_MAX = 20;
export const MAX_APPLIED_TAGS = 5;

/** A forum's channel type. */
export const GUILD_FORUM = 15;

/** The body POST /channels/{id}/threads takes: a forum post's in a forum, a standalone thread's elsewhere. */
export function threadBodyFor(parent: ChannelRecord | undefined): BodyCheck {
  return parent?.type === GUILD_FORUM ? BODY.forumPost : BODY.thread;
}

/** The X-Audit-Log-Reason header, URL-decoded as Discord reads it; null when absent. */
export function auditReason(req: Pick<RouteRequest, 'headers'>): string | null {
  const raw = req.headers['x-audit-log-reason'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Adds an entry to the guild's audit log, as Discord does for the bot's actions. */
export function recordAudit(core: Core, entry: Omit<AuditLogEntry, 'id' | 'userId'>): void {
  core.world.auditLog.push({ id: core.ids.next(), userId: core.botUserId, ...entry });
}

/**
 * A forum post: a public thread whose first message comes in the same request. Needs Send Messages (Discord's
 * "Create Posts") in the forum; a moderated tag needs Manage Threads; a forum with REQUIRE_TAG refuses a post
 * without a tag (40067). Returns the thread with its first message under `message`, as Discord does.
 */
export function startForumPost(core: Core, forum: ChannelRecord, req: RouteRequest): Json {
  const body = req.body.json;
  core.requireBot(forum, P.SendMessages);
  const tags = Array.isArray(body['applied_tags']) ? body['applied_tags'].map(String) : [];
  const available = forum.forum?.availableTags ?? [];
  const problems: FieldProblem[] = tags.flatMap((id, i) =>
    available.some((t) => t.id === id) ? [] : [{ path: `applied_tags.${i}`, code: 'BASE_TYPE_CHOICES', message: 'Unknown tag.' }],
  );
  if (problems.length > 0) throw invalidFormBody(problems);
  if (tags.some((id) => available.find((t) => t.id === id)?.moderated) && !hasAll(core.permissionsIn(forum, core.botUserId), P.ManageThreads)) {
    throw missingPermissions();
  }
  if (forum.forum?.requireTag && tags.length === 0) throw new ApiError(400, 40067, 'A tag is required to create a forum post in this channel');
  const message = body['message'] as Json;
  const thread = core.createThread({ parent: forum, ownerId: core.botUserId, body: { ...body, type: 11, applied_tags: [...new Set(tags)] }, starter: null });
  const first = core.createMessage({ channel: thread, authorId: core.botUserId, body: message, files: req.body.files });
  const state = thread.thread!;
  // The post's first message is its starter; Discord's message_count leaves it out.
  state.starterMessageId = first.id;
  state.messageCount = Math.max(0, state.messageCount - 1);
  forum.lastMessageId = thread.id;
  recordAudit(core, { guildId: forum.guildId, actionType: AuditLogEvent.ThreadCreate, targetId: thread.id, reason: auditReason(req) });
  return {
    ...channelPayload(thread),
    member: { id: thread.id, user_id: core.botUserId, join_timestamp: state.createTimestamp, flags: 0 },
    message: messagePayload(core.world, first),
  };
}

/**
 * What a channel update changes on a forum: its tags (the whole list is replaced: kept tags by id, new ones get an
 * id) and the REQUIRE_TAG flag. The caller has checked Manage Channels.
 */
export function editForum(core: Core, forum: ChannelRecord, body: Json): void {
  const state = forum.forum;
  if (!state) return;
  if (Array.isArray(body['available_tags'])) {
    const given = body['available_tags'] as Json[];
    const problems: FieldProblem[] = [];
    given.forEach((tag, i) => {
      const name = typeof tag['name'] === 'string' ? tag['name'] : '';
      if (name.length > FORUM_TAG_NAME_MAX) problems.push({ path: `available_tags.${i}.name`, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${FORUM_TAG_NAME_MAX} or fewer in length.` });
      if (name.trim().length === 0) problems.push({ path: `available_tags.${i}.name`, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    });
    if (given.length > MAX_FORUM_TAGS) problems.push({ path: 'available_tags', code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_FORUM_TAGS} or fewer in length.` });
    if (problems.length > 0) throw invalidFormBody(problems);
    state.availableTags = given.map((tag): ForumTagRecord => {
      const kept = typeof tag['id'] === 'string' ? state.availableTags.find((t) => t.id === tag['id']) : undefined;
      return {
        id: kept?.id ?? core.ids.next(),
        name: String(tag['name']),
        moderated: tag['moderated'] === true,
        emojiId: typeof tag['emoji_id'] === 'string' ? tag['emoji_id'] : null,
        emojiName: typeof tag['emoji_name'] === 'string' ? tag['emoji_name'] : null,
      };
    });
  }
  if (typeof body['flags'] === 'number') state.requireTag = (body['flags'] & FORUM_REQUIRE_TAG_FLAG) !== 0;
}

/** Names of the tags a forum post carries, in the order applied. */
export function appliedTagNames(world: World, thread: ChannelRecord): string[] {
  const forum = thread.parentId ? world.channels.get(thread.parentId) : undefined;
  return (thread.thread?.appliedTags ?? []).flatMap((id) => {
    const tag = forum?.forum?.availableTags.find((t) => t.id === id);
    return tag ? [tag.name] : [];
  });
}
