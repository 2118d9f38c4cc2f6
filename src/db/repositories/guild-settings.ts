import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { guildSettings } from '../schema.js';

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

  async update(guildId: string, change: GuildSettingsChange, now: Date): Promise<GuildSettings> {
    const values = { ...change, updatedAt: now };
    await this.db
      .insert(guildSettings)
      .values({ guildId, ...DEFAULT_SETTINGS, ...values })
      .onConflictDoUpdate({ target: guildSettings.guildId, set: values });
    return this.get(guildId);
  }
}
