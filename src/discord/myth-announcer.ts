import { Routes, type REST } from 'discord.js';
import type { MythAnnouncer, RevealView } from '../myth/myth-service.js';
import { renderReveal } from './myth-render.js';
import { postedOnce } from './nonce.js';

/** What each myth post is for, as its nonce: a retried post returns the first instead of doubling. */
export const mythNonce = {
  /** A verdict posted as a new message (the myth's own message id is unknown). */
  verdict: (postId: number) => `myth:v:${postId}`,
};

/** Shows a timed myth verdict over REST (the interaction that posted the myth may be long gone). */
export class DiscordMythAnnouncer implements MythAnnouncer {
  constructor(private readonly rest: REST) {}

  async showReveal(channelId: string, messageId: string | null, view: RevealView): Promise<void> {
    const body = renderReveal(view);
    if (messageId) await this.rest.patch(Routes.channelMessage(channelId, messageId), { body });
    else await this.rest.post(Routes.channelMessages(channelId), { body: postedOnce(body, mythNonce.verdict(view.postId)) });
  }
}
