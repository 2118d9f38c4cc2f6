// The minute tick: finds due schedules, claims each with a lease and posts its thread. Postgres is the
// source of truth, so any number of bot processes can tick the same database.
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { DueCursor, RewatchRepository } from '../db/repositories/rewatch.js';
import type { Logger } from '../logger.js';
import type { EpisodePublisher, RunOutcome } from './episode-publisher.js';
import { OneAtATime } from '../util/one-at-a-time.js';
import type { WatchPartyKeeper } from './watch-party-keeper.js';

export const TICK_CRON = '* * * * *';

export class RewatchScheduler {
  private task: ScheduledTask | null = null;
  private readonly ticks = new OneAtATime();
  private stopped = false;

  constructor(
    private readonly deps: {
      repository: RewatchRepository;
      publisher: EpisodePublisher;
      clock: Clock;
      logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
      /** Schedules read from the database at a time. */
      batchSize?: number;
      /** Watch-party events that fall due (a week ahead) or are to be retried, looked at after the threads. */
      watchParty?: Pick<WatchPartyKeeper, 'tick'>;
    },
  ) {}

  /** Ticks every minute until `stop()`. A tick still running when the next minute comes is not doubled. */
  start(): void {
    if (this.task || this.stopped) return;
    this.task = cron.schedule(TICK_CRON, () => {
      if (this.ticks.busy) return;
      void this.tick(this.deps.clock.now()).catch((error: unknown) => {
        this.deps.logger?.error({ err: error }, 'rewatch tick failed');
      });
    });
  }

  /**
   * Posts every thread due at `now`, one schedule at a time. Ticks never overlap within a process: a call
   * made while one runs waits for it first. Other processes are kept out by the database lease.
   */
  async tick(now: Date): Promise<RunOutcome[]> {
    if (this.stopped) return [];
    return this.ticks.run(() => this.runTick(now));
  }

  /** Stops ticking and waits for a tick in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    const task = this.task;
    this.task = null;
    if (task) await task.destroy();
    await this.ticks.idle();
  }

  /**
   * Works through everything due, a page at a time, until nothing is left: a burst of due schedules (every
   * server picked Friday 20:00) is posted in this tick, not spread over hours of minute ticks. Each page is
   * claimed at the current time, so a lease taken late in a long tick still runs its full length.
   */
  private async runTick(tickNow: Date): Promise<RunOutcome[]> {
    const { repository, publisher, logger, clock } = this.deps;
    const outcomes: RunOutcome[] = [];
    let after: DueCursor | undefined;
    while (!this.stopped) {
      const now = new Date(Math.max(tickNow.getTime(), clock.now().getTime()));
      const page = await repository.dueSchedules(now, this.deps.batchSize ?? 50, after);
      if (page.length === 0) break;
      after = page[page.length - 1];
      for (const { id } of page) {
        if (this.stopped) break;
        const claimed = await repository.claimDue(id, now);
        if (!claimed) continue; // another process got it first
        try {
          outcomes.push(await publisher.publish(claimed, now, 'scheduled'));
        } catch (error) {
          logger?.error({ err: error, scheduleId: id }, 'rewatch run failed');
        }
      }
    }
    // After every due thread is up: in a burst (every server on Friday 20:00) the threads go out first.
    if (!this.stopped) await this.deps.watchParty?.tick(new Date(Math.max(tickNow.getTime(), clock.now().getTime()))).catch((error: unknown) => logger?.error({ err: error }, 'watch-party tick failed'));
    return outcomes;
  }
}
