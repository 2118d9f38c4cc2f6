import type { PermissionOverwrite } from './permissions.js';

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  botRoleId: string;
  joinedAt: string;
  preferredLocale: string;
  /** where Discord posts system messages (and a bot may fall back to), if the server chose one */
  systemChannelId: string | null;
  deleted: boolean;
}

export interface RoleRecord {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  mentionable: boolean;
  hoist: boolean;
  color: number;
  /** set for the bot's managed integration role */
  botId?: string;
}

export interface MemberRecord {
  guildId: string;
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

export interface ThreadState {
  ownerId: string;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: 60 | 1440 | 4320 | 10080;
  archiveTimestamp: string;
  createTimestamp: string;
  invitable: boolean;
  /** the message the thread was started from, if any (same id as the thread) */
  starterMessageId: string | null;
  messageCount: number;
  totalMessageSent: number;
  /** a forum post's tags (ids from the forum's available tags) */
  appliedTags?: string[];
}

/** A tag a forum offers its posts. */
export interface ForumTagRecord {
  id: string;
  name: string;
  /** only members with Manage Threads may apply or remove it */
  moderated: boolean;
  emojiId: string | null;
  emojiName: string | null;
}

/** What a forum channel (type 15) has beyond a text channel. */
export interface ForumState {
  availableTags: ForumTagRecord[];
  /** the REQUIRE_TAG channel flag: every post needs a tag */
  requireTag: boolean;
}

/** One entry of a server's audit log: who did what to what, and the reason they gave (X-Audit-Log-Reason). */
export interface AuditLogEntry {
  id: string;
  guildId: string;
  /** Discord's audit log event: 11 CHANNEL_UPDATE, 110 THREAD_CREATE, ... */
  actionType: number;
  userId: string;
  targetId: string;
  reason: string | null;
}

export interface ChannelRecord {
  id: string;
  guildId: string;
  /** 0 text, 2 voice, 4 category, 5 announcement, 10/11/12 threads, 15 forum */
  type: number;
  name: string;
  position: number;
  parentId: string | null;
  topic: string | null;
  nsfw: boolean;
  rateLimitPerUser: number;
  overwrites: PermissionOverwrite[];
  lastMessageId: string | null;
  defaultAutoArchiveDuration: 60 | 1440 | 4320 | 10080 | null;
  deleted: boolean;
  thread?: ThreadState;
  /** set on forum channels */
  forum?: ForumState;
}

export interface AttachmentRecord {
  id: string;
  filename: string;
  description?: string;
  contentType: string;
  size: number;
  url: string;
  data: Buffer;
}

export interface WouldPing {
  everyone: boolean;
  users: string[];
  roles: string[];
}

export interface InteractionLink {
  id: string;
  type: number;
  userId: string;
  name?: string;
}

export interface MessageRecord {
  id: string;
  channelId: string;
  guildId: string;
  authorId: string;
  type: number;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: AttachmentRecord[];
  flags: number;
  tts: boolean;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
  /** the allowed_mentions the sender passed (undefined: none given, Discord parses everything) */
  allowedMentions: unknown;
  wouldPing: WouldPing;
  /** users/roles mentioned in the content (what the message object reports, independent of pings) */
  mentionUserIds: string[];
  mentionRoleIds: string[];
  webhookId: string | null;
  applicationId: string | null;
  interaction: InteractionLink | null;
  /** ephemeral messages are only visible to this member */
  visibleTo: string | null;
  /** a thread started from this message */
  threadId: string | null;
  reference: { messageId: string; channelId: string; guildId: string } | null;
  pinned: boolean;
  /** reactions in the order they were first added; emoji is a unicode emoji or `name:id` */
  reactions: { emoji: string; userIds: string[] }[];
}

export function isThreadType(type: number): boolean {
  return type === 10 || type === 11 || type === 12;
}

/** All mutable state of the stand-in: plain records, looked up by id. */
export class World {
  /** the bot's user id (set once by the stand-in) */
  botUserId = '';
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly roles = new Map<string, RoleRecord>();
  readonly members = new Map<string, MemberRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, MessageRecord>();
  readonly messageIdsByChannel = new Map<string, string[]>();
  readonly attachmentsByPath = new Map<string, AttachmentRecord>();
  /** every guild's audit log entries, oldest first */
  readonly auditLog: AuditLogEntry[] = [];

  member(guildId: string, userId: string): MemberRecord | undefined {
    return this.members.get(`${guildId}:${userId}`);
  }

  putMember(member: MemberRecord): void {
    this.members.set(`${member.guildId}:${member.userId}`, member);
  }

  guildRoles(guildId: string): RoleRecord[] {
    return [...this.roles.values()].filter((r) => r.guildId === guildId).sort((a, b) => a.position - b.position);
  }

  guildMembers(guildId: string): MemberRecord[] {
    return [...this.members.values()].filter((m) => m.guildId === guildId);
  }

  guildChannels(guildId: string, opts: { threads: boolean }): ChannelRecord[] {
    return [...this.channels.values()].filter(
      (c) => c.guildId === guildId && !c.deleted && isThreadType(c.type) === opts.threads,
    );
  }

  addMessage(message: MessageRecord): void {
    this.messages.set(message.id, message);
    const ids = this.messageIdsByChannel.get(message.channelId) ?? [];
    ids.push(message.id);
    this.messageIdsByChannel.set(message.channelId, ids);
  }

  channelMessages(channelId: string): MessageRecord[] {
    const ids = this.messageIdsByChannel.get(channelId) ?? [];
    const out: MessageRecord[] = [];
    for (const id of ids) {
      const m = this.messages.get(id);
      if (m && !m.deleted) out.push(m);
    }
    return out;
  }
}
