import type { GuildSettingsRepository } from '../db/repositories/guild-settings.js';
import type { TriviaRepository } from '../db/repositories/trivia.js';
import type { PlayerStats, Standing } from './types.js';

export type BoardPeriod = 'week' | 'all';

export interface Leaderboard {
  period: BoardPeriod;
  top: Standing[];
  /** The asking member's place, or null when they have no points in the period. */
  me: Standing | null;
  /** Members tied with the last place shown who did not fit on the board. */
  tiedBeyond: number;
  /** The server's time zone: the week starts on its Monday. */
  timeZone: string;
  /** Questions the member has answered here, all time: only read (and only meaningful) when `me` is null. */
  answered: number;
}

/** The server's standings: the weekly and all-time leaderboards and a member's stats. */
export class TriviaBoards {
  constructor(private readonly deps: { repo: TriviaRepository; settings: GuildSettingsRepository }) {}

  async leaderboard(guildId: string, userId: string, period: BoardPeriod, now: Date): Promise<Leaderboard> {
    const { timeZone } = await this.deps.settings.get(guildId);
    const board =
      period === 'week'
        ? await this.deps.repo.leaderboardThisWeek(guildId, userId, now, timeZone)
        : await this.deps.repo.leaderboardAllTime(guildId, userId);
    const answered = board.me ? 0 : ((await this.deps.repo.stats(guildId, userId))?.answered ?? 0);
    return { period, ...board, timeZone, answered };
  }

  stats(guildId: string, userId: string): Promise<PlayerStats | null> {
    return this.deps.repo.stats(guildId, userId);
  }
}
