// The Discord side of the rewatch scheduler: the ThreadPoster port over discord.js REST, and the mapping
// from Discord's errors to what the scheduler does about them (retry later, or pause with a reason).
import {
  ChannelType,
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  REST,
  Routes,
  type APIChannel,
  type APIGuild,
  type APIThreadChannel,
} from 'discord.js';
import { DeliveryError, type ExistingThread, type ThreadPoster, type ThreadStarter } from '../rewatch/delivery.js';
import { channelProblemReason, type ChannelProblem } from './rewatch-render.js';
import { playEpisodeRow } from './trivia-render.js';

/** Discord JSON error codes the scheduler treats as "a human has to fix this". */
export const UNKNOWN_CHANNEL = 10003;
export const UNKNOWN_GUILD = 10004;
export const MISSING_ACCESS = 50001;
export const MISSING_PERMISSIONS = 50013;
export const MAX_ACTIVE_THREADS = 160006;

/** One week, in minutes: the longest auto-archive Discord offers for threads. */
export const THREAD_AUTO_ARCHIVE_MINUTES = 10080;

/**
 * Rate limits up to this long are waited out inside the call. Longer ones fail the post as retryable and a later
 * tick tries again: a call sleeping for minutes would outlive the schedule's lease, and the process that takes
 * the schedule over would post the same thread a second time.
 */
export const MAX_RATE_LIMIT_WAIT_MS = 10_000;

/**
 * The poster's REST manager: the client's settings, except that a long rate limit is thrown (RateLimitError),
 * not slept through, and a failed request is not repeated by discord.js. A 500 or a timeout can come after
 * Discord created the thread; the scheduler's next tick first looks for the thread it may have made, so the
 * retry belongs there, not in a blind second POST.
 */
export function rewatchRest(clientRest: REST, token: string): REST {
  return new REST({ ...clientRest.options, retries: 0, rejectOnRateLimit: (limit) => limit.retryAfter > MAX_RATE_LIMIT_WAIT_MS }).setToken(token);
}

/** Turns whatever a REST call threw into the scheduler's two kinds of failure. */
export function classifyDiscordError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof RateLimitError) return DeliveryError.retryable(`rate limited for ${Math.ceil(error.retryAfter / 1000)} s`);
  if (error instanceof DiscordAPIError) {
    if (error.status === 429) return DeliveryError.retryable('rate limited');
    if (error.status >= 500) return DeliveryError.retryable(`Discord error ${error.status}`);
    return unusable(channelProblemOf(error));
  }
  if (error instanceof HTTPError) {
    return error.status === 429 || error.status >= 500
      ? DeliveryError.retryable(`Discord error ${error.status}`)
      : unusable({ code: 'refused-http', status: error.status });
  }
  // Timeouts, resets, DNS: the network, not the channel.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return DeliveryError.retryable(`could not reach Discord (${detail.slice(0, 120)})`);
}

function channelProblemOf(error: DiscordAPIError): ChannelProblem {
  switch (error.code) {
    case UNKNOWN_CHANNEL:
      return { code: 'channel-gone' };
    case UNKNOWN_GUILD:
      return { code: 'server-gone' };
    case MISSING_ACCESS:
      return { code: 'channel-hidden' };
    case MISSING_PERMISSIONS:
      return { code: 'permission-missing' };
    case MAX_ACTIVE_THREADS:
      return { code: 'thread-limit' };
    default:
      return { code: 'refused', discordCode: error.code, message: error.message };
  }
}

function unusable(problem: ChannelProblem): DeliveryError {
  return DeliveryError.channelUnusable(channelProblemReason(problem));
}

async function attempt<T>(call: () => Promise<unknown>): Promise<T> {
  try {
    return (await call()) as T;
  } catch (error) {
    throw classifyDiscordError(error);
  }
}

export class DiscordThreadPoster implements ThreadPoster {
  /** `rest` is `rewatchRest(client.rest, token)`, so that long rate limits come back as errors. */
  constructor(private readonly rest: REST) {}

  async createThread(input: { guildId: string; channelId: string; name: string; starter: ThreadStarter }): Promise<{ threadId: string }> {
    const thread = await attempt<APIThreadChannel>(() =>
      this.rest.post(Routes.threads(input.channelId), {
        body: { name: input.name, type: ChannelType.PublicThread, auto_archive_duration: THREAD_AUTO_ARCHIVE_MINUTES },
      }),
    );
    await this.postStarter(thread.id, input.starter);
    return { threadId: thread.id };
  }

  async postStarter(threadId: string, starter: ThreadStarter): Promise<void> {
    await attempt(() =>
      this.rest.post(Routes.channelMessages(threadId), {
        body: { content: starter.content, components: [playEpisodeRow(starter.episodeCode)], allowed_mentions: { parse: [] } },
      }),
    );
  }

  async findThreads(input: { guildId: string; channelId: string; name: string }): Promise<ExistingThread[]> {
    const active = await attempt<{ threads: APIChannel[] }>(() => this.rest.get(Routes.guildActiveThreads(input.guildId)));
    return active.threads
      .filter((t): t is APIThreadChannel => 'parent_id' in t && t.parent_id === input.channelId && t.name === input.name)
      .map((t) => ({ threadId: t.id, hasMessages: (t.message_count ?? 0) > 0 || Boolean(t.last_message_id) }));
  }

  async postMessage(channelId: string, content: string): Promise<void> {
    await attempt(() => this.rest.post(Routes.channelMessages(channelId), { body: { content, allowed_mentions: { parse: [] } } }));
  }

  async notifyProblem(input: { guildId: string; channelId: string; content: string }): Promise<boolean> {
    try {
      await this.postMessage(input.channelId, input.content);
      return true;
    } catch {
      // The rewatch channel is gone or closed to the bot: try the server's system channel instead.
    }
    try {
      const guild = await attempt<APIGuild>(() => this.rest.get(Routes.guild(input.guildId)));
      if (!guild.system_channel_id || guild.system_channel_id === input.channelId) return false;
      await this.postMessage(guild.system_channel_id, input.content);
      return true;
    } catch {
      return false;
    }
  }
}
