import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { guildSettings, localWeekStart, playerWeekScores, triviaAnswers } from '../schema.js';

export interface GuildSettings {
  guildId: string;
  timeZone: string;
  secondsPerQuestion: number;
  defaultQuestionCount: number;
  spoilerGuard: boolean;
}

export type GuildSettingsChange = Partial<Omit<GuildSettings, 'guildId'>>;

export const DEFAULT_SETTINGS: Omit<GuildSettings, 'guildId'> = {
  timeZone: 'UTC',
  secondsPerQuestion: 20,
  defaultQuestionCount: 5,
  spoilerGuard: true,
};

/**
 * How far back a change of time zone rebuilds the weekly scores: every week starting in it, which always holds
 * the current week (the only one a board reads) whatever the two zones' offsets.
 */
const REKEYED_DAYS = 8;

export class GuildSettingsRepository {
  constructor(private readonly db: Db) {}

  /** The server's settings, or the defaults when it never changed any. */
  async get(guildId: string): Promise<GuildSettings> {
    const [row] = await this.db.select().from(guildSettings).where(eq(guildSettings.guildId, guildId));
    if (!row) return { guildId, ...DEFAULT_SETTINGS };
    return {
      guildId,
      timeZone: row.timeZone,
      secondsPerQuestion: row.secondsPerQuestion,
      defaultQuestionCount: row.defaultQuestionCount,
      spoilerGuard: row.spoilerGuard,
    };
  }

  /**
   * Saves a change of settings. A new time zone moves the server's week boundaries: the weekly scores kept by
   * migration 0011's trigger were keyed by the old zone's Mondays, so the recent weeks are rebuilt from the
   * answers under the new one, in the same transaction (a board never sees the week half moved).
   */
  async update(guildId: string, change: GuildSettingsChange, now: Date): Promise<GuildSettings> {
    const values = { ...change, updatedAt: now };
    await this.db.transaction(async (tx) => {
      const [stored] = await tx.select({ timeZone: guildSettings.timeZone }).from(guildSettings).where(eq(guildSettings.guildId, guildId)).for('update');
      await tx
        .insert(guildSettings)
        .values({ guildId, ...DEFAULT_SETTINGS, ...values })
        .onConflictDoUpdate({ target: guildSettings.guildId, set: values });
      const storedZone = stored?.timeZone ?? DEFAULT_SETTINGS.timeZone;
      if (change.timeZone !== undefined && change.timeZone !== storedZone) await rekeyRecentWeeks(tx, guildId, change.timeZone, now);
    });
    return this.get(guildId);
  }
}

/**
 * Replaces the server's weekly scores of the weeks starting in the last `REKEYED_DAYS` days (old zone's keys) by
 * those of the answers whose week under `timeZone` starts in them (the trigger's grouping, one statement).
 * Older weeks keep their old keys: no board reads them.
 */
async function rekeyRecentWeeks(tx: Pick<Db, 'delete' | 'execute'>, guildId: string, timeZone: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - REKEYED_DAYS * 86_400_000).toISOString();
  await tx.delete(playerWeekScores).where(and(eq(playerWeekScores.guildId, guildId), gt(playerWeekScores.weekStart, sql`${since}::timestamptz`)));
  const week = localWeekStart(sql`${triviaAnswers.answeredAt}`, sql`${timeZone}::text`);
  // An answer is never before its week's start, so only answers of these days can be in a week starting in them.
  await tx.execute(sql`
    insert into ${playerWeekScores} (guild_id, week_start, user_id, points)
    select ${triviaAnswers.guildId}, ${week}, ${triviaAnswers.userId}, sum(${triviaAnswers.points})::int
    from ${triviaAnswers}
    where ${triviaAnswers.guildId} = ${guildId} and ${triviaAnswers.answeredAt} > ${since}::timestamptz and ${week} > ${since}::timestamptz
    group by 1, 2, 3
    having sum(${triviaAnswers.points}) <> 0`);
}
