// Myth posts, the community vote on each, and the cross-server totals. The database settles every race:
// one vote per (post, member) by primary key, votes only while the post is open (the post row is
// share-locked), and one reveal per post (a conditional update that also adds to the totals, in one transaction).
import { and, asc, eq, gt, isNull, lte, max, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { RunningTotals, Vote, VoteCount, VoteOutcome } from '../../myth/types.js';
import { mythPosts, mythTotals, mythVotes } from '../schema.js';

export interface MythPostRecord {
  id: number;
  guildId: string;
  channelId: string;
  messageId: string | null;
  mythId: string;
  askedBy: string;
  postedAt: Date;
  revealAt: Date;
  revealedAt: Date | null;
}

export interface NewMythPost {
  guildId: string;
  channelId: string;
  mythId: string;
  askedBy: string;
  postedAt: Date;
  revealAt: Date;
}

export interface RevealRecord {
  post: MythPostRecord;
  votes: VoteCount;
  /** This myth's totals across every server, this reveal included. */
  totals: RunningTotals;
}

export class MythRepository {
  constructor(private readonly db: Db) {}

  async createPost(post: NewMythPost): Promise<MythPostRecord> {
    const [row] = await this.db.insert(mythPosts).values(post).returning();
    return row!;
  }

  async setMessage(postId: number, messageId: string): Promise<void> {
    await this.db.update(mythPosts).set({ messageId }).where(eq(mythPosts.id, postId));
  }

  /** Removes a post nobody could see (its reply never reached Discord); its votes go with it. */
  async deletePost(postId: number): Promise<void> {
    await this.db.delete(mythPosts).where(eq(mythPosts.id, postId));
  }

  async post(postId: number): Promise<MythPostRecord | null> {
    const [row] = await this.db.select().from(mythPosts).where(eq(mythPosts.id, postId));
    return row ?? null;
  }

  /** When each myth was last posted in this server (myths never posted there are absent). */
  async lastPostedAt(guildId: string): Promise<Map<string, Date>> {
    const latest = max(mythPosts.postedAt);
    const rows = await this.db
      .select({ mythId: mythPosts.mythId, latest })
      .from(mythPosts)
      .where(eq(mythPosts.guildId, guildId))
      .groupBy(mythPosts.mythId);
    return new Map(rows.flatMap((r) => (r.latest ? [[r.mythId, new Date(r.latest)] as const] : [])));
  }

  /** Myths whose verdict has been revealed at least once in this server. */
  async revealedMythIds(guildId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectDistinct({ mythId: mythPosts.mythId })
      .from(mythPosts)
      .where(and(eq(mythPosts.guildId, guildId), sql`${mythPosts.revealedAt} is not null`));
    return new Set(rows.map((r) => r.mythId));
  }

  /**
   * Records or changes a member's vote while the post is open (not revealed, reveal time not reached).
   * The post row is share-locked so a reveal cannot slip between the check and the write; the
   * (post, member) key turns a double click or a second process into "unchanged".
   */
  async castVote(input: { postId: number; userId: string; vote: Vote; now: Date }): Promise<VoteOutcome> {
    return this.db.transaction(async (tx) => {
      const [open] = await tx
        .select({ id: mythPosts.id })
        .from(mythPosts)
        .where(and(eq(mythPosts.id, input.postId), isNull(mythPosts.revealedAt), gt(mythPosts.revealAt, input.now)))
        .for('share');
      if (!open) return { status: 'closed' } as const;

      const inserted = await tx
        .insert(mythVotes)
        .values({ postId: input.postId, userId: input.userId, vote: input.vote, votedAt: input.now })
        .onConflictDoNothing()
        .returning({ vote: mythVotes.vote });
      if (inserted.length === 1) return { status: 'recorded', vote: input.vote } as const;

      const [before] = await tx
        .select({ vote: mythVotes.vote })
        .from(mythVotes)
        .where(and(eq(mythVotes.postId, input.postId), eq(mythVotes.userId, input.userId)))
        .for('update');
      if (!before || before.vote === input.vote) return { status: 'unchanged', vote: input.vote } as const;
      await tx
        .update(mythVotes)
        .set({ vote: input.vote, votedAt: input.now })
        .where(and(eq(mythVotes.postId, input.postId), eq(mythVotes.userId, input.userId)));
      return { status: 'changed', vote: input.vote, from: before.vote } as const;
    });
  }

  async voteCount(postId: number): Promise<VoteCount> {
    const rows = await this.db
      .select({ vote: mythVotes.vote, n: sql<number>`cast(count(*) as int)` })
      .from(mythVotes)
      .where(eq(mythVotes.postId, postId))
      .groupBy(mythVotes.vote);
    return toVoteCount(rows);
  }

  /**
   * Reveals a post exactly once: claims it with a conditional update, counts its votes and adds them to
   * the myth's cross-server totals, all in one transaction. Returns null when the post was already
   * revealed (by a button, another process or a retried tick) or does not exist.
   */
  async reveal(postId: number, verdict: Vote, now: Date): Promise<RevealRecord | null> {
    return this.db.transaction(async (tx) => {
      const [post] = await tx
        .update(mythPosts)
        .set({ revealedAt: now })
        .where(and(eq(mythPosts.id, postId), isNull(mythPosts.revealedAt)))
        .returning();
      if (!post) return null;
      const rows = await tx
        .select({ vote: mythVotes.vote, n: sql<number>`cast(count(*) as int)` })
        .from(mythVotes)
        .where(eq(mythVotes.postId, postId))
        .groupBy(mythVotes.vote);
      const votes = toVoteCount(rows);
      const right = verdict === 'myth' ? votes.myth : votes.fact;
      const wrong = verdict === 'myth' ? votes.fact : votes.myth;
      const [totals] = await tx
        .insert(mythTotals)
        .values({ mythId: post.mythId, rightVotes: right, wrongVotes: wrong })
        .onConflictDoUpdate({
          target: mythTotals.mythId,
          set: {
            rightVotes: sql`${mythTotals.rightVotes} + ${right}`,
            wrongVotes: sql`${mythTotals.wrongVotes} + ${wrong}`,
          },
        })
        .returning({ rightVotes: mythTotals.rightVotes, wrongVotes: mythTotals.wrongVotes });
      return { post, votes, totals: totals! };
    });
  }

  async totals(mythId: string): Promise<RunningTotals> {
    const [row] = await this.db
      .select({ rightVotes: mythTotals.rightVotes, wrongVotes: mythTotals.wrongVotes })
      .from(mythTotals)
      .where(eq(mythTotals.mythId, mythId));
    return row ?? { rightVotes: 0, wrongVotes: 0 };
  }

  /** Open posts whose reveal time has come (including any that fell due while the bot was down), oldest first. */
  async duePosts(now: Date, limit = 50): Promise<MythPostRecord[]> {
    return this.db
      .select()
      .from(mythPosts)
      .where(and(isNull(mythPosts.revealedAt), lte(mythPosts.revealAt, now)))
      .orderBy(asc(mythPosts.revealAt), asc(mythPosts.id))
      .limit(limit);
  }
}

function toVoteCount(rows: readonly { vote: Vote; n: number }[]): VoteCount {
  const count: VoteCount = { myth: 0, fact: 0 };
  for (const row of rows) count[row.vote] = Number(row.n);
  return count;
}
