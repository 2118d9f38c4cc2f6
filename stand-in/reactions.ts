import { PermissionFlagsBits as P } from 'discord.js';
import { ApiError, missingPermissions } from './api-error.js';
import type { Core } from './core.js';
import { GatewayIntent } from './gateway.js';
import { hasAll } from './permissions.js';
import { memberPayload } from './serialize.js';
import type { MessageRecord } from './state.js';

type Json = Record<string, unknown>;

/** `👍` -> { id: null, name: '👍' }; `quark:123` or `<:quark:123>` -> { id: '123', name: 'quark' } */
export function emojiPayload(emoji: string): Json {
  const custom = /^<?a?:?([\w~]+):(\d{17,20})>?$/.exec(emoji);
  return custom ? { id: custom[2], name: custom[1], animated: false } : { id: null, name: emoji };
}

/** Normalises the emoji form used in URLs and by tests so `<:quark:1>` and `quark:1` are the same reaction. */
export function emojiKey(emoji: string): string {
  const p = emojiPayload(emoji);
  return p['id'] ? `${String(p['name'])}:${String(p['id'])}` : emoji;
}

export function reactionsPayload(message: MessageRecord, botUserId: string): Json[] {
  return message.reactions
    .filter((r) => r.userIds.length > 0)
    .map((r) => ({
      count: r.userIds.length,
      count_details: { burst: 0, normal: r.userIds.length },
      me: r.userIds.includes(botUserId),
      me_burst: false,
      burst_colors: [],
      emoji: emojiPayload(r.emoji),
    }));
}

/** Adds a reaction by `userId`; a new emoji on the message needs ADD_REACTIONS. Returns false if already there. */
export function addReaction(core: Core, message: MessageRecord, emoji: string, userId: string): boolean {
  const key = emojiKey(emoji);
  const channel = core.world.channels.get(message.channelId);
  if (!channel) throw new ApiError(404, 10003, 'Unknown Channel');
  const perms = core.permissionsIn(channel, userId);
  if (!hasAll(perms, P.ReadMessageHistory)) throw missingPermissions();
  let entry = message.reactions.find((r) => r.emoji === key);
  if (!entry || entry.userIds.length === 0) {
    if (!hasAll(perms, P.AddReactions)) throw missingPermissions();
    if (!entry && message.reactions.length >= 20) throw new ApiError(400, 30010, 'Maximum number of reactions reached (20)');
  }
  if (!entry) {
    entry = { emoji: key, userIds: [] };
    message.reactions.push(entry);
  }
  if (entry.userIds.includes(userId)) return false;
  entry.userIds.push(userId);
  dispatchReaction(core, 'MESSAGE_REACTION_ADD', message, key, userId);
  return true;
}

export function removeReaction(core: Core, message: MessageRecord, emoji: string, userId: string): void {
  const key = emojiKey(emoji);
  const entry = message.reactions.find((r) => r.emoji === key);
  if (!entry || !entry.userIds.includes(userId)) return;
  entry.userIds = entry.userIds.filter((id) => id !== userId);
  if (entry.userIds.length === 0) message.reactions = message.reactions.filter((r) => r !== entry);
  dispatchReaction(core, 'MESSAGE_REACTION_REMOVE', message, key, userId);
}

export function removeAllReactions(core: Core, message: MessageRecord): void {
  message.reactions = [];
  core.gateway.dispatch(
    'MESSAGE_REACTION_REMOVE_ALL',
    { channel_id: message.channelId, message_id: message.id, guild_id: message.guildId },
    { guildId: message.guildId, intent: GatewayIntent.GuildMessageReactions },
  );
}

function dispatchReaction(core: Core, event: string, message: MessageRecord, emoji: string, userId: string): void {
  if (message.visibleTo !== null) return;
  const member = core.world.member(message.guildId, userId);
  core.gateway.dispatch(
    event,
    {
      user_id: userId,
      channel_id: message.channelId,
      message_id: message.id,
      guild_id: message.guildId,
      emoji: emojiPayload(emoji),
      burst: false,
      type: 0,
      ...(event === 'MESSAGE_REACTION_ADD'
        ? { message_author_id: message.authorId, burst_colors: [], ...(member ? { member: memberPayload(core.world, member) } : {}) }
        : {}),
    },
    { guildId: message.guildId, intent: GatewayIntent.GuildMessageReactions },
  );
}
