import type { GuildSettings, GuildSettingsChange, GuildSettingsRepository } from '../db/repositories/guild-settings.js';
import { canonicalTimeZone } from '../time/schedule-time.js';
import { triviaRefusal } from './problems.js';

/** What an admin may change; the time zone as typed, checked here. */
export type SettingsRequest = Omit<GuildSettingsChange, 'timeZone'> & { timeZone?: string };

/** A server's trivia settings: anyone may read them; the adapter checks Manage Server before a change. */
export class TriviaSettings {
  constructor(private readonly repo: GuildSettingsRepository) {}

  show(guildId: string): Promise<GuildSettings> {
    return this.repo.get(guildId);
  }

  /** Saves the change (nothing when a value is bad) and returns the settings now in force. */
  async change(guildId: string, request: SettingsRequest, now: Date): Promise<GuildSettings> {
    const { timeZone: typed, ...rest } = request;
    let timeZone: string | undefined;
    if (typed !== undefined) {
      timeZone = canonicalTimeZone(typed) ?? undefined;
      if (!timeZone) throw triviaRefusal({ code: 'unknown-time-zone', text: typed });
    }
    return this.repo.update(guildId, { ...rest, ...(timeZone && { timeZone }) }, now);
  }
}
