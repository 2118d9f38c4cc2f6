import { reactionsPayload } from './reactions.js';
import type {
  AttachmentRecord,
  ChannelRecord,
  GuildRecord,
  MemberRecord,
  MessageRecord,
  RoleRecord,
  UserRecord,
  World,
} from './state.js';

type Json = Record<string, unknown>;

export function userPayload(user: UserRecord): Json {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName,
    discriminator: '0',
    avatar: null,
    bot: user.bot,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    primary_guild: null,
  };
}

export function rolePayload(role: RoleRecord): Json {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.botId !== undefined,
    mentionable: role.mentionable,
    flags: 0,
    ...(role.botId !== undefined ? { tags: { bot_id: role.botId } } : {}),
  };
}

export function memberPayload(world: World, member: MemberRecord): Json {
  const user = world.users.get(member.userId);
  return {
    user: user ? userPayload(user) : { id: member.userId },
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function channelPayload(channel: ChannelRecord): Json {
  const base: Json = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId,
    nsfw: channel.nsfw,
    rate_limit_per_user: channel.rateLimitPerUser,
    last_message_id: channel.lastMessageId,
    flags: 0,
  };
  if (channel.thread) {
    const t = channel.thread;
    return {
      ...base,
      owner_id: t.ownerId,
      message_count: t.messageCount,
      member_count: 1,
      total_message_sent: t.totalMessageSent,
      thread_metadata: {
        archived: t.archived,
        auto_archive_duration: t.autoArchiveDuration,
        archive_timestamp: t.archiveTimestamp,
        locked: t.locked,
        invitable: t.invitable,
        create_timestamp: t.createTimestamp,
      },
      applied_tags: [...(t.appliedTags ?? [])],
    };
  }
  return {
    ...base,
    position: channel.position,
    topic: channel.topic,
    permission_overwrites: channel.overwrites.map((o) => ({
      id: o.id,
      type: o.type,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
    ...(channel.defaultAutoArchiveDuration !== null
      ? { default_auto_archive_duration: channel.defaultAutoArchiveDuration }
      : {}),
    ...(channel.forum ? forumFields(channel.forum) : {}),
  };
}

/** REQUIRE_TAG, a forum channel's flag. */
export const FORUM_REQUIRE_TAG_FLAG = 1 << 4;

/** What a forum channel's payload carries beyond a text channel's. */
function forumFields(forum: NonNullable<ChannelRecord['forum']>): Json {
  return {
    flags: forum.requireTag ? FORUM_REQUIRE_TAG_FLAG : 0,
    available_tags: forum.availableTags.map((t) => ({ id: t.id, name: t.name, moderated: t.moderated, emoji_id: t.emojiId, emoji_name: t.emojiName })),
    default_reaction_emoji: null,
    default_sort_order: null,
    default_forum_layout: 0,
    default_thread_rate_limit_per_user: 0,
  };
}

export function guildPayload(world: World, guild: GuildRecord): Json {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 2,
    roles: world.guildRoles(guild.id).map(rolePayload),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: guild.systemChannelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: guild.preferredLocale,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/** The GUILD_CREATE payload: the guild plus everything a bot with the GUILDS intent receives. */
export function guildCreatePayload(world: World, guild: GuildRecord): Json {
  const members = world.guildMembers(guild.id);
  return {
    ...guildPayload(world, guild),
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members: members.map((m) => memberPayload(world, m)),
    channels: world.guildChannels(guild.id, { threads: false }).map(channelPayload),
    threads: world
      .guildChannels(guild.id, { threads: true })
      .filter((t) => !t.thread?.archived)
      .map(channelPayload),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
    lazy: true,
  };
}

export function attachmentPayload(a: AttachmentRecord): Json {
  return {
    id: a.id,
    filename: a.filename,
    ...(a.description !== undefined ? { description: a.description } : {}),
    content_type: a.contentType,
    size: a.size,
    url: a.url,
    proxy_url: a.url,
  };
}

export function messagePayload(world: World, m: MessageRecord): Json {
  const author = world.users.get(m.authorId);
  const member = world.member(m.guildId, m.authorId);
  const thread = m.threadId ? world.channels.get(m.threadId) : undefined;
  const payload: Json = {
    id: m.id,
    type: m.type,
    channel_id: m.channelId,
    guild_id: m.guildId,
    author: author ? userPayload(author) : { id: m.authorId, username: 'unknown', discriminator: '0', avatar: null },
    content: m.content,
    timestamp: new Date(m.createdAt).toISOString(),
    edited_timestamp: m.editedAt === null ? null : new Date(m.editedAt).toISOString(),
    tts: m.tts,
    mention_everyone: m.wouldPing.everyone,
    mentions: m.mentionUserIds.flatMap((id) => {
      const u = world.users.get(id);
      return u ? [userPayload(u)] : [];
    }),
    mention_roles: [...m.mentionRoleIds],
    attachments: m.attachments.map(attachmentPayload),
    embeds: structuredClone(m.embeds),
    components: structuredClone(m.components),
    pinned: m.pinned,
    flags: m.flags,
  };
  const reactions = reactionsPayload(m, world.botUserId);
  if (reactions.length > 0) payload['reactions'] = reactions;
  if (member && m.webhookId === null) {
    const { user: _user, ...rest } = memberPayload(world, member);
    payload['member'] = rest;
  }
  if (m.webhookId !== null) payload['webhook_id'] = m.webhookId;
  if (m.applicationId !== null) payload['application_id'] = m.applicationId;
  if (m.interaction) {
    const user = world.users.get(m.interaction.userId);
    const userJson = user ? userPayload(user) : { id: m.interaction.userId };
    payload['interaction_metadata'] = {
      id: m.interaction.id,
      type: m.interaction.type,
      user: userJson,
      authorizing_integration_owners: { '0': m.guildId },
      ...(m.interaction.name !== undefined ? { name: m.interaction.name, command_type: 1 } : {}),
    };
    if (m.interaction.name !== undefined) {
      payload['interaction'] = { id: m.interaction.id, type: m.interaction.type, name: m.interaction.name, user: userJson };
    }
  }
  if (m.reference) {
    payload['message_reference'] = {
      type: 0,
      message_id: m.reference.messageId,
      channel_id: m.reference.channelId,
      guild_id: m.reference.guildId,
    };
  }
  if (thread) payload['thread'] = channelPayload(thread);
  return payload;
}

