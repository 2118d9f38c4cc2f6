// Composition root shared by `npm start`, the playground and the end-to-end tests:
// config -> content -> (database + migrate, while the client logs in) -> router -> background jobs.
import { Events, Status, type Client, type Interaction } from 'discord.js';
import { commands } from '../commands/index.js';
import type { BotContext } from './bot-context.js';
import { systemClock, type Clock } from './clock.js';
import { restApiUrl, type Config } from './config.js';
import { loadContent, type Content } from './content/index.js';
import { openDatabase, type Database } from './db/client.js';
import { GuildSettingsRepository } from './db/repositories/guild-settings.js';
import { MythRepository } from './db/repositories/myth.js';
import { RewatchRepository } from './db/repositories/rewatch.js';
import { RewatchEventsRepository } from './db/repositories/rewatch-events.js';
import { QuestionPackRepository } from './db/repositories/question-packs.js';
import { TriviaRepository } from './db/repositories/trivia.js';
import { createDiscordClient } from './discord/client.js';
import { createRouter } from './discord/router.js';
import { DiscordMythAnnouncer } from './discord/myth-announcer.js';
import { DiscordThreadPoster, rewatchRest } from './discord/rewatch-poster.js';
import { DiscordEventDesk } from './discord/event-desk.js';
import { watchPartyTexts } from './discord/event-render.js';
import { rewatchTexts } from './discord/rewatch-render.js';
import { DiscordTriviaAnnouncer } from './discord/trivia-announcer.js';
import { startHealthServer } from './health.js';
import type { Logger } from './logger.js';
import { BotMetrics } from './metrics.js';
import { MythService } from './myth/myth-service.js';
import { EpisodePublisher, RewatchScheduler, RewatchService } from './rewatch/index.js';
import { spoilerLimit } from './rewatch/spoiler-limit.js';
import { WatchPartyKeeper } from './rewatch/watch-party-keeper.js';
import { databaseProblem, discordProblem, StartupError } from './startup-problem.js';
import { TriviaEngine } from './trivia/game-engine.js';
import { BankAndPacksCatalog } from './trivia/question-catalog.js';
import { TriviaService } from './trivia/service.js';

export interface StartBotOptions {
  config: Config;
  logger: Logger;
  /** An opened (or still opening) database, as tests have; otherwise opened from config. */
  database?: Database | Promise<Database>;
  content?: Content;
  clock?: Clock;
  /** Shards this process runs (otherwise SHARD_IDS, or the ShardingManager's choice through the environment). */
  shards?: number | number[];
  shardCount?: number;
  random?: () => number;
  /** How often running games are moved along; 0 turns the background ticker off (tests then call tick()). */
  tickIntervalMs?: number;
  /** Pause between a trivia reveal and the next question. */
  triviaPauseMs?: number;
}

export interface RunningBot {
  client: Client;
  context: BotContext;
  database: Database;
  /** The port of the health endpoint, when HEALTH_PORT is set. */
  healthPort: number | undefined;
  /** One pass of the background work: trivia rounds, myth verdicts and due rewatch threads. */
  tick(): Promise<void>;
  /** Resolves once the start-up catch-up is done and every interaction that has reached the bot is fully handled (its reply and what follows it). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Logs in and waits until every server has arrived (discord.js's ready). */
async function logIn(client: Client, token: string): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
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
  const client = createDiscordClient({
    apiUrl: restApiUrl(config),
    // SHARD_IDS with SHARD_COUNT: this process runs that range (a ShardingManager's process is handed its shard).
    shards: options.shards ?? config.shardIds,
    shardCount: options.shardCount ?? (config.shardIds ? config.shardCount : undefined),
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardResume, (shardId) => logger.info({ shardId }, 'gateway resumed'));
  // Interactions that come in before the router exists wait for it (the database may still be opening).
  let route: ((interaction: Interaction) => Promise<void>) | undefined;
  const early: Interaction[] = [];
  const handling = new Set<Promise<void>>();
  const handle = (interaction: Interaction): void => {
    const handled = route!(interaction).finally(() => handling.delete(handled));
    handling.add(handled);
  };
  client.on(Events.InteractionCreate, (interaction) => (route ? handle(interaction) : early.push(interaction)));

  // The database opens while the client logs in (the gateway handshake and every GUILD_CREATE): on PGlite
  // each takes a second or more, and neither needs the other.
  const loggingIn = logIn(client, config.discordToken);
  loggingIn.catch(() => {}); // its failure is reported below, after the database's
  let database: Database;
  try {
    database = await (options.database ?? openDatabase(databaseTarget(config)));
  } catch (error) {
    await client.destroy();
    throw new StartupError(databaseProblem(error, config.databaseUrl, config.pgliteDir), { cause: error });
  }
  logger.info({ engine: database.engine }, 'database ready');
  try {
    await loggingIn;
  } catch (error) {
    await client.destroy();
    if (ownsDatabase) await database.close();
    throw new StartupError(discordProblem(error, restApiUrl(config)), { cause: error });
  }

  const db = database.db;
  const clock = options.clock ?? systemClock;
  const settings = new GuildSettingsRepository(db);
  const triviaScores = new TriviaRepository(db);
  const packs = new QuestionPackRepository(db);
  const rewatchRepo = new RewatchRepository(db);
  const watchedThrough = spoilerLimit(rewatchRepo, content.plans);
  const rewatchDiscord = rewatchRest(client.rest, config.discordToken);
  const rewatchPoster = new DiscordThreadPoster(rewatchDiscord);
  const watchParty = new WatchPartyKeeper({
    events: new RewatchEventsRepository(db),
    schedules: rewatchRepo,
    plans: content.plans,
    desk: new DiscordEventDesk(rewatchDiscord, () => client.user?.id ?? ''),
    texts: watchPartyTexts,
    notify: ({ guildId, channelId, content, nonce }) => rewatchPoster.notifyProblem({ guildId, channelId, message: { content, nonce } }),
    logger,
  });
  const rewatchPublisher = new EpisodePublisher({ repository: rewatchRepo, poster: rewatchPoster, plans: content.plans, texts: rewatchTexts, logger, watchParty });
  const rewatch = new RewatchService({ repository: rewatchRepo, publisher: rewatchPublisher, plans: content.plans, defaultPlan: content.defaultPlan, texts: rewatchTexts, watchParty });
  const rewatchScheduler = new RewatchScheduler({ repository: rewatchRepo, publisher: rewatchPublisher, clock, logger, watchParty });
  const trivia = new TriviaEngine({
    repo: triviaScores,
    catalog: new BankAndPacksCatalog(content.questions, packs),
    settings,
    watchedThrough,
    announcer: new DiscordTriviaAnnouncer(client.rest),
    random: options.random ?? Math.random,
    logger,
    pauseMs: options.triviaPauseMs,
    // A question closing before the next tick is moved along right then, by a timer (none when tests tick by hand).
    lookaheadMs: options.tickIntervalMs ?? 1_000,
  });
  const myth = new MythService({
    repo: new MythRepository(db),
    myths: content.myths,
    settings,
    watchedThrough,
    announcer: new DiscordMythAnnouncer(client.rest),
    random: options.random ?? Math.random,
    logger,
  });
  const metrics = new BotMetrics();
  const triviaService = new TriviaService(trivia, { repo: triviaScores, settings, packs, content });
  const context: BotContext = { config, logger, clock, trivia: triviaService, myth, rewatch, metrics };

  route = createRouter(commands, context);
  for (const interaction of early.splice(0)) handle(interaction);
  logger.info({ guilds: client.guilds.cache.size, shards: [...client.ws.shards.keys()], user: client.user?.tag }, 'bot ready');

  const health =
    config.healthPort === undefined
      ? undefined
      : await startHealthServer(config.healthPort, { gatewayConnected: () => client.ws.status === Status.Ready, pingDatabase: () => database.ping() }, metrics.registry);
  if (health) logger.info({ port: health.port }, 'health endpoint listening on /healthz and /metrics');

  const tick = async () => {
    const now = clock.now();
    await trivia.tick(now);
    await myth.tick(now);
  };
  const tickIntervalMs = options.tickIntervalMs ?? 1_000;
  let running: Promise<void> | undefined;
  const ticker =
    tickIntervalMs > 0
      ? setInterval(() => {
          running ??= tick()
            .catch((error: unknown) => logger.error({ err: error }, 'background tick failed'))
            .finally(() => (running = undefined));
        }, tickIntervalMs)
      : undefined;
  // Rewatch threads: node-cron every minute (Postgres decides what is due, so a missed minute is caught up).
  if (tickIntervalMs > 0) rewatchScheduler.start();
  // Catch up at once on anything that fell due while the bot was down.
  const catchingUp = tick()
    .then(() => rewatchScheduler.tick(clock.now()))
    .catch((error: unknown) => logger.error({ err: error }, 'start-up catch-up failed'));

  let stopped = false;
  return {
    client,
    context,
    database,
    healthPort: health?.port,
    async tick() {
      await tick();
      await rewatchScheduler.tick(clock.now());
    },
    async idle() {
      await catchingUp;
      while (handling.size > 0) await Promise.allSettled([...handling]);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      await running;
      await trivia.shutdown();
      await rewatchScheduler.stop();
      await health?.close();
      await client.destroy();
      if (ownsDatabase) await database.close();
      logger.info('bot stopped');
    },
  };
}
