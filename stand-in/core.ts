import { randomBytes } from 'node:crypto';
import { PermissionFlagsBits as P } from 'discord.js';
import {
  ApiError,
  archivedThread,
  emptyMessage,
  invalidFormBody,
  missingAccess,
  missingPermissions,
  notAuthor,
  unknownChannel,
} from './api-error.js';
import { Gateway, GatewayIntent, type SessionView } from './gateway.js';
import type { UploadedFile } from './http-body.js';
import { computeMentions, type AllowedMentionsInput } from './mentions.js';
import { channelPermissions, hasAll } from './permissions.js';
import { channelPayload, messagePayload } from './serialize.js';
import { SnowflakeFactory } from './snowflake.js';
import {
  World,
  isThreadType,
  type AttachmentRecord,
  type ChannelRecord,
  type InteractionLink,
  type MessageRecord,
} from './state.js';

type Json = Record<string, unknown>;

export const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

const SETTABLE_FLAGS = MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;

export interface NewMessage {
  channel: ChannelRecord;
  authorId: string;
  body: Json;
  files: UploadedFile[];
  type?: number;
  webhookId?: string | null;
  interaction?: InteractionLink | null;
  /** extra flags the sender may set (ephemeral for interaction responses, loading for defers) */
  extraFlags?: number;
  /** ephemeral: only this member sees it */
  visibleTo?: string | null;
  /** a deferred response starts out empty on purpose */
  deferred?: boolean;
}

/** State, permissions and the message/thread operations shared by the REST routes and the test controls. */
export class Core {
  readonly world = new World();
  readonly ids: SnowflakeFactory;
  gateway!: Gateway;
  baseUrl = '';
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;

  constructor(opts: { token?: string; now?: () => number }) {
    this.ids = new SnowflakeFactory(opts.now ?? Date.now);
    this.token = opts.token ?? `${Buffer.from(randomBytes(9)).toString('base64url')}.stand-in.${randomBytes(20).toString('base64url')}`;
    this.applicationId = this.ids.next();
    this.botUserId = this.applicationId;
    this.world.botUserId = this.botUserId;
    this.world.users.set(this.botUserId, { id: this.botUserId, username: 'ds9-bot', globalName: null, bot: true });
  }

  /** Discord's idea of now; `DiscordStandIn.useClock` makes it follow a test's or the playground's clock. */
  clock: () => number = Date.now;

  now(): number {
    return this.clock();
  }

  // ---- permissions ---------------------------------------------------------------------------

  permissionsIn(channel: ChannelRecord, userId: string): bigint {
    const guild = this.world.guilds.get(channel.guildId);
    const member = this.world.member(channel.guildId, userId);
    if (!guild || !member) return 0n;
    const everyone = this.world.roles.get(guild.id);
    const rolePermissions = member.roles.flatMap((id) => {
      const role = this.world.roles.get(id);
      return role ? [{ id, permissions: role.permissions }] : [];
    });
    // threads take the permissions of their parent channel
    const source = channel.parentId && isThreadType(channel.type) ? this.world.channels.get(channel.parentId) : channel;
    return channelPermissions(
      { guildId: guild.id, ownerId: guild.ownerId, userId, everyonePermissions: everyone?.permissions ?? 0n, rolePermissions },
      source?.overwrites ?? [],
    );
  }

  guildPermissions(guildId: string, userId: string): bigint {
    const guild = this.world.guilds.get(guildId);
    const member = this.world.member(guildId, userId);
    if (!guild || !member) return 0n;
    const fake: ChannelRecord = { ...this.placeholderChannel(guildId), overwrites: [] };
    return this.permissionsIn(fake, userId);
  }

  private placeholderChannel(guildId: string): ChannelRecord {
    return {
      id: guildId, guildId, type: 0, name: '', position: 0, parentId: null, topic: null, nsfw: false,
      rateLimitPerUser: 0, overwrites: [], lastMessageId: null, defaultAutoArchiveDuration: null, deleted: false,
    };
  }

  /** 10003 for unknown/deleted channels, 50001 when the bot cannot see it. */
  channelForBot(channelId: string): ChannelRecord {
    const channel = this.world.channels.get(channelId);
    if (!channel || channel.deleted) throw unknownChannel();
    if (!hasAll(this.permissionsIn(channel, this.botUserId), P.ViewChannel)) throw missingAccess();
    return channel;
  }

  requireBot(channel: ChannelRecord, needed: bigint): void {
    if (!hasAll(this.permissionsIn(channel, this.botUserId), needed)) throw missingPermissions();
  }

  // ---- dispatch ------------------------------------------------------------------------------

  dispatchGuild(event: string, guildId: string, data: Json): void {
    this.gateway.dispatch(event, data, { guildId, intent: GatewayIntent.Guilds });
  }

  dispatchMessage(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: MessageRecord): void {
    if (message.visibleTo !== null) return; // ephemeral messages never reach the gateway
    const full = messagePayload(this.world, message);
    const mentionsBot = message.mentionUserIds.includes(this.botUserId);
    const ownMessage = message.authorId === this.botUserId;
    this.gateway.dispatch(
      event,
      (session: SessionView) => {
        if ((session.intents & GatewayIntent.MessageContent) !== 0 || ownMessage || mentionsBot) return full;
        // without the privileged MESSAGE_CONTENT intent Discord blanks the content fields
        return { ...full, content: '', embeds: [], attachments: [], components: [], poll: undefined };
      },
      { guildId: message.guildId, intent: GatewayIntent.GuildMessages },
    );
  }

  // ---- messages ------------------------------------------------------------------------------

  createMessage(input: NewMessage): MessageRecord {
    const { channel, body } = input;
    const flagsIn = typeof body['flags'] === 'number' ? body['flags'] : 0;
    const content = typeof body['content'] === 'string' ? body['content'] : '';
    const embeds = Array.isArray(body['embeds']) ? structuredClone(body['embeds']) : [];
    const components = Array.isArray(body['components']) ? structuredClone(body['components']) : [];
    if (!input.deferred && isEmpty({ content, embeds, components, attachments: input.files })) throw emptyMessage();
    const id = this.ids.next();
    const reference = this.referenceOf(channel, body);
    const message: MessageRecord = {
      id,
      channelId: channel.id,
      guildId: channel.guildId,
      authorId: input.authorId,
      type: input.type ?? (reference ? 19 : 0),
      content,
      embeds,
      components,
      attachments: this.attachmentsFrom(channel.id, body, input.files, []),
      flags: (flagsIn & (SETTABLE_FLAGS | (input.extraFlags ?? 0))) | ((input.extraFlags ?? 0) & MessageFlag.Loading),
      tts: body['tts'] === true,
      createdAt: this.now(),
      editedAt: null,
      deleted: false,
      allowedMentions: body['allowed_mentions'] === undefined ? undefined : structuredClone(body['allowed_mentions']),
      wouldPing: { everyone: false, users: [], roles: [] },
      mentionUserIds: [],
      mentionRoleIds: [],
      webhookId: input.webhookId ?? null,
      applicationId: input.webhookId ? this.applicationId : null,
      interaction: input.interaction ?? null,
      visibleTo: input.visibleTo ?? null,
      threadId: null,
      reference,
      pinned: false,
      reactions: [],
    };
    if (input.visibleTo) message.flags |= MessageFlag.Ephemeral;
    this.applyMentions(message);
    this.world.addMessage(message);
    if (message.visibleTo === null) this.touchChannel(channel, message);
    this.dispatchMessage('MESSAGE_CREATE', message);
    return message;
  }

  private referenceOf(channel: ChannelRecord, body: Json): MessageRecord['reference'] {
    const ref = body['message_reference'] as Json | undefined;
    if (!ref || typeof ref['message_id'] !== 'string') return null;
    const target = this.world.messages.get(ref['message_id']);
    if (!target || target.deleted || (target.channelId !== channel.id && ref['fail_if_not_exists'] !== false)) {
      throw invalidFormBody([{ path: 'message_reference', code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
    }
    return { messageId: target.id, channelId: target.channelId, guildId: target.guildId };
  }

  private touchChannel(channel: ChannelRecord, message: MessageRecord): void {
    channel.lastMessageId = message.id;
    if (channel.thread) {
      channel.thread.messageCount += 1;
      channel.thread.totalMessageSent += 1;
    }
  }

  editMessage(message: MessageRecord, body: Json, files: UploadedFile[]): MessageRecord {
    if ('content' in body) message.content = typeof body['content'] === 'string' ? body['content'] : '';
    if ('embeds' in body) message.embeds = Array.isArray(body['embeds']) ? structuredClone(body['embeds']) : [];
    if ('components' in body) message.components = Array.isArray(body['components']) ? structuredClone(body['components']) : [];
    if ('attachments' in body || files.length > 0) {
      message.attachments = this.attachmentsFrom(message.channelId, body, files, message.attachments);
    }
    if (typeof body['flags'] === 'number') {
      const keep = message.flags & ~(MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2);
      message.flags = keep | (body['flags'] & (MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2));
    }
    if ('allowed_mentions' in body) message.allowedMentions = structuredClone(body['allowed_mentions']);
    const wasLoading = (message.flags & MessageFlag.Loading) !== 0;
    message.flags &= ~MessageFlag.Loading;
    if (!wasLoading) message.editedAt = this.now();
    if (isEmpty(message)) throw emptyMessage();
    this.applyMentions(message);
    this.dispatchMessage('MESSAGE_UPDATE', message);
    return message;
  }

  /** Bot edits go through here: only the author may edit its message. */
  editAsBot(message: MessageRecord, body: Json, files: UploadedFile[]): MessageRecord {
    if (message.authorId !== this.botUserId) throw notAuthor();
    return this.editMessage(message, body, files);
  }

  deleteMessage(message: MessageRecord): void {
    message.deleted = true;
    if (message.visibleTo !== null) return;
    this.gateway.dispatch(
      'MESSAGE_DELETE',
      { id: message.id, channel_id: message.channelId, guild_id: message.guildId },
      { guildId: message.guildId, intent: GatewayIntent.GuildMessages },
    );
    const channel = this.world.channels.get(message.channelId);
    if (channel?.thread) channel.thread.messageCount = Math.max(0, channel.thread.messageCount - 1);
  }

  private applyMentions(message: MessageRecord): void {
    const channel = this.world.channels.get(message.channelId);
    const authorPerms = channel ? this.permissionsIn(channel, message.authorId) : 0n;
    const canEveryone = hasAll(authorPerms, P.MentionEveryone);
    const replied = message.reference ? this.world.messages.get(message.reference.messageId) : undefined;
    const result = computeMentions({
      content: message.content,
      allowedMentions: message.allowedMentions as AllowedMentionsInput | undefined,
      canMentionEveryone: canEveryone,
      userExists: (id) => this.world.users.has(id),
      roleMentionable: (id) => {
        const role = this.world.roles.get(id);
        return role !== undefined && role.guildId === message.guildId && (role.mentionable || canEveryone);
      },
      repliedUserId: replied ? replied.authorId : null,
    });
    message.mentionUserIds = result.mentionedUserIds;
    message.mentionRoleIds = result.mentionedRoleIds.filter((id) => this.world.roles.has(id));
    message.wouldPing = result.wouldPing;
  }

  private attachmentsFrom(channelId: string, body: Json, files: UploadedFile[], existing: AttachmentRecord[]): AttachmentRecord[] {
    const meta = Array.isArray(body['attachments']) ? (body['attachments'] as Json[]) : undefined;
    const kept = meta
      ? existing.filter((a) => meta.some((m) => String(m['id']) === a.id))
      : existing;
    const added = files.map((file) => {
      const info = meta?.find((m) => String(m['id']) === String(file.index));
      const filename = typeof info?.['filename'] === 'string' ? info['filename'] : file.filename;
      return this.storeAttachment(channelId, {
        filename,
        contentType: file.contentType,
        data: file.data,
        ...(typeof info?.['description'] === 'string' ? { description: info['description'] } : {}),
      });
    });
    return [...kept, ...added];
  }

  storeAttachment(
    channelId: string,
    file: { filename: string; contentType: string; data: Buffer; description?: string },
  ): AttachmentRecord {
    const id = this.ids.next();
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    const record: AttachmentRecord = {
      id,
      filename: file.filename,
      contentType: file.contentType,
      size: file.data.length,
      url: `${this.baseUrl}${path}`,
      data: file.data,
      ...(file.description !== undefined ? { description: file.description } : {}),
    };
    this.world.attachmentsByPath.set(path, record);
    return record;
  }

  /** Sending into a thread: archived-but-unlocked threads are unarchived by the message, locked ones refuse. */
  prepareThreadForMessage(channel: ChannelRecord, senderId: string): void {
    if (!channel.thread?.archived) return;
    const perms = this.permissionsIn(channel, senderId);
    if (channel.thread.locked && !hasAll(perms, P.ManageThreads)) throw archivedThread();
    channel.thread.archived = false;
    channel.thread.archiveTimestamp = new Date(this.now()).toISOString();
    this.dispatchGuild('THREAD_UPDATE', channel.guildId, channelPayload(channel));
  }

  // ---- threads -------------------------------------------------------------------------------

  createThread(input: {
    parent: ChannelRecord;
    ownerId: string;
    body: Json;
    starter: MessageRecord | null;
  }): ChannelRecord {
    const { parent, body, starter } = input;
    const name = typeof body['name'] === 'string' ? body['name'] : '';
    const requested = body['auto_archive_duration'];
    const type = starter ? (parent.type === 5 ? 10 : 11) : typeof body['type'] === 'number' ? body['type'] : 12;
    if (parent.type !== 0 && parent.type !== 5 && !(parent.type === 15 && !starter)) throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    const now = new Date(this.now()).toISOString();
    const thread: ChannelRecord = {
      id: starter ? starter.id : this.ids.next(),
      guildId: parent.guildId,
      type,
      name,
      position: 0,
      parentId: parent.id,
      topic: null,
      nsfw: parent.nsfw,
      rateLimitPerUser: typeof body['rate_limit_per_user'] === 'number' ? body['rate_limit_per_user'] : 0,
      overwrites: [],
      lastMessageId: null,
      defaultAutoArchiveDuration: null,
      deleted: false,
      thread: {
        ownerId: input.ownerId,
        archived: false,
        locked: false,
        autoArchiveDuration: (requested ?? parent.defaultAutoArchiveDuration ?? 4320) as 60 | 1440 | 4320 | 10080,
        archiveTimestamp: now,
        createTimestamp: now,
        invitable: type === 12 ? body['invitable'] !== false : true,
        starterMessageId: starter ? starter.id : null,
        messageCount: 0,
        totalMessageSent: 0,
        ...(parent.type === 15 ? { appliedTags: Array.isArray(body['applied_tags']) ? body['applied_tags'].map(String) : [] } : {}),
      },
    };
    this.world.channels.set(thread.id, thread);
    const payload = channelPayload(thread);
    const withMember = {
      ...payload,
      newly_created: true,
      member: { id: thread.id, user_id: input.ownerId, join_timestamp: now, flags: 0 },
    };
    this.dispatchGuild('THREAD_CREATE', thread.guildId, withMember);
    if (starter) {
      starter.threadId = thread.id;
      this.dispatchMessage('MESSAGE_UPDATE', starter);
    } else if (type === 11 && parent.type === 0) {
      // Discord announces standalone public threads with a THREAD_CREATED system message in the parent
      const notice = this.createSystemMessage(parent, input.ownerId, 18, name);
      notice.reference = { messageId: thread.id, channelId: thread.id, guildId: thread.guildId };
    }
    return thread;
  }

  private createSystemMessage(channel: ChannelRecord, authorId: string, type: number, content: string): MessageRecord {
    const message: MessageRecord = {
      id: this.ids.next(), channelId: channel.id, guildId: channel.guildId, authorId, type, content,
      embeds: [], components: [], attachments: [], flags: 0, tts: false, createdAt: this.now(), editedAt: null,
      deleted: false, allowedMentions: { parse: [] }, wouldPing: { everyone: false, users: [], roles: [] },
      mentionUserIds: [], mentionRoleIds: [], webhookId: null, applicationId: null, interaction: null,
      visibleTo: null, threadId: null, reference: null, pinned: false, reactions: [],
    };
    this.world.addMessage(message);
    this.touchChannel(channel, message);
    this.dispatchMessage('MESSAGE_CREATE', message);
    return message;
  }

  deleteChannel(channel: ChannelRecord): void {
    if (channel.deleted) return;
    channel.deleted = true;
    const guild = this.world.guilds.get(channel.guildId);
    if (guild?.systemChannelId === channel.id) guild.systemChannelId = null;
    const payload = channelPayload(channel);
    if (channel.thread) {
      this.dispatchGuild('THREAD_DELETE', channel.guildId, {
        id: channel.id, guild_id: channel.guildId, parent_id: channel.parentId, type: channel.type,
      });
      return;
    }
    for (const child of this.world.channels.values()) {
      if (child.parentId === channel.id && child.thread && !child.deleted) child.deleted = true;
    }
    this.dispatchGuild('CHANNEL_DELETE', channel.guildId, payload);
  }
}

/** Discord refuses a message with no text, embed, component or file (50006). */
function isEmpty(m: { content: string; embeds: unknown[]; components: unknown[]; attachments: unknown[] }): boolean {
  return m.content.trim() === '' && m.embeds.length === 0 && m.components.length === 0 && m.attachments.length === 0;
}
