// Where a schedule's episodes open, as far as the rewatch cares: a thread in a text or announcement channel, or a
// post in a forum. Decided at setup from the channel the moderator picked; wording and Discord's types live elsewhere.

export const CHANNEL_KINDS = ['text', 'announcement', 'forum'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** A forum has no room for messages of its own: notices and the closing message go into a post instead. */
export function postsMessagesInChannel(kind: ChannelKind): boolean {
  return kind !== 'forum';
}

/**
 * Where the closing message goes once the plan's last episode is up: the channel itself, or, in a forum, the
 * last episode's post.
 */
export function closingMessageTarget(schedule: { channelKind: ChannelKind; channelId: string }, lastThreadId: string): string {
  return postsMessagesInChannel(schedule.channelKind) ? schedule.channelId : lastThreadId;
}

/**
 * Where the server is told that the schedule paused itself: the channel, or, in a forum, the latest episode's post
 * (null when there is none yet: then only the server's system channel is left).
 */
export function noticeTarget(schedule: { channelKind: ChannelKind; channelId: string; lastThreadId: string | null }): string | null {
  return postsMessagesInChannel(schedule.channelKind) ? schedule.channelId : schedule.lastThreadId;
}
