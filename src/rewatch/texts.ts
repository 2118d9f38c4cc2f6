// What the rewatch posts and records, asked for as facts: src/discord/rewatch-render.ts implements this port
// (`rewatchTexts`) and owns every word. Pure functions, so a thread's name is the same on every call:
// reconciliation finds an earlier attempt's thread by it.
import type { Episode } from '../content/index.js';

export interface StarterInput {
  episode: Episode;
  /** 0-based position in the plan. */
  index: number;
  total: number;
  planName: string;
  previousThreadId: string | null;
  /** Set when the thread opens well after its slot (the bot was offline or Discord was failing). */
  lateSince: Date | null;
  /** Episodes the schedule moved past without a thread while the bot was offline. */
  skipped: readonly Pick<Episode, 'code' | 'title'>[];
}

/** What a schedule records about itself (its pause reason, its last problem), shown by status. */
export type ScheduleNote =
  | { code: 'paused-by-member'; userId: string }
  | { code: 'plan-unavailable'; planId: string }
  | { code: 'retrying'; detail: string }
  /** Slots went by without a post; the episodes of all but the last got no thread. */
  | { code: 'caught-up'; slotsPassed: number; skippedCodes: string[]; episodeCode: string }
  | { code: 'opened-late'; episodeCode: string };

export interface RewatchTexts {
  threadName(episode: Pick<Episode, 'code' | 'title'>, index: number, total: number): string;
  /** The first message in an episode's thread. */
  starterMessage(input: StarterInput): string;
  /** Posted in the previous episode's thread when the next one opens. */
  nextThreadNotice(nextThreadId: string, next: Pick<Episode, 'code' | 'title'>): string;
  /** Posted in the channel after the plan's last thread has opened. */
  closingMessage(planName: string, total: number, lastThreadId: string): string;
  /** Told to the server when the schedule pauses itself; `reason` says what a human has to fix. */
  pausedNotice(reason: string): string;
  scheduleNote(note: ScheduleNote): string;
  /** The forum tag a plan's posts carry (Discord allows 20 characters). */
  forumTagName(planName: string): string;
  /** Why the bot opened an episode's thread, for the server's audit log. */
  threadAuditReason(episode: Pick<Episode, 'code' | 'title'>): string;
}
