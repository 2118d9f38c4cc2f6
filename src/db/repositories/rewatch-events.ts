// Watch-party events: one row per server with events on. Like the schedules, the row is worked on by whoever holds
// its lease (a conditional update), and every write under the lease is fenced by the lease value, so two bot
// processes never create, move or delete the same event twice.
import { and, asc, eq, gt, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import type { Db } from '../client.js';
import { rewatchEvents } from '../schema.js';

export type WatchPartyRecord = typeof rewatchEvents.$inferSelect;
export type ClaimedWatchParty = WatchPartyRecord & { leaseUntil: Date };

/** Fields the keeper changes while it holds the lease. */
export type WatchPartyChange = Partial<
  Pick<WatchPartyRecord, 'state' | 'eventId' | 'generation' | 'episodeIndex' | 'startAt' | 'endAt' | 'link' | 'pausedReason' | 'lastError' | 'syncAt'>
>;

/** Long enough for a handful of event calls; a process that dies holding it only delays the next try. */
export const WATCH_PARTY_LEASE_MS = 2 * 60_000;

/** The recorded event cleared: nothing kept. */
export const NO_EVENT: WatchPartyChange = { state: 'none', eventId: null, generation: null, episodeIndex: null, startAt: null, endAt: null, link: null };

const leaseFree = (now: Date) => or(isNull(rewatchEvents.leaseUntil), lt(rewatchEvents.leaseUntil, now));

export class RewatchEventsRepository {
  constructor(private readonly db: Db) {}

  async forGuild(guildId: string): Promise<WatchPartyRecord | null> {
    const [row] = await this.db.select().from(rewatchEvents).where(eq(rewatchEvents.guildId, guildId));
    return row ?? null;
  }

  /**
   * Turns events on (with where they take place) or off for the server, and asks for a sync now. Turning them off
   * keeps the row until the keeper has removed its event. Returns false when there was nothing to turn off.
   */
  async configure(guildId: string, place: { kind: 'external' | 'voice' | 'stage'; channelId: string | null } | null, now: Date): Promise<boolean> {
    if (!place) {
      const rows = await this.db
        .update(rewatchEvents)
        .set({ enabled: false, syncAt: now, updatedAt: now })
        .where(eq(rewatchEvents.guildId, guildId))
        .returning({ guildId: rewatchEvents.guildId });
      return rows.length === 1;
    }
    const settings = { enabled: true, placeKind: place.kind, placeChannelId: place.channelId, pausedReason: null, lastError: null, syncAt: now, updatedAt: now };
    await this.db.insert(rewatchEvents).values({ guildId, ...settings }).onConflictDoUpdate({ target: rewatchEvents.guildId, set: settings });
    return true;
  }

  /** Asks for a sync at `at` (the tick picks it up), unless one is already asked for sooner. */
  async requestSync(guildId: string, at: Date): Promise<void> {
    await this.db
      .update(rewatchEvents)
      .set({ syncAt: at })
      .where(and(eq(rewatchEvents.guildId, guildId), or(isNull(rewatchEvents.syncAt), gt(rewatchEvents.syncAt, at))));
  }

  /** Takes the lease on the server's row; null when there is none or another process is working on it. */
  async claim(guildId: string, now: Date, leaseMs = WATCH_PARTY_LEASE_MS): Promise<ClaimedWatchParty | null> {
    const [row] = await this.db
      .update(rewatchEvents)
      .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(and(eq(rewatchEvents.guildId, guildId), leaseFree(now)))
      .returning();
    return (row as ClaimedWatchParty | undefined) ?? null;
  }

  /** Records progress while holding the lease; false when the lease was lost (then change nothing more). */
  async update(claimed: ClaimedWatchParty, change: WatchPartyChange, now: Date): Promise<boolean> {
    const rows = await this.db
      .update(rewatchEvents)
      .set({ ...change, updatedAt: now })
      .where(and(eq(rewatchEvents.guildId, claimed.guildId), eq(rewatchEvents.leaseUntil, claimed.leaseUntil)))
      .returning({ guildId: rewatchEvents.guildId });
    return rows.length === 1;
  }

  /** Gives the lease back, applying `change`. */
  async release(claimed: ClaimedWatchParty, change: WatchPartyChange, now: Date): Promise<boolean> {
    const rows = await this.db
      .update(rewatchEvents)
      .set({ ...change, leaseUntil: null, updatedAt: now })
      .where(and(eq(rewatchEvents.guildId, claimed.guildId), eq(rewatchEvents.leaseUntil, claimed.leaseUntil)))
      .returning({ guildId: rewatchEvents.guildId });
    return rows.length === 1;
  }

  /** Forgets the server's events setting (after its event was removed). */
  async remove(claimed: ClaimedWatchParty): Promise<void> {
    await this.db.delete(rewatchEvents).where(and(eq(rewatchEvents.guildId, claimed.guildId), eq(rewatchEvents.leaseUntil, claimed.leaseUntil)));
  }

  /** Servers whose events need a look at `now`, soonest first. */
  async due(now: Date, limit = 50): Promise<string[]> {
    const rows = await this.db
      .select({ guildId: rewatchEvents.guildId })
      .from(rewatchEvents)
      .where(and(isNotNull(rewatchEvents.syncAt), lte(rewatchEvents.syncAt, now), leaseFree(now)))
      .orderBy(asc(rewatchEvents.syncAt))
      .limit(limit);
    return rows.map((r) => r.guildId);
  }
}
