// How /rewatch-thread answers read. Plain functions from domain results to message text; times are
// Discord timestamps so every member sees them in their own time zone.
import type { Episode } from '../content/index.js';
import type { RewatchProblem } from '../rewatch/problems.js';
import type { RunOutcome, SetupResult, StatusView, UpcomingEpisode } from '../rewatch/index.js';
import type { ScheduleRecord } from '../db/repositories/rewatch.js';
import { WEEKDAY_NAMES } from '../rewatch/schedule-time.js';
import { discordTime } from '../rewatch/thread-content.js';

export const MANAGE_REQUIRED = 'Changing the rewatch schedule needs the Manage Threads or Manage Server permission.';

const both = (at: Date) => `${discordTime(at, 'F')} (${discordTime(at, 'R')})`;
const ep = (e: Pick<Episode, 'code' | 'title'>) => `**${e.title}** (${e.code})`;
const pad = (n: number) => String(n).padStart(2, '0');

export function slotText(s: Pick<ScheduleRecord, 'weekday' | 'hour' | 'minute' | 'timeZone'>): string {
  return `every ${WEEKDAY_NAMES[s.weekday] ?? '?'} at ${pad(s.hour)}:${pad(s.minute)} ${s.timeZone}`;
}

export function missingBotPermissions(channelId: string, missing: readonly string[]): string {
  return `I can't run the rewatch in <#${channelId}> yet: I'm missing ${missing.join(', ')} there. Grant ${missing.length === 1 ? 'it' : 'them'} and run setup again.`;
}

export function renderSetup(r: SetupResult): string {
  return [
    `${r.replaced ? 'Rewatch schedule replaced' : 'Rewatch scheduled'}: *${r.plan.name}* in <#${r.schedule.channelId}>, ${slotText(r.schedule)}.`,
    `First thread: ${ep(r.firstEpisode)} (${r.firstIndex + 1} of ${r.plan.episodes.length}) on ${both(r.nextRunAt)}.`,
  ].join('\n');
}

export function renderStatus(v: StatusView): string {
  const s = v.schedule;
  const lines = [`**Rewatch:** *${v.plan?.name ?? s.planId}* in <#${s.channelId}>, ${slotText(s)}.`];
  if (s.status === 'finished') {
    lines.push(`Finished: ${v.postedCount} of ${v.total} episodes got a thread.`);
  } else {
    lines.push(`Progress: ${v.postedCount} thread${v.postedCount === 1 ? '' : 's'} posted; next up is episode ${Math.min(s.nextIndex + 1, v.total)} of ${v.total}.`);
    if (v.nextEpisode) {
      lines.push(s.status === 'paused' ? `Next: ${ep(v.nextEpisode)}, once the schedule is resumed.` : `Next: ${ep(v.nextEpisode)} on ${both(v.nextRunAt ?? s.nextRunAt)}.`);
    }
  }
  if (s.status === 'paused') lines.push(`**Paused:** ${s.pauseReason ?? 'no reason recorded.'}`);
  if (v.lastThread) lines.push(`Last thread: <#${v.lastThread.threadId}> (${v.lastThread.episodeCode}).`);
  if (v.retryingAt) lines.push(`Retrying the post ${discordTime(v.retryingAt, 'R')}.`);
  if (v.lateCodes.length > 0) lines.push(`Opened late: ${v.lateCodes.join(', ')}.`);
  if (v.skippedCodes.length > 0) lines.push(`Skipped (no thread): ${v.skippedCodes.join(', ')}.`);
  if (s.lastError && s.lastError !== s.pauseReason) lines.push(`Last problem: ${s.lastError}`);
  return lines.join('\n');
}

export function renderPostedNow(o: Extract<RunOutcome, { kind: 'posted' }>): string {
  const lines = [`Thread posted for ${ep(o.episode)} (${o.episodeIndex + 1} of ${o.total}): <#${o.threadId}>.`];
  if (o.reconciled) lines.push('(An earlier attempt had already created it; it is now recorded.)');
  lines.push(o.finished || !o.nextRunAt ? 'That was the last episode of the plan.' : `The next thread follows on ${both(o.nextRunAt)}.`);
  return lines.join('\n');
}

export function renderSkip(r: { skipped: Episode; next: Episode | null; nextRunAt: Date | null }): string {
  if (!r.next) return `Skipped ${ep(r.skipped)}. That was the last episode, so the rewatch is finished.`;
  return `Skipped ${ep(r.skipped)}. Next: ${ep(r.next)}${r.nextRunAt ? ` on ${both(r.nextRunAt)}` : ', once the schedule is resumed'}.`;
}

export function renderPaused(): string {
  return 'Rewatch paused. No threads will be posted until someone runs /rewatch-thread resume.';
}

export function renderResumed(r: { schedule: ScheduleRecord; next: Episode | null }): string {
  return r.next ? `Rewatch resumed. Next: ${ep(r.next)} on ${both(r.schedule.nextRunAt)}.` : 'Rewatch resumed.';
}

export function renderDelayed(s: ScheduleRecord, weeks: number): string {
  return `Delayed by ${weeks} week${weeks === 1 ? '' : 's'}. The next thread now opens on ${both(s.nextRunAt)}.`;
}

export function renderStopped(): string {
  return 'Rewatch stopped and its schedule removed. The threads already posted stay where they are.';
}

export function renderUpcoming(r: { schedule: ScheduleRecord; plan: { name: string; episodes: readonly Episode[] }; episodes: UpcomingEpisode[] }): string {
  if (r.episodes.length === 0) return `*${r.plan.name}* has finished: every episode has had its thread.`;
  const head = `**Coming up in *${r.plan.name}*** (${slotText(r.schedule)})${r.schedule.status === 'paused' ? ', paused: dates assume it resumes now' : ''}:`;
  const rows = r.episodes.map((u) => `${u.index + 1}. ${ep(u.episode)}: ${discordTime(u.at, 'F')}`);
  return [head, ...rows].join('\n');
}

/** The member's message when /rewatch-thread refuses. */
export function explainRewatchProblem(problem: RewatchProblem): string {
  return problem;
}
