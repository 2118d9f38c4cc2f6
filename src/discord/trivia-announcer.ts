import { Routes, type APIMessage, type REST } from 'discord.js';
import { ChannelUnavailableError, type QuestionView, type RevealView, type SummaryView, type TriviaAnnouncer } from '../trivia/game-engine.js';
import { channelUnusableReason } from './channel-errors.js';
import { postedOnce } from './nonce.js';
import type { MessagePayload } from './format.js';
import { parseCustomId, renderQuestion, renderReveal, renderSummary } from './trivia-render.js';

/** What each trivia post is for, as its nonce: a retried post returns the first instead of doubling. */
export const triviaNonce = {
  /** A question, with the reveals above it. */
  question: (roundId: number) => `trivia:q:${roundId}`,
  /** A reveal on its own (it missed its game's next post). */
  reveal: (roundId: number) => `trivia:a:${roundId}`,
  /** A game's summary, with the reveals above it. */
  summary: (gameId: number) => `trivia:s:${gameId}`,
};

/** How far back `findQuestion` looks: a game's channel rarely moves on by more before its first question closes. */
const RECENT_MESSAGES = 50;

/** Posts trivia messages over REST, so any bot process can serve any game. Every post is a new message: one per round. */
export class DiscordTriviaAnnouncer implements TriviaAnnouncer {
  constructor(private readonly rest: REST) {}

  async postQuestion(channelId: string, view: QuestionView, reveals: readonly RevealView[]): Promise<string> {
    const message = (await this.post(channelId, renderQuestion(view, reveals), triviaNonce.question(view.roundId))) as { id: string };
    return message.id;
  }

  async postSummary(channelId: string, view: SummaryView, reveals: readonly RevealView[]): Promise<void> {
    await this.post(channelId, renderSummary(view, reveals), triviaNonce.summary(view.gameId));
  }

  async postReveal(channelId: string, view: RevealView): Promise<void> {
    await this.post(channelId, renderReveal(view), triviaNonce.reveal(view.roundId));
  }

  async findQuestion(channelId: string, roundId: number): Promise<string | null> {
    let recent: APIMessage[];
    try {
      recent = (await this.rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: String(RECENT_MESSAGES) }) })) as APIMessage[];
    } catch (error) {
      if (channelUnusableReason(error)) return null;
      throw error;
    }
    const showsRound = (message: APIMessage) =>
      (message.components ?? []).some((row) => 'components' in row && row.components.some((c) => 'custom_id' in c && parseCustomId(c.custom_id).roundId === roundId));
    return recent.find(showsRound)?.id ?? null;
  }

  private async post(channelId: string, body: MessagePayload, nonce: string): Promise<unknown> {
    try {
      return await this.rest.post(Routes.channelMessages(channelId), { body: postedOnce(body, nonce) });
    } catch (error) {
      const reason = channelUnusableReason(error);
      if (reason) throw new ChannelUnavailableError(reason);
      throw error;
    }
  }
}
