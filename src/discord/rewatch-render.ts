// Every word of the rewatch: the /rewatch-thread answers, its refusals, and what the scheduler posts and records.
// Plain functions from domain results to message text; times are Discord timestamps so every member sees them
// in their own time zone. Command and option names come from rewatch-command.ts.
import type { Episode } from '../content/index.js';
import type { ScheduleRecord } from '../db/repositories/rewatch.js';
import type {
  ChannelKind,
  ClockChangeNote,
  RewatchProblem,
  RewatchTexts,
  RunOutcome,
  ScheduleNote,
  SetupResult,
  StarterInput,
  StatusView,
  UpcomingEpisode,
} from '../rewatch/index.js';
import { WEEKDAY_NAMES } from '../time/schedule-time.js';
import { watchPartyLines } from './event-render.js';
import { discordTime } from './format.js';
import { BOT_CHANNEL_PERMISSIONS, REWATCH, type RewatchSubcommand } from './rewatch-command.js';

const both = (at: Date) => `${discordTime(at, 'F')} (${discordTime(at, 'R')})`;
const ep = (e: Pick<Episode, 'code' | 'title'>) => `**${e.title}** (${e.code})`;
const pad = (n: number) => String(n).padStart(2, '0');
/** "/rewatch-thread resume" */
const slash = (sub: RewatchSubcommand) => `/${REWATCH.name} ${sub}`;

// ---------------------------------------------------------------------------------------------
// Answers to /rewatch-thread
// ---------------------------------------------------------------------------------------------

export const SERVER_ONLY = 'Rewatch threads are run per server: use this command inside a server.';
export const MANAGE_REQUIRED = 'Changing the rewatch schedule needs the Manage Threads or Manage Server permission.';
export const TEXT_CHANNEL_REQUIRED = 'Pick a text channel, an announcement channel or a forum: episodes open there as threads (or forum posts).';
export const UNKNOWN_SUBCOMMAND = `I do not know that part of /${REWATCH.name}.`;

export function slotText(s: Pick<ScheduleRecord, 'weekday' | 'hour' | 'minute' | 'timeZone'>): string {
  return `every ${WEEKDAY_NAMES[s.weekday] ?? '?'} at ${pad(s.hour)}:${pad(s.minute)} ${s.timeZone}`;
}

export function missingBotPermissions(channelId: string, missing: readonly string[]): string {
  return `I can't run the rewatch in <#${channelId}> yet: I'm missing ${missing.join(', ')} there. Grant ${missing.length === 1 ? 'it' : 'them'} and run ${REWATCH.sub.setup} again.`;
}

/** A forum that requires a tag on every post, without the plan's tag, and the bot may not add it. */
export function forumTagRequired(channelId: string, tagName: string): string {
  return `<#${channelId}> requires a tag on every post, and it has no tag "${tagName}" for this rewatch. Add that tag to the forum (or give me Manage Channels there to add it myself) and run ${REWATCH.sub.setup} again.`;
}

/** An autocomplete choice for the start option. */
export function episodeChoice(e: Pick<Episode, 'code' | 'title'>): { name: string; value: string } {
  return { name: `${e.code} ${e.title}`.slice(0, 100), value: e.code };
}

export function renderSetup(r: SetupResult): string {
  return [
    `${r.replaced ? 'Rewatch schedule replaced' : 'Rewatch scheduled'}: *${r.plan.name}* in <#${r.schedule.channelId}>, ${slotText(r.schedule)}.`,
    `First thread: ${ep(r.firstEpisode)} (${r.firstIndex + 1} of ${r.plan.episodes.length}) on ${both(r.nextRunAt)}.`,
    ...(r.schedule.channelKind === 'forum' ? [`Each episode opens as a post in that forum, tagged "${forumTagName(r.plan.name)}" when the forum has that tag or lets me add it.`] : []),
    ...r.clockChanges.map(clockChangeLine),
    ...watchPartyLines(r.watchParty ?? null),
  ].join('\n');
}

/** "Clocks change in Europe/Berlin the night of 7x22's thread: 02:30 does not exist then, so it opens at 03:00." */
function clockChangeLine(note: ClockChangeNote): string {
  const time = `${pad(note.slot.hour)}:${pad(note.slot.minute)}`;
  const why =
    note.change === 'gap'
      ? `${time} does not exist that night (the clocks go forward), so it opens at ${discordTime(note.at, 't')}, the first time after the change`
      : `${time} happens twice that night (the clocks go back), so it opens at the first of the two`;
  return `Note: the clocks change in ${note.slot.timeZone} on the day of ${note.episodeCode}'s thread (${discordTime(note.at, 'D')}): ${why}.`;
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
  // The thread link shows its name, which already carries the episode code.
  if (v.lastThread) lines.push(`Last thread: <#${v.lastThread.threadId}>.`);
  if (v.retryingAt) lines.push(`Retrying the post ${discordTime(v.retryingAt, 'R')}.`);
  if (v.lateCodes.length > 0) lines.push(`Opened late: ${v.lateCodes.join(', ')}.`);
  if (v.skippedCodes.length > 0) lines.push(`Skipped (no thread): ${v.skippedCodes.join(', ')}.`);
  if (s.lastError && s.lastError !== s.pauseReason) lines.push(`Last problem: ${s.lastError}`);
  lines.push(...v.clockChanges.map(clockChangeLine));
  lines.push(...watchPartyLines(v.watchParty ?? null));
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
  return `Rewatch paused. No threads will be posted until someone runs ${slash(REWATCH.sub.resume)}.`;
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
  switch (problem.code) {
    case 'unreadable-time':
      return `"${problem.input}" is not a time I can read. Use the 24-hour clock as HH:MM, for example 19:30 or 08:00.`;
    case 'unknown-time-zone':
      return `"${problem.input}" is not a time zone I know. Use a region name such as Europe/Berlin, America/New_York or Australia/Sydney (or UTC).`;
    case 'no-such-weekday':
      return 'Pick a day of the week from the list.';
    case 'unknown-plan':
      return `There is no plan called "${problem.planId}". Choose one from the list: ${problem.planIds.join(', ')}.`;
    case 'episode-not-in-plan':
      return `${problem.episodeCode} is not part of ${problem.planName}. It covers ${problem.planCodes.join(', ')}.`;
    case 'delay-out-of-range':
      return `Delay by 1 to ${problem.maxWeeks} weeks.`;
    case 'no-schedule':
      return `This server has no rewatch schedule. A moderator can start one with ${slash(REWATCH.sub.setup)}.`;
    case 'plan-gone':
      return `This server's plan "${problem.planId}" is no longer available. Run ${slash(REWATCH.sub.setup)} to pick another.`;
    case 'paused':
      return `The rewatch is paused. Use ${slash(REWATCH.sub.resume)} first.`;
    case 'already-paused':
      return `The rewatch is already paused. Use ${slash(REWATCH.sub.resume)} to continue.`;
    case 'not-paused':
      return 'The rewatch is not paused.';
    case 'finished':
      return `This rewatch has finished: every thread is up. Start a new one with ${slash(REWATCH.sub.setup)}.`;
    case 'busy':
      return 'A rewatch thread is being posted right now. Give it a moment and try again.';
    case 'changed-meanwhile':
      return 'The schedule changed while I was updating it. Please run the command again.';
    case 'post-not-taken':
      return `Discord did not take the thread just now (${problem.detail}). Nothing was lost: try again in a minute, or let the schedule post it at its time.`;
    case 'post-paused':
      return `I could not post the thread: ${problem.reason} The schedule is paused until that is fixed; then use ${slash(REWATCH.sub.resume)}.`;
  }
}

// ---------------------------------------------------------------------------------------------
// What the scheduler posts in the threads and records on the schedule (the RewatchTexts port)
// ---------------------------------------------------------------------------------------------

/** Discord's limits that matter here. */
export const THREAD_NAME_LIMIT = 100;
export const MESSAGE_LIMIT = 2000;

export const SPOILER_RULE =
  'Spoiler rule: talk about this episode and anything before it. Anything from later episodes goes inside spoiler tags, ||like this||.';

/** "Rewatch 1/6: The Changing Face of Evil (7x20)", shortened to fit Discord's 100 characters. */
export function threadName(episode: Pick<Episode, 'code' | 'title'>, index: number, total: number): string {
  const prefix = `Rewatch ${index + 1}/${total}: `;
  const suffix = ` (${episode.code})`;
  const room = THREAD_NAME_LIMIT - prefix.length - suffix.length;
  const title = episode.title.length <= room ? episode.title : `${episode.title.slice(0, Math.max(0, room - 1)).trimEnd()}…`;
  return `${prefix}${title}${suffix}`;
}

/** "1999-04-28" -> "April 28, 1999" (the date as printed, no time zone involved). */
export function formatAirDate(airDate: string): string {
  const date = new Date(`${airDate}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return airDate;
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(date);
}

/** The first message in an episode's thread. Always within Discord's 2000 characters. */
export function starterMessage(input: StarterInput): string {
  const { episode } = input;
  const head = [
    `**${episode.title}** (${episode.code}): episode ${input.index + 1} of ${input.total} in *${input.planName}*.`,
    `Originally aired ${formatAirDate(episode.airDate)}.`,
  ];
  const notes: string[] = [];
  if (input.lateSince) {
    notes.push(`This thread was due ${discordTime(input.lateSince, 'F')} and opens late: the bot could not post it on time.`);
  }
  if (input.skipped.length > 0) {
    const list = input.skipped.map((e) => `${e.title} (${e.code})`).join(', ');
    notes.push(`While the bot was away the schedule moved on, so these got no thread of their own: ${list}.`);
  }
  const tail = [SPOILER_RULE];
  if (input.previousThreadId) tail.push(`Previous episode's thread: <#${input.previousThreadId}>`);

  const compose = (prompts: readonly string[]) =>
    [
      head.join('\n'),
      ...(notes.length > 0 ? [notes.join('\n')] : []),
      ...(prompts.length > 0 ? [`Things to talk about:\n${prompts.map((p) => `- ${p}`).join('\n')}`] : []),
      tail.join('\n'),
    ].join('\n\n');

  // Drop prompts from the end until the message fits; content limits make this rare.
  let prompts = [...episode.prompts];
  let text = compose(prompts);
  while (text.length > MESSAGE_LIMIT && prompts.length > 0) {
    prompts = prompts.slice(0, -1);
    text = compose(prompts);
  }
  return text.length <= MESSAGE_LIMIT ? text : `${text.slice(0, MESSAGE_LIMIT - 1)}…`;
}

/** Posted in the previous episode's thread when the next one opens. */
export function nextThreadNotice(nextThreadId: string, next: Pick<Episode, 'code' | 'title'>): string {
  return `The rewatch has moved on: ${next.title} (${next.code}) is open for discussion in <#${nextThreadId}>.`;
}

/** Posted in the channel after the plan's last thread has opened. */
export function closingMessage(planName: string, total: number, lastThreadId: string): string {
  return [
    `That was the last one: all ${total} threads of *${planName}* are open, ending with <#${lastThreadId}>.`,
    'Thank you for watching along. The threads stay open for as long as you want to keep talking.',
  ].join('\n');
}

/** Told to the server when the schedule pauses itself because of a problem only a human can fix (the reason says how). */
export function pausedNotice(reason: string): string {
  return `The weekly rewatch is paused: ${reason}`;
}

/** A schedule's pause reason or last problem, as status shows it. */
export function scheduleNote(note: ScheduleNote): string {
  switch (note.code) {
    case 'paused-by-member':
      return `paused by <@${note.userId}>.`;
    case 'plan-unavailable':
      return `the reading plan "${note.planId}" is no longer available, so there is nothing to post.`;
    case 'retrying':
      return `Discord did not accept the thread yet (${note.detail}). The bot keeps retrying with growing pauses.`;
    case 'caught-up':
      return `${note.slotsPassed} weekly slots went by without a post (the bot was offline or Discord was failing): skipped ${note.skippedCodes.join(', ')} and opened ${note.episodeCode} late.`;
    case 'opened-late':
      return `${note.episodeCode} opened late: the bot could not post it at its slot.`;
  }
}

/** Discord's limit on a forum tag's name. */
export const FORUM_TAG_NAME_LIMIT = 20;

/**
 * The forum tag for a plan: its name, or the part before a comma ("The Final Chapter"), or the name cut short,
 * within Discord's 20 characters.
 */
export function forumTagName(planName: string): string {
  const name = planName.trim();
  if (name.length <= FORUM_TAG_NAME_LIMIT) return name;
  const head = name.split(/[,:(]/)[0]!.trim();
  if (head.length > 0 && head.length <= FORUM_TAG_NAME_LIMIT) return head;
  return `${name.slice(0, FORUM_TAG_NAME_LIMIT - 1).trimEnd()}…`;
}

/** "DS9 rewatch: episode 7x20 (The Changing Face of Evil)", for the server's audit log. */
export function threadAuditReason(episode: Pick<Episode, 'code' | 'title'>): string {
  return `DS9 rewatch: episode ${episode.code} (${episode.title})`.slice(0, 512);
}

/** For the audit log when the bot adds the plan's tag to a forum. */
export function forumTagAuditReason(tagName: string): string {
  return `DS9 rewatch: tag "${tagName}" for the rewatch's posts`;
}

export const rewatchTexts: RewatchTexts = {
  threadName,
  starterMessage,
  nextThreadNotice,
  closingMessage,
  pausedNotice,
  scheduleNote,
  forumTagName,
  threadAuditReason,
};

// ---------------------------------------------------------------------------------------------
// Why Discord will not take the threads until a moderator acts (rewatch-poster.ts classifies, this words)
// ---------------------------------------------------------------------------------------------

export type ChannelProblem =
  | { code: 'channel-gone' }
  | { code: 'server-gone' }
  | { code: 'channel-hidden'; kind: ChannelKind }
  | { code: 'permission-missing'; kind: ChannelKind }
  | { code: 'thread-limit' }
  | { code: 'tag-required'; tagName: string }
  | { code: 'refused'; discordCode: number | string; message: string }
  | { code: 'refused-http'; status: number };

/** The pause reason stored on the schedule and told to the server. */
export function channelProblemReason(problem: ChannelProblem): string {
  const resume = `a moderator can continue with ${slash(REWATCH.sub.resume)}.`;
  const neededText = (kind: ChannelKind) => {
    const needed = BOT_CHANNEL_PERMISSIONS[kind].map((p) => p.name);
    return `${needed.slice(0, -1).join(', ')} and ${needed.at(-1)}`;
  };
  switch (problem.code) {
    case 'channel-gone':
      return `the rewatch channel no longer exists. A moderator can pick another with ${slash(REWATCH.sub.setup)} (its ${REWATCH.option.start} option continues from any episode).`;
    case 'server-gone':
      return `the bot can no longer reach this server. Once it is back, ${resume}`;
    case 'channel-hidden':
      return `the bot cannot see the rewatch channel any more. It needs ${neededText(problem.kind)} there; then ${resume}`;
    case 'permission-missing':
      return `the bot lacks a permission in the rewatch channel. It needs ${neededText(problem.kind)} there; then ${resume}`;
    case 'thread-limit':
      return `the channel has reached Discord's limit of active threads. Archive some; then ${resume}`;
    case 'tag-required':
      return `the forum requires a tag on every post and has no tag "${problem.tagName}" the bot may use. Add that tag to the forum (or give the bot Manage Channels there); then ${resume}`;
    case 'refused':
      return `Discord refused the thread (error ${problem.discordCode}: ${problem.message}). To try again, ${resume}`;
    case 'refused-http':
      return `Discord refused the thread (HTTP ${problem.status}). To try again, ${resume}`;
  }
}
