// Setup's watch-party options: where the parties take place (read from the event and event-channel options) and
// whether the bot may keep events there, checked before anything is saved.
import { ChannelType, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../errors.js';
import type { WatchPartyPlace } from '../rewatch/watch-party.js';
import { EVENT_CHANNEL_KIND, EVENT_CHANNEL_WITHOUT_EVENT, eventPermissionNames, missingEventPermissions } from './event-render.js';
import { REWATCH } from './rewatch-command.js';

type InServer = ChatInputCommandInteraction<'cached'>;

/** Setup's watch-party choice: null when off. event-channel alone turns them on; event:False with a channel is refused. */
export function watchPartyPlaceOf(interaction: InServer): WatchPartyPlace | null {
  const wanted = interaction.options.getBoolean(REWATCH.option.event);
  const channel = interaction.options.getChannel(REWATCH.option.eventChannel);
  if (channel && wanted === false) throw new UserError(EVENT_CHANNEL_WITHOUT_EVENT);
  if (!channel) return wanted ? { kind: 'external' } : null;
  if (channel.type === ChannelType.GuildVoice) return { kind: 'voice', channelId: channel.id };
  if (channel.type === ChannelType.GuildStageVoice) return { kind: 'stage', channelId: channel.id };
  throw new UserError(EVENT_CHANNEL_KIND);
}

/** Refuses setup, naming what is missing, when the bot could not keep the events it was asked for. */
export async function checkWatchPartyPermissions(interaction: InServer): Promise<void> {
  const place = watchPartyPlaceOf(interaction);
  if (!place) return;
  const me = interaction.guild.members.me ?? (await interaction.guild.members.fetchMe());
  const perms = place.kind === 'external' ? me.permissions : (interaction.guild.channels.cache.get(place.channelId) ?? (await interaction.guild.channels.fetch(place.channelId)))?.permissionsFor(me);
  const events = perms?.any([PermissionFlagsBits.ManageEvents, PermissionFlagsBits.CreateEvents], true) ?? false;
  const channelNeeds =
    place.kind === 'voice'
      ? PermissionFlagsBits.ViewChannel | PermissionFlagsBits.Connect
      : place.kind === 'stage'
        ? PermissionFlagsBits.ManageChannels | PermissionFlagsBits.MuteMembers | PermissionFlagsBits.MoveMembers
        : 0n;
  const channelOk = perms?.has(channelNeeds, true) ?? false;
  if (!events || !channelOk) throw new UserError(missingEventPermissions(eventPermissionNames(place)));
}
