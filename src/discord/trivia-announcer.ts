import { Routes, type REST } from 'discord.js';
import { ChannelUnavailableError, type QuestionView, type RevealView, type SummaryView, type TriviaAnnouncer } from '../trivia/game-engine.js';
import { channelUnusableReason } from './channel-errors.js';
import { renderQuestion, renderReveal, renderSummary } from './trivia-render.js';

/** Posts and edits trivia messages over REST, so any bot process can serve any game. */
export class DiscordTriviaAnnouncer implements TriviaAnnouncer {
  constructor(private readonly rest: REST) {}

  async postQuestion(channelId: string, view: QuestionView): Promise<string> {
    const message = (await this.send(() => this.rest.post(Routes.channelMessages(channelId), { body: renderQuestion(view) }))) as { id: string };
    return message.id;
  }

  async showReveal(channelId: string, messageId: string | null, view: RevealView): Promise<void> {
    const body = renderReveal(view);
    if (messageId) {
      await this.send(() => this.rest.patch(Routes.channelMessage(channelId, messageId), { body }));
    } else {
      await this.send(() => this.rest.post(Routes.channelMessages(channelId), { body }));
    }
  }

  async postSummary(channelId: string, view: SummaryView): Promise<void> {
    await this.send(() => this.rest.post(Routes.channelMessages(channelId), { body: renderSummary(view) }));
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
