// Rewatch schedules and the threads they posted. Postgres decides every race: a schedule is worked on by
// whoever holds its lease (a conditional update), each (schedule, generation, episode) gets one post row,
// and command changes are compare-and-set against the state they were computed from.
import { and, asc, desc, eq, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { rewatchPosts, rewatchSchedules } from '../schema.js';

export type ScheduleStatus = 'active' | 'paused' | 'finished';

/** Where a page of due schedules ended. */
export interface DueCursor {
  id: number;
  nextRunAt: Date;
}

export type ScheduleRecord = typeof rewatchSchedules.$inferSelect;
export type PostRecord = typeof rewatchPosts.$inferSelect;

export interface ScheduleSetup {
  guildId: string;
  channelId: string;
  /** Where episodes open (default: a text channel's threads). */
  channelKind?: ScheduleRecord['channelKind'];
  planId: string;
  weekday: number;
  hour: number;
  minute: number;
  timeZone: string;
  nextIndex: number;
  nextRunAt: Date;
  createdBy: string;
}

/** Fields a command or a finished run may change. */
export type ScheduleChange = Partial<
  Pick<ScheduleRecord, 'nextIndex' | 'nextRunAt' | 'status' | 'pauseReason' | 'lastError' | 'lastThreadId'>
>;

export interface NewIntent {
  scheduleId: number;
  generation: number;
  episodeIndex: number;
  episodeCode: string;
  channelId: string;
  late: boolean;
  now: Date;
}

/** How long a claimed schedule stays reserved for the process posting its thread. */
export const LEASE_MS = 2 * 60_000;

const leaseFree = (now: Date) => or(isNull(rewatchSchedules.leaseUntil), lt(rewatchSchedules.leaseUntil, now));

export class RewatchRepository {
  constructor(private readonly db: Db) {}

  /**
   * Creates the server's schedule, or replaces it: a replacement bumps the generation (so its posts never
   * collide with the old run's) and starts clean. Returns null while a thread is being posted for the
   * old schedule (its lease is live); the caller asks the member to try again.
   */
  async saveSchedule(setup: ScheduleSetup, now: Date): Promise<{ schedule: ScheduleRecord; replaced: boolean } | null> {
    const fresh = {
      channelId: setup.channelId,
      channelKind: setup.channelKind ?? 'text',
      planId: setup.planId,
      weekday: setup.weekday,
      hour: setup.hour,
      minute: setup.minute,
      timeZone: setup.timeZone,
      nextIndex: setup.nextIndex,
      startIndex: setup.nextIndex,
      nextRunAt: setup.nextRunAt,
      status: 'active' as const,
      pauseReason: null,
      lastError: null,
      lastThreadId: null,
      leaseUntil: null,
      createdBy: setup.createdBy,
      updatedAt: now,
    };
    const [row] = await this.db
      .insert(rewatchSchedules)
      .values({ guildId: setup.guildId, ...fresh, generation: 1 })
      .onConflictDoUpdate({
        target: rewatchSchedules.guildId,
        set: { ...fresh, generation: sql`${rewatchSchedules.generation} + 1` },
        setWhere: leaseFree(now),
      })
      .returning();
    return row ? { schedule: row, replaced: row.generation > 1 } : null;
  }

  async scheduleForGuild(guildId: string): Promise<ScheduleRecord | null> {
    const [row] = await this.db.select().from(rewatchSchedules).where(eq(rewatchSchedules.guildId, guildId));
    return row ?? null;
  }

  async schedule(id: number): Promise<ScheduleRecord | null> {
    const [row] = await this.db.select().from(rewatchSchedules).where(eq(rewatchSchedules.id, id));
    return row ?? null;
  }

  /**
   * Due, unleased schedules in the order they fell due, `limit` at a time. `after` is the last one of the
   * previous page: a tick pages on from there, so a schedule that failed and is still due is not met again.
   */
  async dueSchedules(now: Date, limit = 50, after?: DueCursor): Promise<DueCursor[]> {
    return this.db
      .select({ id: rewatchSchedules.id, nextRunAt: rewatchSchedules.nextRunAt })
      .from(rewatchSchedules)
      .where(
        and(
          eq(rewatchSchedules.status, 'active'),
          lte(rewatchSchedules.nextRunAt, now),
          leaseFree(now),
          after ? sql`(${rewatchSchedules.nextRunAt}, ${rewatchSchedules.id}) > (${after.nextRunAt.toISOString()}::timestamptz, ${after.id})` : undefined,
        ),
      )
      .orderBy(asc(rewatchSchedules.nextRunAt), asc(rewatchSchedules.id))
      .limit(limit);
  }

  /**
   * Takes the lease on a due schedule. Only one caller (of any process) gets the row back; the lease
   * expires after `LEASE_MS` so a process that dies mid-post cannot wedge the schedule.
   */
  async claimDue(id: number, now: Date, leaseMs = LEASE_MS): Promise<ScheduleRecord | null> {
    const [row] = await this.db
      .update(rewatchSchedules)
      .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(
        and(
          eq(rewatchSchedules.id, id),
          eq(rewatchSchedules.status, 'active'),
          lte(rewatchSchedules.nextRunAt, now),
          leaseFree(now),
        ),
      )
      .returning();
    return row ?? null;
  }

  /** Takes the lease on a guild's active schedule whether or not it is due (for "post now"). */
  async claimForManualPost(guildId: string, now: Date, leaseMs = LEASE_MS): Promise<ScheduleRecord | null> {
    const [row] = await this.db
      .update(rewatchSchedules)
      .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(and(eq(rewatchSchedules.guildId, guildId), eq(rewatchSchedules.status, 'active'), leaseFree(now)))
      .returning();
    return row ?? null;
  }

  /**
   * Gives the lease back, applying `change`. Only works for the holder: the lease value is the fencing
   * token, so a process whose lease expired and was taken over changes nothing. Returns whether it held.
   */
  async release(claimed: Pick<ScheduleRecord, 'id' | 'generation' | 'leaseUntil'>, change: ScheduleChange, now: Date): Promise<boolean> {
    if (!claimed.leaseUntil) throw new Error('release() needs a claimed schedule');
    const rows = await this.db
      .update(rewatchSchedules)
      .set({ ...change, leaseUntil: null, updatedAt: now })
      .where(
        and(
          eq(rewatchSchedules.id, claimed.id),
          eq(rewatchSchedules.generation, claimed.generation),
          eq(rewatchSchedules.leaseUntil, claimed.leaseUntil),
        ),
      )
      .returning({ id: rewatchSchedules.id });
    return rows.length === 1;
  }

  /**
   * Compare-and-set for commands: applies `change` only if the schedule still looks exactly like
   * `expected` (same generation, position, run time and status) and no thread is being posted.
   * Returns the updated row, or null when something moved in between.
   */
  async updateIfUnchanged(expected: ScheduleRecord, change: ScheduleChange, now: Date): Promise<ScheduleRecord | null> {
    const [row] = await this.db
      .update(rewatchSchedules)
      .set({ ...change, leaseUntil: null, updatedAt: now })
      .where(
        and(
          eq(rewatchSchedules.id, expected.id),
          eq(rewatchSchedules.generation, expected.generation),
          eq(rewatchSchedules.nextIndex, expected.nextIndex),
          eq(rewatchSchedules.nextRunAt, expected.nextRunAt),
          eq(rewatchSchedules.status, expected.status),
          leaseFree(now),
        ),
      )
      .returning();
    return row ?? null;
  }

  /** Removes the server's schedule (and its post history). False when there was none or a post is in flight. */
  async deleteSchedule(guildId: string, now: Date): Promise<boolean> {
    const rows = await this.db
      .delete(rewatchSchedules)
      .where(and(eq(rewatchSchedules.guildId, guildId), leaseFree(now)))
      .returning({ id: rewatchSchedules.id });
    return rows.length === 1;
  }

  /**
   * Records the intent to post an episode before Discord is called. `created` is false when the row
   * already existed (an earlier attempt, maybe by another process): the caller then reconciles with it.
   */
  async recordIntent(intent: NewIntent): Promise<{ post: PostRecord; created: boolean }> {
    const [created] = await this.db
      .insert(rewatchPosts)
      .values({
        scheduleId: intent.scheduleId,
        generation: intent.generation,
        episodeIndex: intent.episodeIndex,
        episodeCode: intent.episodeCode,
        channelId: intent.channelId,
        late: intent.late,
        state: 'intent',
        createdAt: intent.now,
      })
      .onConflictDoNothing()
      .returning();
    if (created) return { post: created, created: true };
    const [existing] = await this.db
      .select()
      .from(rewatchPosts)
      .where(
        and(
          eq(rewatchPosts.scheduleId, intent.scheduleId),
          eq(rewatchPosts.generation, intent.generation),
          eq(rewatchPosts.episodeIndex, intent.episodeIndex),
        ),
      );
    if (!existing) throw new Error('rewatch post vanished between insert and select');
    return { post: existing, created: false };
  }

  /** The oldest intent of this run that never got its thread recorded, if any. */
  async pendingIntent(scheduleId: number, generation: number): Promise<PostRecord | null> {
    const [row] = await this.db
      .select()
      .from(rewatchPosts)
      .where(and(eq(rewatchPosts.scheduleId, scheduleId), eq(rewatchPosts.generation, generation), eq(rewatchPosts.state, 'intent')))
      .orderBy(asc(rewatchPosts.episodeIndex))
      .limit(1);
    return row ?? null;
  }

  /**
   * Notes a new attempt on a pending intent. There is no attempts column: the intent's `created_at`
   * doubles as "last attempted at", which is what the retry backoff needs.
   */
  async touchIntent(postId: number, now: Date): Promise<void> {
    await this.db.update(rewatchPosts).set({ createdAt: now }).where(and(eq(rewatchPosts.id, postId), eq(rewatchPosts.state, 'intent')));
  }

  /** Drops an intent that reconciliation showed never reached Discord. */
  async discardIntent(postId: number): Promise<void> {
    await this.db.delete(rewatchPosts).where(and(eq(rewatchPosts.id, postId), eq(rewatchPosts.state, 'intent')));
  }

  /**
   * Records the thread and moves the schedule on, in one transaction. The post is recorded whatever
   * happens (the thread exists); the schedule only moves if this caller still holds the lease.
   */
  async completePost(input: {
    postId: number;
    threadId: string;
    late: boolean;
    claimed: Pick<ScheduleRecord, 'id' | 'generation' | 'leaseUntil'>;
    change: ScheduleChange;
    now: Date;
  }): Promise<{ scheduleMoved: boolean }> {
    const { claimed } = input;
    const lease = claimed.leaseUntil;
    if (!lease) throw new Error('completePost() needs a claimed schedule');
    return this.db.transaction(async (tx) => {
      await tx
        .update(rewatchPosts)
        .set({ threadId: input.threadId, late: input.late, state: 'posted', postedAt: input.now })
        .where(eq(rewatchPosts.id, input.postId));
      const moved = await tx
        .update(rewatchSchedules)
        .set({ ...input.change, leaseUntil: null, updatedAt: input.now })
        .where(
          and(
            eq(rewatchSchedules.id, claimed.id),
            eq(rewatchSchedules.generation, claimed.generation),
            eq(rewatchSchedules.leaseUntil, lease),
          ),
        )
        .returning({ id: rewatchSchedules.id });
      return { scheduleMoved: moved.length === 1 };
    });
  }

  /** Every post of the schedule's current run, in plan order. */
  async posts(scheduleId: number, generation: number): Promise<PostRecord[]> {
    return this.db
      .select()
      .from(rewatchPosts)
      .where(and(eq(rewatchPosts.scheduleId, scheduleId), eq(rewatchPosts.generation, generation)))
      .orderBy(asc(rewatchPosts.episodeIndex));
  }

  /** Thread ids this schedule already owns (any generation): never mistaken for a new episode's thread. */
  async knownThreadIds(scheduleId: number): Promise<Set<string>> {
    const rows = await this.db
      .select({ threadId: rewatchPosts.threadId })
      .from(rewatchPosts)
      .where(and(eq(rewatchPosts.scheduleId, scheduleId), isNotNull(rewatchPosts.threadId)));
    return new Set(rows.map((r) => r.threadId!));
  }

  /**
   * For the trivia and myth spoiler guards:
   * - `undefined`: the server runs no rewatch, so no guard applies;
   * - `null`: it does, but no thread has been posted yet, so nothing counts as watched;
   * - otherwise the code of the latest episode (in plan order) whose thread is up.
   */
  async watchedThrough(guildId: string): Promise<string | null | undefined> {
    const [row] = await this.db
      .select({ code: rewatchPosts.episodeCode })
      .from(rewatchSchedules)
      .leftJoin(
        rewatchPosts,
        and(
          eq(rewatchPosts.scheduleId, rewatchSchedules.id),
          eq(rewatchPosts.generation, rewatchSchedules.generation),
          eq(rewatchPosts.state, 'posted'),
        ),
      )
      .where(eq(rewatchSchedules.guildId, guildId))
      .orderBy(sql`${rewatchPosts.episodeIndex} desc nulls last`)
      .limit(1);
    if (!row) return undefined;
    return row.code ?? null;
  }

  /** The latest posted thread of the schedule's current run. */
  async latestPost(scheduleId: number, generation: number): Promise<PostRecord | null> {
    const [row] = await this.db
      .select()
      .from(rewatchPosts)
      .where(and(eq(rewatchPosts.scheduleId, scheduleId), eq(rewatchPosts.generation, generation), eq(rewatchPosts.state, 'posted')))
      .orderBy(desc(rewatchPosts.postedAt), desc(rewatchPosts.episodeIndex))
      .limit(1);
    return row ?? null;
  }
}
