import { Routes, type REST } from 'discord.js';
import { ChannelUnavailableError, type QuestionView, type RevealView, type SummaryView, type TriviaAnnouncer } from '../trivia/game-engine.js';
import { channelUnusableReason } from './channel-errors.js';
import { isAnswerButtonOf, renderQuestion, renderReveal, renderSummary } from './trivia-render.js';

/** The parts of a message from GET /channels/:id/messages that identify a question. */
interface RecentMessage {
  id: string;
  author?: { bot?: boolean };
  components?: { components?: { custom_id?: string }[] }[];
}

/** Posts and edits trivia messages over REST, so any bot process can serve any game. */
export class DiscordTriviaAnnouncer implements TriviaAnnouncer {
  constructor(private readonly rest: REST) {}

  async postQuestion(channelId: string, view: QuestionView): Promise<string> {
    const message = (await this.send(() => this.rest.post(Routes.channelMessages(channelId), { body: renderQuestion(view) }))) as { id: string };
    return message.id;
  }

  async showReveal(channelId: string, question: { roundId: number; messageId: string | null }, view: RevealView): Promise<void> {
    const body = renderReveal(view);
    const messageId = question.messageId ?? (await this.findQuestionMessage(channelId, question.roundId));
    if (messageId) {
      await this.send(() => this.rest.patch(Routes.channelMessage(channelId, messageId), { body }));
    } else {
      await this.send(() => this.rest.post(Routes.channelMessages(channelId), { body }));
    }
  }

  async postSummary(channelId: string, view: SummaryView): Promise<void> {
    await this.send(() => this.rest.post(Routes.channelMessages(channelId), { body: renderSummary(view) }));
  }

  /** The bot's message carrying this round's answer buttons, among the channel's last 50; null if none. */
  private async findQuestionMessage(channelId: string, roundId: number): Promise<string | null> {
    let recent: RecentMessage[];
    try {
      recent = (await this.rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: '50' }) })) as RecentMessage[];
    } catch {
      return null; // cannot read the channel's history: the reveal goes out as a new message
    }
    const found = recent.find((m) => m.author?.bot === true && (m.components ?? []).some((row) => (row.components ?? []).some((c) => c.custom_id !== undefined && isAnswerButtonOf(c.custom_id, roundId))));
    return found?.id ?? null;
  }

  private async send<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const reason = channelUnusableReason(error);
      if (reason) throw new ChannelUnavailableError(reason);
      throw error;
    }
  }
}
