import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InteractionMetrics } from './bot-context.js';

/** Prometheus metrics for one bot process, served on /metrics when HEALTH_PORT is set. */
export class BotMetrics implements InteractionMetrics {
  readonly registry = new Registry();
  private readonly interactions = new Counter({
    name: 'ds9bot_interactions_total',
    help: 'Interactions handled, by command and outcome (ok, user_error, error)',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'ds9bot_interaction_duration_seconds',
    help: 'Time from receiving an interaction to finishing its handler',
    labelNames: ['command'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly schedulerRuns = new Counter({
    name: 'ds9bot_scheduler_runs_total',
    help: 'Rewatch thread posts attempted by the scheduler, by result (posted, retry, paused)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ds9bot_' });
  }

  interactionHandled(command: string, outcome: string, seconds: number): void {
    this.interactions.inc({ command, outcome });
    this.latency.observe({ command }, seconds);
  }

  schedulerRun(result: string): void {
    this.schedulerRuns.inc({ result });
  }
}
