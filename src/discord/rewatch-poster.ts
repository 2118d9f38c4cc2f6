// The Discord side of the rewatch scheduler: the ThreadPoster port over discord.js REST, and the mapping
// from Discord's errors to what the scheduler does about them (retry later, or pause with a reason).
import {
  ChannelType,
  DiscordAPIError,
  HTTPError,
  MessageFlags,
  RateLimitError,
  REST,
  Routes,
  type APIChannel,
  type APIGuild,
  type APIGuildForumChannel,
  type APIGuildForumTag,
  type APIThreadChannel,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIGuildForumThreadsJSONBody,
} from 'discord.js';
import type { ChannelKind } from '../rewatch/channel-kinds.js';
import { DeliveryError, type ExistingThread, type NewThread, type OwnMessage, type ThreadPoster, type ThreadStarter } from '../rewatch/delivery.js';
import { channelProblemReason, forumTagAuditReason, type ChannelProblem } from './rewatch-render.js';
import { playEpisodeRow } from './trivia-render.js';
import { postedOnce } from './nonce.js';

/** Discord JSON error codes the scheduler treats as "a human has to fix this". */
export const UNKNOWN_CHANNEL = 10003;
export const UNKNOWN_GUILD = 10004;
export const MISSING_ACCESS = 50001;
export const MISSING_PERMISSIONS = 50013;
export const MAX_ACTIVE_THREADS = 160006;
/** A forum that requires a tag refused a post without one. */
export const FORUM_TAG_REQUIRED = 40067;

/** Discord allows a forum 20 tags. */
export const MAX_FORUM_TAGS = 20;

/**
 * How often a message with a nonce is sent when Discord answers 5xx or the network fails: safe to repeat, because
 * a message Discord stored before failing comes back for the same nonce instead of being posted twice.
 */
export const MESSAGE_ATTEMPTS = 3;

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

/** What the failing call was for: the kind of channel (which permissions it needs) and, in a forum, the plan's tag. */
export interface FailureContext {
  kind: ChannelKind;
  tagName?: string;
}

/** Turns whatever a REST call threw into the scheduler's two kinds of failure. */
export function classifyDiscordError(error: unknown, context: FailureContext = { kind: 'text' }): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof RateLimitError) return DeliveryError.retryable(`rate limited for ${Math.ceil(error.retryAfter / 1000)} s`);
  if (error instanceof DiscordAPIError) {
    if (error.status === 429) return DeliveryError.retryable('rate limited');
    if (error.status >= 500) return DeliveryError.retryable(`Discord error ${error.status}`);
    return unusable(channelProblemOf(error, context));
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

function channelProblemOf(error: DiscordAPIError, context: FailureContext): ChannelProblem {
  switch (error.code) {
    case UNKNOWN_CHANNEL:
      return { code: 'channel-gone' };
    case UNKNOWN_GUILD:
      return { code: 'server-gone' };
    case MISSING_ACCESS:
      return { code: 'channel-hidden', kind: context.kind };
    case MISSING_PERMISSIONS:
      return { code: 'permission-missing', kind: context.kind };
    case MAX_ACTIVE_THREADS:
      return { code: 'thread-limit' };
    case FORUM_TAG_REQUIRED:
      return { code: 'tag-required', tagName: context.tagName ?? '' };
    default:
      return { code: 'refused', discordCode: error.code, message: error.message };
  }
}

function unusable(problem: ChannelProblem): DeliveryError {
  return DeliveryError.channelUnusable(channelProblemReason(problem));
}

async function attempt<T>(call: () => Promise<unknown>, context?: FailureContext): Promise<T> {
  try {
    return (await call()) as T;
  } catch (error) {
    throw classifyDiscordError(error, context);
  }
}

/** A 5xx or a network failure: worth repeating a request whose nonce makes it safe. Rate limits are not. */
function transient(error: unknown): boolean {
  if (error instanceof RateLimitError) return false;
  if (error instanceof DiscordAPIError || error instanceof HTTPError) return error.status >= 500;
  return !(error instanceof DeliveryError);
}

function messageBody(message: OwnMessage): RESTPostAPIChannelMessageJSONBody {
  return postedOnce(
    { content: message.content, allowed_mentions: { parse: [] }, ...(message.routine ? { flags: MessageFlags.SuppressNotifications } : {}) },
    message.nonce,
  );
}

export class DiscordThreadPoster implements ThreadPoster {
  /** `rest` is `rewatchRest(client.rest, token)`, so that long rate limits come back as errors. */
  constructor(private readonly rest: REST) {}

  async createThread(input: NewThread): Promise<{ threadId: string }> {
    if (input.kind === 'forum') return this.createForumPost(input);
    const thread = await attempt<APIThreadChannel>(
      () =>
        this.rest.post(Routes.threads(input.channelId), {
          body: {
            name: input.name,
            type: input.kind === 'announcement' ? ChannelType.AnnouncementThread : ChannelType.PublicThread,
            auto_archive_duration: THREAD_AUTO_ARCHIVE_MINUTES,
          },
          reason: input.auditReason,
        }),
      { kind: input.kind },
    );
    await this.postStarter(thread.id, input.starter);
    return { threadId: thread.id };
  }

  /** A forum post: the thread and its first message in one request, tagged with the plan's tag where possible. */
  private async createForumPost(input: NewThread): Promise<{ threadId: string }> {
    const context: FailureContext = { kind: 'forum', tagName: input.tagName };
    const forum = await attempt<APIGuildForumChannel>(() => this.rest.get(Routes.channel(input.channelId)), context);
    const tagId = await this.forumTag(forum, input.tagName);
    const body: RESTPostAPIGuildForumThreadsJSONBody = {
      name: input.name,
      auto_archive_duration: forum.default_auto_archive_duration ?? THREAD_AUTO_ARCHIVE_MINUTES,
      ...(tagId ? { applied_tags: [tagId] } : {}),
      message: {
        content: input.starter.content,
        components: [playEpisodeRow(input.starter.episodeCode)],
        allowed_mentions: { parse: [] },
      },
    };
    const post = await attempt<APIThreadChannel>(() => this.rest.post(Routes.threads(input.channelId), { body, reason: input.auditReason }), context);
    return { threadId: post.id };
  }

  /**
   * The forum's tag of that name (any case; not a moderated one, which only moderators may apply), or a new one
   * when the bot has Manage Channels and the forum has room. Null when neither: the post goes out untagged.
   */
  private async forumTag(forum: APIGuildForumChannel, name: string): Promise<string | null> {
    const tags = forum.available_tags ?? [];
    const matches = (t: Pick<APIGuildForumTag, 'name' | 'moderated'>) => !t.moderated && t.name.toLowerCase() === name.toLowerCase();
    const found = tags.find(matches);
    if (found) return found.id;
    if (tags.length >= MAX_FORUM_TAGS) return null;
    try {
      const updated = (await this.rest.patch(Routes.channel(forum.id), {
        body: { available_tags: [...tags.map(tagForUpdate), { name, moderated: false }] },
        reason: forumTagAuditReason(name),
      })) as APIGuildForumChannel;
      return (updated.available_tags ?? []).find(matches)?.id ?? null;
    } catch (error) {
      // Without Manage Channels the post simply has no tag; Discord failing is tried again on a later tick.
      if (transient(error) || error instanceof RateLimitError) throw classifyDiscordError(error, { kind: 'forum', tagName: name });
      return null;
    }
  }

  async postStarter(threadId: string, starter: ThreadStarter): Promise<void> {
    await this.send(threadId, postedOnce({ content: starter.content, components: [playEpisodeRow(starter.episodeCode)], allowed_mentions: { parse: [] } }, starter.nonce));
  }

  async findThreads(input: { guildId: string; channelId: string; name: string }): Promise<ExistingThread[]> {
    const active = await attempt<{ threads: APIChannel[] }>(() => this.rest.get(Routes.guildActiveThreads(input.guildId)));
    return active.threads
      .filter((t): t is APIThreadChannel => 'parent_id' in t && t.parent_id === input.channelId && t.name === input.name)
      .map((t) => ({ threadId: t.id, hasMessages: (t.message_count ?? 0) > 0 || Boolean(t.last_message_id) }));
  }

  async postMessage(channelId: string, message: OwnMessage): Promise<void> {
    await this.send(channelId, messageBody(message));
  }

  /** Posts a message with a nonce, repeating it on a 5xx or a network failure (the nonce keeps it to one message). */
  private async send(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<void> {
    for (let tries = 1; ; tries++) {
      try {
        await this.rest.post(Routes.channelMessages(channelId), { body });
        return;
      } catch (error) {
        if (tries >= MESSAGE_ATTEMPTS || !transient(error)) throw classifyDiscordError(error);
      }
    }
  }

  async notifyProblem(input: { guildId: string; channelId: string | null; message: OwnMessage }): Promise<boolean> {
    if (input.channelId) {
      try {
        await this.postMessage(input.channelId, input.message);
        return true;
      } catch {
        // The rewatch channel is gone or closed to the bot: try the server's system channel instead.
      }
    }
    try {
      const guild = await attempt<APIGuild>(() => this.rest.get(Routes.guild(input.guildId)));
      if (!guild.system_channel_id || guild.system_channel_id === input.channelId) return false;
      await this.postMessage(guild.system_channel_id, input.message);
      return true;
    } catch {
      return false;
    }
  }
}

/** An existing tag as Discord takes it back in a channel update (the whole list is replaced). */
function tagForUpdate(tag: APIGuildForumTag) {
  return { id: tag.id, name: tag.name, moderated: tag.moderated, emoji_id: tag.emoji_id, emoji_name: tag.emoji_name };
}
