// /myth in the domain: posts a myth for the server to vote on, records votes, and reveals the verdict once,
// by a button or on a clock tick (which also catches up on reveals that fell due while the bot was down).
// No discord.js here: the channel is reached through the MythAnnouncer port, Postgres through the repository.
import type { Myth } from '../content/index.js';
import type { GuildSettings } from '../db/repositories/guild-settings.js';
import type { MythPostRecord, MythRepository } from '../db/repositories/myth.js';
import type { Logger } from '../logger.js';
import { rankByQuery } from '../text/match.js';
import { OneAtATime } from '../util/one-at-a-time.js';
import { mythRefusal } from './problems.js';
import { findMythByClaim, isHiddenBySpoilerGuard, pickMyth, type WatchedThrough } from './selection.js';
import type { RunningTotals, Vote, VoteCount, VoteOutcome } from './types.js';

/** How long members have to vote before the verdict reveals itself. */
export const DEFAULT_REVEAL_AFTER_MS = 60_000;

export interface PostView {
  postId: number;
  myth: Myth;
  askedBy: string;
  revealAt: Date;
}

export interface RevealView {
  postId: number;
  myth: Myth;
  askedBy: string;
  /** Who pressed Reveal, or null when the minute ran out. */
  revealedBy: string | null;
  votes: VoteCount;
  /** This myth's votes across every server, this post's included. */
  totals: RunningTotals;
}

/** How the service speaks in a channel after the interaction is gone (the timed reveal). */
export interface MythAnnouncer {
  /** Edits the post into its verdict; posts the verdict as a new message when the post's id is unknown. */
  showReveal(channelId: string, messageId: string | null, view: RevealView): Promise<void>;
}

export interface MythChoice {
  id: string;
  title: string;
}

export interface MythListEntry {
  title: string;
  /** Set once the verdict has been revealed in this server. */
  verdict: Vote | null;
  hiddenUntil: string | null;
}

export type RevealOutcome = { status: 'revealed'; view: RevealView } | { status: 'already-revealed' };

export interface MythServiceDeps {
  repo: MythRepository;
  myths: readonly Myth[];
  settings: { get(guildId: string): Promise<Pick<GuildSettings, 'spoilerGuard'>> };
  /** The newest episode a server's rewatch has reached when its spoiler guard applies, else undefined. */
  watchedThrough(guildId: string): Promise<string | null | undefined>;
  announcer: MythAnnouncer;
  random: () => number;
  logger: Logger;
  revealAfterMs?: number;
}

export class MythService {
  private readonly revealAfterMs: number;
  private readonly ticks = new OneAtATime();

  constructor(private readonly deps: MythServiceDeps) {
    this.revealAfterMs = deps.revealAfterMs ?? DEFAULT_REVEAL_AFTER_MS;
  }

  /** Posts a myth: the one the claim names, or one this server has not seen recently. */
  async ask(input: { guildId: string; channelId: string; userId: string; claim?: string; now: Date }): Promise<PostView> {
    const watched = await this.guard(input.guildId);
    const myth = input.claim?.trim() ? this.resolveClaim(input.claim, watched) : await this.pickFresh(input.guildId, watched);
    const post = await this.deps.repo.createPost({
      guildId: input.guildId,
      channelId: input.channelId,
      mythId: myth.id,
      askedBy: input.userId,
      postedAt: input.now,
      revealAt: new Date(input.now.getTime() + this.revealAfterMs),
    });
    return { postId: post.id, myth, askedBy: post.askedBy, revealAt: post.revealAt };
  }

  /** Remembers which message shows the post, so the timed reveal can edit it. */
  async attachMessage(postId: number, messageId: string): Promise<void> {
    await this.deps.repo.setMessage(postId, messageId);
  }

  /** Drops a post whose message never reached the channel, so no stray verdict appears later. */
  async discard(postId: number): Promise<void> {
    await this.deps.repo.deletePost(postId);
  }

  async vote(input: { postId: number; guildId: string; userId: string; vote: Vote; now: Date }): Promise<VoteOutcome> {
    const post = await this.deps.repo.post(input.postId);
    if (!post || post.guildId !== input.guildId) return { status: 'closed' };
    return this.deps.repo.castVote({ postId: post.id, userId: input.userId, vote: input.vote, now: input.now });
  }

  /**
   * The Reveal button on message `messageId`: for the member who asked, or one with Manage Messages. Only the
   * post's own message (when it is known) can reveal it, since the verdict replaces the clicked message.
   */
  async revealByMember(input: { postId: number; guildId: string; messageId: string; userId: string; canManageMessages: boolean; now: Date }): Promise<RevealOutcome> {
    const post = await this.deps.repo.post(input.postId);
    const elsewhere = post?.messageId != null && post.messageId !== input.messageId;
    if (!post || post.guildId !== input.guildId || elsewhere) throw mythRefusal({ code: 'post-not-open' });
    if (post.revealedAt) return { status: 'already-revealed' };
    if (post.askedBy !== input.userId && !input.canManageMessages) throw mythRefusal({ code: 'reveal-not-allowed', askedBy: post.askedBy });
    const view = await this.revealPost(post, input.userId, input.now);
    return view ? { status: 'revealed', view } : { status: 'already-revealed' };
  }

  /** Reveals every post whose minute is up, including any that fell due while no bot was running. */
  async tick(now: Date): Promise<void> {
    await this.ticks.run(async () => {
      for (const post of await this.deps.repo.duePosts(now)) {
        try {
          const view = await this.revealPost(post, null, now);
          if (view) await this.announce(post, view);
        } catch (error) {
          this.deps.logger.error({ err: error, postId: post.id }, 'could not reveal a myth');
        }
      }
    });
  }

  /** Autocomplete: titles matching what the member typed; a title the spoiler guard hides is not offered (it would spoil). */
  async choices(guildId: string, query: string, limit = 25): Promise<MythChoice[]> {
    const watched = await this.guard(guildId);
    const visible = this.deps.myths.filter((m) => !isHiddenBySpoilerGuard(m, watched));
    const titles = rankByQuery(query, visible.map((m) => m.title), limit);
    return titles.map((title) => ({ id: visible.find((m) => m.title === title)!.id, title }));
  }

  /** Every myth's title (the caller shows hidden ones without it); the verdict only for myths revealed in this server. */
  async list(guildId: string): Promise<MythListEntry[]> {
    const [watched, revealed] = await Promise.all([this.guard(guildId), this.deps.repo.revealedMythIds(guildId)]);
    return this.deps.myths.map((myth) => ({
      title: myth.title,
      verdict: revealed.has(myth.id) ? myth.verdict : null,
      hiddenUntil: isHiddenBySpoilerGuard(myth, watched) ? myth.spoils : null,
    }));
  }

  private async guard(guildId: string): Promise<WatchedThrough> {
    const { spoilerGuard } = await this.deps.settings.get(guildId);
    return spoilerGuard ? this.deps.watchedThrough(guildId) : undefined;
  }

  private resolveClaim(claim: string, watched: WatchedThrough): Myth {
    const match = findMythByClaim(claim, this.deps.myths);
    switch (match.kind) {
      case 'none':
        throw mythRefusal({ code: 'claim-unknown', suggestions: match.suggestions });
      case 'ambiguous':
        throw mythRefusal({ code: 'claim-ambiguous', titles: match.titles });
      case 'found':
        if (isHiddenBySpoilerGuard(match.myth, watched)) throw mythRefusal({ code: 'claim-hidden', spoils: match.myth.spoils, watchedThrough: watched });
        return match.myth;
    }
  }

  private async pickFresh(guildId: string, watched: WatchedThrough): Promise<Myth> {
    const visible = this.deps.myths.filter((m) => !isHiddenBySpoilerGuard(m, watched));
    const myth = pickMyth(visible, await this.deps.repo.lastPostedAt(guildId), this.deps.random);
    if (!myth) {
      if (this.deps.myths.length === 0) throw mythRefusal({ code: 'no-myths' });
      throw mythRefusal({ code: 'all-hidden', watchedThrough: watched });
    }
    return myth;
  }

  private async revealPost(post: MythPostRecord, revealedBy: string | null, now: Date): Promise<RevealView | null> {
    const myth = this.deps.myths.find((m) => m.id === post.mythId);
    if (!myth) {
      // The myth left the content since it was posted: without a verdict there is nothing to reveal.
      this.deps.logger.warn({ postId: post.id, mythId: post.mythId }, 'myth no longer in the content; dropping its post');
      await this.deps.repo.deletePost(post.id);
      return null;
    }
    const record = await this.deps.repo.reveal(post.id, myth.verdict, now);
    if (!record) return null;
    return { postId: post.id, myth, askedBy: post.askedBy, revealedBy, votes: record.votes, totals: record.totals };
  }

  private async announce(post: MythPostRecord, view: RevealView): Promise<void> {
    // The freshest message id: the post row may have been read before its reply was attached.
    const current = await this.deps.repo.post(post.id);
    await this.deps.announcer
      .showReveal(post.channelId, current?.messageId ?? post.messageId, view)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, postId: post.id }, 'could not show a myth verdict'));
  }
}
