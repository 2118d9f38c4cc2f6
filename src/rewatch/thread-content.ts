// The words the scheduler posts: thread names, starter messages, the hand-over and closing notes.
// Pure functions of the episode and the schedule's state, so they can be checked without Discord.
import type { Episode } from '../content/index.js';

/** Discord's limits that matter here. */
export const THREAD_NAME_LIMIT = 100;
export const MESSAGE_LIMIT = 2000;
/** One week, in minutes: the longest auto-archive Discord offers for threads. */
export const THREAD_AUTO_ARCHIVE_MINUTES = 10080;

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

/** A Discord timestamp tag: shown to every reader in their own time zone. */
export function discordTime(instant: Date, style: 'F' | 'R' | 'D' | 'f' = 'F'): string {
  return `<t:${Math.floor(instant.getTime() / 1000)}:${style}>`;
}

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

/** The first message in an episode's thread. Always within Discord's 2000 characters. */
export function starterMessage(input: StarterInput): string {
  const { episode } = input;
  const head = [
    `**${episode.title}** (${episode.code}): episode ${input.index + 1} of ${input.total} in *${input.planName}*.`,
    `Originally aired ${formatAirDate(episode.airDate)}.`,
  ];
  const notes: string[] = [];
  if (input.lateSince) {
    notes.push(`This thread was due ${discordTime(input.lateSince)} and opens late: the bot could not post it on time.`);
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
