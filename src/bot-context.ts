import type { Content } from './content/index.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import type { GuildSettingsRepository } from './db/repositories/guild-settings.js';
import type { QuestionPackRepository } from './db/repositories/question-packs.js';
import type { TriviaRepository } from './db/repositories/trivia.js';
import type { MythService } from './myth/myth-service.js';
import type { RewatchService } from './rewatch/index.js';
import type { TriviaEngine } from './trivia/game-engine.js';
import type { Logger } from './logger.js';

/** Counters the router reports to; the Prometheus implementation lives in src/metrics.ts. */
export interface InteractionMetrics {
  interactionHandled(command: string, outcome: string, seconds: number): void;
}

/** What every command adapter receives: typed config, the domain services and the clock. */
export interface BotContext {
  config: Config;
  logger: Logger;
  db: Db;
  content: Content;
  clock: Clock;
  settings: GuildSettingsRepository;
  trivia: TriviaEngine;
  triviaScores: TriviaRepository;
  packs: QuestionPackRepository;
  myth: MythService;
  rewatch: RewatchService;
  metrics?: InteractionMetrics;
}
