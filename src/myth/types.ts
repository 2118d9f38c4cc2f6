// The words of /myth: a member's vote, how it landed, and the counts a verdict reveals.

export type Vote = 'myth' | 'fact';

/** How a vote landed: first vote, a changed vote, the same vote again (a double click), or too late. */
export type VoteOutcome =
  | { status: 'recorded'; vote: Vote }
  | { status: 'changed'; vote: Vote; from: Vote }
  | { status: 'unchanged'; vote: Vote }
  | { status: 'closed' };

export interface VoteCount {
  myth: number;
  fact: number;
}

/** A myth's votes across every server: how many matched the verdict and how many did not. */
export interface RunningTotals {
  rightVotes: number;
  wrongVotes: number;
}
