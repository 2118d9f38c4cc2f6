import { Client, GatewayIntentBits, Options, Partials } from 'discord.js';

export interface ClientOptions {
  /** Base URL of the REST API: the shared REST proxy (`npm run rest-proxy`) or the local stand-in; Discord's when unset. */
  apiUrl?: string;
  /** The shards this client runs, out of `shardCount` (every shard when unset). */
  shards?: number | number[];
  shardCount?: number;
}

/**
 * The discord.js client. Only the Guilds intent: slash commands, buttons and modals need no message content.
 * Caches are kept small: the bot reads messages by id when it edits them, never from the cache.
 */
export function createDiscordClient(options: ClientOptions = {}): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    // Rule: nothing the bot posts can ping @everyone, a role or a member unless a message opts in explicitly.
    allowedMentions: { parse: [], repliedUser: false },
    rest: options.apiUrl ? { api: options.apiUrl } : {},
    ...(options.shards === undefined ? {} : { shards: options.shards }),
    ...(options.shardCount === undefined ? {} : { shardCount: options.shardCount }),
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      ThreadMemberManager: 0,
      GuildMemberManager: { maxSize: 1, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 1, keepOverLimit: (user) => user.id === user.client.user.id },
      PresenceManager: 0,
      ReactionManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      VoiceStateManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      GuildInviteManager: 0,
      GuildBanManager: 0,
      AutoModerationRuleManager: 0,
    }),
  });
}
