// Composition root shared by `npm start`, the playground and the end-to-end tests:
// config -> database -> migrate -> content -> client -> router -> login -> background jobs.
import { Events, type Client } from 'discord.js';
import { commands } from '../commands/index.js';
import type { BotContext } from './bot-context.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { loadContent, type Content } from './content/index.js';
import { openDatabase, type Database } from './db/client.js';
import { GuildSettingsRepository } from './db/repositories/guild-settings.js';
import { createDiscordClient } from './discord/client.js';
import { createRouter } from './discord/router.js';
import type { Logger } from './logger.js';

export interface StartBotOptions {
  config: Config;
  logger: Logger;
  /** An already opened database (tests); otherwise opened from config. */
  database?: Database;
  content?: Content;
  clock?: Clock;
  /** Shards this process runs (set by the ShardingManager through the environment otherwise). */
  shards?: number | number[];
  shardCount?: number;
}

export interface RunningBot {
  client: Client;
  context: BotContext;
  database: Database;
  stop(): Promise<void>;
}

export function databaseTarget(config: Config) {
  return config.databaseUrl
    ? ({ kind: 'postgres', url: config.databaseUrl } as const)
    : ({ kind: 'pglite', dir: config.pgliteDir } as const);
}

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  if (!config.discordToken) throw new Error('DISCORD_TOKEN is not set');
  const content = options.content ?? loadContent();
  const ownsDatabase = !options.database;
  const database = options.database ?? (await openDatabase(databaseTarget(config)));
  logger.info({ engine: database.engine }, 'database ready');

  const context: BotContext = {
    config,
    logger,
    db: database.db,
    content,
    clock: options.clock ?? systemClock,
    settings: new GuildSettingsRepository(database.db),
  };

  const client = createDiscordClient({
    apiUrl: config.discordApiUrl,
    shards: options.shards,
    shardCount: options.shardCount,
  });
  const route = createRouter(commands, context);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardResume, (shardId) => logger.info({ shardId }, 'gateway resumed'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.discordToken);
    await ready;
  } catch (error) {
    await client.destroy();
    if (ownsDatabase) await database.close();
    throw error;
  }
  logger.info({ guilds: client.guilds.cache.size, user: client.user?.tag }, 'bot ready');

  let stopped = false;
  return {
    client,
    context,
    database,
    async stop() {
      if (stopped) return;
      stopped = true;
      await client.destroy();
      if (ownsDatabase) await database.close();
      logger.info('bot stopped');
    },
  };
}
