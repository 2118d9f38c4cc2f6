// The words of a trivia game, as the engine, the repository and the render modules share them.

export type GameStatus = 'running' | 'finished' | 'stopped';

export interface GameRecord {
  id: number;
  guildId: string;
  channelId: string;
  startedBy: string;
  status: GameStatus;
  questionCount: number;
  secondsPerQuestion: number;
  endedBy: string | null;
}

export interface RoundRecord {
  id: number;
  gameId: number;
  roundNo: number;
  questionId: string;
  /** A multiple-choice round's option order (indexes into the question's options); null: the question's own order. */
  optionOrder: number[] | null;
  messageId: string | null;
  opensAt: Date | null;
  closesAt: Date | null;
  revealedAt: Date | null;
  /** When the reveal went out (or was claimed by the process posting it); null while it is still to show. */
  revealShownAt: Date | null;
}

export interface RevealedAnswer {
  userId: string;
  correct: boolean;
  points: number;
  answeredAt: Date;
  firstCorrect: boolean;
}

export interface Standing {
  userId: string;
  points: number;
  rank: number;
}

export interface PlayerStats {
  points: number;
  answered: number;
  correct: number;
  currentStreak: number;
  bestStreak: number;
  gamesPlayed: number;
}
