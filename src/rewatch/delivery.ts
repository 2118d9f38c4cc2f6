// The port through which the rewatch domain speaks to Discord. The Discord side (src/discord/rewatch-poster.ts)
// implements it with REST calls; tests use an in-memory fake. No discord.js types cross this line.
import type { ChannelKind } from './channel-kinds.js';

/** Why a Discord call failed, in the two kinds the scheduler reacts to differently. */
export type DeliveryFailure =
  /** Rate limited, Discord having a bad moment, or the network: try again on a later tick. */
  | { kind: 'retryable'; detail: string }
  /** Nothing will work until a human fixes something (permissions, a deleted channel): pause with this reason. */
  | { kind: 'channel-unusable'; reason: string };

export class DeliveryError extends Error {
  constructor(readonly failure: DeliveryFailure) {
    super(failure.kind === 'retryable' ? failure.detail : failure.reason);
    this.name = 'DeliveryError';
  }

  static retryable(detail: string): DeliveryError {
    return new DeliveryError({ kind: 'retryable', detail });
  }

  static channelUnusable(reason: string): DeliveryError {
    return new DeliveryError({ kind: 'channel-unusable', reason });
  }
}

/** An active thread found by name while reconciling an earlier attempt. */
export interface ExistingThread {
  threadId: string;
  /** False when the thread exists but its starter message never made it in. */
  hasMessages: boolean;
}

/** A thread's first message: its text, and the episode whose trivia its **Play** button starts. */
export interface ThreadStarter {
  content: string;
  episodeCode: string;
  /**
   * Sent with the starter where Discord takes one (a thread's first message; a forum post's first message is
   * part of the post itself, which reconciliation finds by name instead).
   */
  nonce: string;
}

/** A message the rewatch posts on its own (a notice, the closing message). */
export interface OwnMessage {
  content: string;
  /** From `rewatchNonce`: a retry after Discord stored the message gets it back instead of a second one. */
  nonce: string;
  /** A routine notice: it arrives without a push notification. */
  routine?: boolean;
}

export interface NewThread {
  guildId: string;
  channelId: string;
  kind: ChannelKind;
  name: string;
  starter: ThreadStarter;
  /** In a forum, the tag the post carries: the forum's tag of that name, or a new one when the bot may make it. */
  tagName: string;
  /** Why the thread was made, for the server's audit log. */
  auditReason: string;
}

/**
 * Everything the rewatch scheduler asks of Discord. Every method either succeeds or throws a
 * `DeliveryError`; messages never mention anyone.
 */
export interface ThreadPoster {
  /**
   * Opens the episode's thread with the starter message in it: a public thread (text channel) or an announcement
   * thread (announcement channel), auto-archived after 7 days; or a forum post, tagged, archived after the forum's
   * default.
   */
  createThread(input: NewThread): Promise<{ threadId: string }>;
  /** Posts the starter message in a thread that was opened without one (its first attempt was cut short). */
  postStarter(threadId: string, starter: ThreadStarter): Promise<void>;
  /** Active threads (forum posts included) in the channel whose name is exactly `name`. */
  findThreads(input: { guildId: string; channelId: string; name: string }): Promise<ExistingThread[]>;
  /** Posts a message in a channel or thread. */
  postMessage(channelId: string, message: OwnMessage): Promise<void>;
  /**
   * Best effort: tells the server about a problem, in `channelId` if given and the bot can still write there,
   * otherwise in the server's system channel. Never throws; resolves to whether the message went out.
   */
  notifyProblem(input: { guildId: string; channelId: string | null; message: OwnMessage }): Promise<boolean>;
}
