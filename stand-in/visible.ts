import { appliedTagNames } from './forums.js';
import type { APIEmbed, APIMessageTopLevelComponent } from 'discord.js';
import { MessageFlag } from './core.js';
import type { ChannelRecord, MessageRecord, WouldPing, World } from './state.js';

/** A message as a member (or a test) sees it; a snapshot, not live. */
export interface VisibleMessage {
  id: string;
  channelId: string;
  guildId: string;
  /** Discord message type (0 default, 19 reply, 20 slash command response, 18 thread created...) */
  type: number;
  author: { id: string; username: string; bot: boolean };
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  attachments: { id: string; filename: string; url: string; size: number; contentType: string }[];
  flags: number;
  ephemeral: boolean;
  /** set for ephemeral messages: the only member who sees it */
  visibleTo: string | null;
  /** a deferred response still showing "is thinking..." */
  loading: boolean;
  edited: boolean;
  deleted: boolean;
  createdAt: Date;
  /** what the sender passed as allowed_mentions (undefined: none, which means parse everything) */
  allowedMentions: unknown;
  /** who would have been notified */
  wouldPing: WouldPing;
  pingsAnyone: boolean;
  interactionId: string | null;
  replyTo: string | null;
  thread: { id: string; name: string } | null;
  /** emoji (unicode, or `name:id` for custom emoji) and who reacted */
  reactions: { emoji: string; count: number; userIds: string[] }[];
}

export interface VisibleThread {
  id: string;
  guildId: string;
  parentId: string;
  name: string;
  /** 11 public, 12 private, 10 announcement */
  type: number;
  autoArchiveDuration: number;
  archived: boolean;
  locked: boolean;
  ownerId: string;
  deleted: boolean;
  starter: VisibleMessage | null;
  messages: VisibleMessage[];
  /** a forum post's tags, by name */
  appliedTags: string[];
}

export function toVisibleMessage(world: World, m: MessageRecord): VisibleMessage {
  const author = world.users.get(m.authorId);
  const thread = m.threadId ? world.channels.get(m.threadId) : undefined;
  const p = m.wouldPing;
  return {
    id: m.id,
    channelId: m.channelId,
    guildId: m.guildId,
    type: m.type,
    author: { id: m.authorId, username: author?.username ?? 'unknown', bot: author?.bot ?? false },
    content: m.content,
    embeds: structuredClone(m.embeds) as APIEmbed[],
    components: structuredClone(m.components) as APIMessageTopLevelComponent[],
    attachments: m.attachments.map((a) => ({ id: a.id, filename: a.filename, url: a.url, size: a.size, contentType: a.contentType })),
    flags: m.flags,
    ephemeral: (m.flags & MessageFlag.Ephemeral) !== 0,
    visibleTo: m.visibleTo,
    loading: (m.flags & MessageFlag.Loading) !== 0,
    edited: m.editedAt !== null,
    deleted: m.deleted,
    createdAt: new Date(m.createdAt),
    allowedMentions: structuredClone(m.allowedMentions),
    wouldPing: { everyone: p.everyone, users: [...p.users], roles: [...p.roles] },
    pingsAnyone: p.everyone || p.users.length > 0 || p.roles.length > 0,
    interactionId: m.interaction?.id ?? null,
    replyTo: m.reference?.messageId ?? null,
    thread: thread ? { id: thread.id, name: thread.name } : null,
    reactions: m.reactions.map((r) => ({ emoji: r.emoji, count: r.userIds.length, userIds: [...r.userIds] })),
  };
}

export function toVisibleThread(world: World, t: ChannelRecord): VisibleThread {
  const state = t.thread!;
  const starter = state.starterMessageId ? world.messages.get(state.starterMessageId) : undefined;
  return {
    id: t.id,
    guildId: t.guildId,
    parentId: t.parentId ?? '',
    name: t.name,
    type: t.type,
    autoArchiveDuration: state.autoArchiveDuration,
    archived: state.archived,
    locked: state.locked,
    ownerId: state.ownerId,
    deleted: t.deleted,
    starter: starter ? toVisibleMessage(world, starter) : null,
    messages: world.channelMessages(t.id).map((m) => toVisibleMessage(world, m)),
    appliedTags: appliedTagNames(world, t),
  };
}
