import { Routes, type REST } from 'discord.js';
import type { MythAnnouncer, RevealView } from '../myth/myth-service.js';
import { renderReveal } from './myth-render.js';

/** Shows a timed myth verdict over REST (the interaction that posted the myth may be long gone). */
export class DiscordMythAnnouncer implements MythAnnouncer {
  constructor(private readonly rest: REST) {}

  async showReveal(channelId: string, messageId: string | null, view: RevealView): Promise<void> {
    const body = renderReveal(view);
    if (messageId) await this.rest.patch(Routes.channelMessage(channelId, messageId), { body });
    else await this.rest.post(Routes.channelMessages(channelId), { body });
  }
}
