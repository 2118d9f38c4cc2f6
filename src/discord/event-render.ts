// Every word of the watch parties: the events' names and descriptions, what setup and status say about them, the
// preflight's refusal, and the notice when the events pause. Command and option names come from rewatch-command.ts.
import type { WatchPartyView } from '../rewatch/watch-party-keeper.js';
import type { WatchPartyPlace } from '../rewatch/watch-party.js';
import type { WatchPartyEventInput, WatchPartyNote, WatchPartyTexts } from '../rewatch/watch-party-desk.js';
import { discordTime, truncate } from './format.js';
import { REWATCH } from './rewatch-command.js';

/** Discord's limits for an event. */
export const EVENT_NAME_LIMIT = 100;
export const EVENT_DESCRIPTION_LIMIT = 1000;

const setupCommand = `/${REWATCH.name} ${REWATCH.sub.setup}`;
const both = (at: Date) => `${discordTime(at, 'F')} (${discordTime(at, 'R')})`;

/** What the bot needs for the events, with the names members see in Discord's settings. */
export function eventPermissionNames(place: WatchPartyPlace): string[] {
  switch (place.kind) {
    case 'external':
      return ['Manage Events (server-wide; Create Events is enough)'];
    case 'voice':
      return [`Manage Events (or Create Events), View Channel and Connect in <#${place.channelId}>`];
    case 'stage':
      return [`Manage Events (or Create Events), Manage Channels, Mute Members and Move Members in <#${place.channelId}>`];
  }
}

/** "Watch party 3/6: When It Rains... (7x21)", within Discord's 100 characters. */
export function eventName(input: Pick<WatchPartyEventInput, 'episode' | 'index' | 'total'>): string {
  const prefix = `Watch party ${input.index + 1}/${input.total}: `;
  const suffix = ` (${input.episode.code})`;
  return `${prefix}${truncate(input.episode.title, EVENT_NAME_LIMIT - prefix.length - suffix.length)}${suffix}`;
}

export function eventDescription(input: WatchPartyEventInput): string {
  return truncate(
    [
      `${input.episode.title} (${input.episode.code}), episode ${input.index + 1} of ${input.total} in the rewatch of ${input.planName}.`,
      'Watch it together at this time, then talk about it in the discussion.',
      `Discussion: ${input.link}`,
      'Press Interested and Discord reminds you when it starts.',
    ].join('\n'),
    EVENT_DESCRIPTION_LIMIT,
  );
}

export function channelLink(guildId: string, channelId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}`;
}

export function eventLink(guildId: string, eventId: string): string {
  return `https://discord.com/events/${guildId}/${eventId}`;
}

export function watchPartyNote(note: WatchPartyNote): string {
  switch (note.code) {
    case 'not-allowed':
      return `Discord does not let the bot manage events. It needs ${eventPermissionNames(note.place).join('; ')}. Grant that; the next episode's event then comes back with the next thread or any change to the rewatch (or run ${setupCommand} again).`;
    case 'retrying':
      return `Discord did not take the watch-party event yet (${note.detail}). The bot tries again in a few minutes.`;
    case 'refused':
      return `Discord refused the watch-party event (${note.detail}). Check the event channel, or run ${setupCommand} again.`;
  }
}

export function watchPartyPausedNotice(note: WatchPartyNote): string {
  return `The rewatch's watch-party events are paused: ${watchPartyNote(note)} The weekly threads go on as planned.`;
}

export const watchPartyTexts: WatchPartyTexts = {
  eventName,
  eventDescription,
  channelLink,
  pausedNotice: watchPartyPausedNotice,
  note: watchPartyNote,
};

/** Setup's refusal when the bot lacks what the events need. */
export function missingEventPermissions(missing: readonly string[]): string {
  return `I can't keep watch-party events yet: I'm missing ${missing.join(', ')}. Grant ${missing.length === 1 ? 'it' : 'them'} and run ${REWATCH.sub.setup} again, or set it up without ${REWATCH.option.event}.`;
}

export const EVENT_CHANNEL_WITHOUT_EVENT = `${REWATCH.option.eventChannel} is where the watch parties take place: use it together with ${REWATCH.option.event}:True, or leave it out.`;
export const EVENT_CHANNEL_KIND = `Pick a voice or stage channel for ${REWATCH.option.eventChannel}, or leave it out for events that link to the discussion.`;

function placeText(view: Pick<WatchPartyView, 'place'>): string {
  return view.place.kind === 'external' ? 'linking to the discussion' : `in <#${view.place.channelId}>`;
}

/** The lines setup's and status's answers get about the watch parties (none when they are off). */
export function watchPartyLines(view: WatchPartyView | null): string[] {
  if (!view) return [];
  if (view.paused) return [`**Watch-party events paused:** ${view.paused}`];
  const lines: string[] = [];
  if (view.event) {
    const what = view.event.episode ? `${view.event.episode.title} (${view.event.episode.code})` : 'the next episode';
    const link = view.event.eventId ? `: ${eventLink(view.guildId, view.event.eventId)}` : '';
    lines.push(`Watch party for ${what} ${placeText(view)} on ${both(view.event.startAt)}${link} (press Interested for a reminder).`);
  } else if (view.createsAt) {
    lines.push(`Watch parties ${placeText(view)}: the next episode's event is created ${discordTime(view.createsAt, 'R')}, a week before it.`);
  } else {
    lines.push(`Watch parties ${placeText(view)}: no event right now (the rewatch is paused or finished, or its next thread opens within the minute).`);
  }
  if (view.lastError) lines.push(`Watch-party problem: ${view.lastError}`);
  return lines;
}
