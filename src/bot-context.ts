import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { MythService } from './myth/myth-service.js';
import type { RewatchService } from './rewatch/index.js';
import type { TriviaService } from './trivia/service.js';
import type { Logger } from './logger.js';

/** Counters the router reports to; the Prometheus implementation lives in src/metrics.ts. */
export interface InteractionMetrics {
  interactionHandled(command: string, outcome: string, seconds: number): void;
}

/** What every command adapter receives: typed config, the domain services, the clock and the logger. No repository. */
export interface BotContext {
  config: Config;
  logger: Logger;
  clock: Clock;
  trivia: TriviaService;
  myth: MythService;
  rewatch: RewatchService;
  metrics?: InteractionMetrics;
}
