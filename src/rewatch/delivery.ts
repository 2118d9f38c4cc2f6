// The port through which the rewatch domain speaks to Discord. The Discord side (src/discord/rewatch-poster.ts)
// implements it with REST calls; tests use an in-memory fake. No discord.js types cross this line.

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

/**
 * Everything the rewatch scheduler asks of Discord. Every method either succeeds or throws a
 * `DeliveryError`; messages never mention anyone.
 */
/** A thread's first message: its text, and the episode whose trivia its **Play** button starts. */
export interface ThreadStarter {
  content: string;
  episodeCode: string;
}

export interface ThreadPoster {
  /** Opens a public thread (auto-archive after 7 days) in the channel and posts the starter message in it. */
  createThread(input: { guildId: string; channelId: string; name: string; starter: ThreadStarter }): Promise<{ threadId: string }>;
  /** Posts the starter message in a thread that was opened without one (its first attempt was cut short). */
  postStarter(threadId: string, starter: ThreadStarter): Promise<void>;
  /** Active threads in the channel whose name is exactly `name`. */
  findThreads(input: { guildId: string; channelId: string; name: string }): Promise<ExistingThread[]>;
  /** Posts a plain message in a channel or thread. */
  postMessage(channelId: string, content: string): Promise<void>;
  /**
   * Best effort: tells the server about a problem, in `channelId` if the bot can still write there,
   * otherwise in the server's system channel. Never throws; resolves to whether the message went out.
   */
  notifyProblem(input: { guildId: string; channelId: string; content: string }): Promise<boolean>;
}
