// /rewatch-thread: the Discord adapter for weekly rewatch threads. One handler per subcommand reads its options,
// calls the RewatchService and renders the result. The command's data and names are in
// src/discord/rewatch-command.ts, its wording in src/discord/rewatch-render.ts, the scheduling in src/rewatch.
import { ChannelFlags, ChannelType, PermissionFlagsBits, type ChatInputCommandInteraction, type GuildBasedChannel } from 'discord.js';
import type { BotContext } from '../src/bot-context.js';
import { BOT_CHANNEL_PERMISSIONS, REWATCH, REWATCH_CHANNEL_TYPES, rewatchCommandData, type RewatchSubcommand } from '../src/discord/rewatch-command.js';
import {
  MANAGE_REQUIRED,
  SERVER_ONLY,
  TEXT_CHANNEL_REQUIRED,
  UNKNOWN_SUBCOMMAND,
  episodeChoice,
  forumTagName,
  forumTagRequired,
  missingBotPermissions,
  renderDelayed,
  renderPaused,
  renderPostedNow,
  renderResumed,
  renderSetup,
  renderSkip,
  renderStatus,
  renderStopped,
  renderUpcoming,
} from '../src/discord/rewatch-render.js';
import { checkWatchPartyPermissions, watchPartyPlaceOf } from '../src/discord/event-preflight.js';
import { replyPromptly } from '../src/discord/respond.js';
import type { ChannelKind } from '../src/rewatch/index.js';
import { UserError } from '../src/errors.js';
import { suggestTimeZones } from '../src/time/time-zones.js';
import type { Command } from '../src/discord/command.js';

const { sub, option } = REWATCH;

type InServer = ChatInputCommandInteraction<'cached'>;
/** A subcommand's work: returns the text of the answer. */
type Handler = (interaction: InServer, ctx: BotContext) => Promise<string>;

const handlers: Record<RewatchSubcommand, Handler> = {
  [sub.setup]: async (interaction, ctx) =>
    renderSetup(
      await ctx.rewatch.setup({
        guildId: interaction.guildId,
        channelId: interaction.options.getChannel(option.channel, true).id,
        channelKind: channelKindOf(interaction.options.getChannel(option.channel, true).type),
        weekday: interaction.options.getInteger(option.day, true),
        time: interaction.options.getString(option.time, true),
        timeZone: interaction.options.getString(option.timeZone, true),
        planId: interaction.options.getString(option.plan),
        startCode: interaction.options.getString(option.start),
        watchParty: watchPartyPlaceOf(interaction),
        userId: interaction.user.id,
        now: ctx.clock.now(),
      }),
    ),
  [sub.status]: async (interaction, ctx) => renderStatus(await ctx.rewatch.status(interaction.guildId, ctx.clock.now())),
  [sub.now]: async (interaction, ctx) => renderPostedNow(await ctx.rewatch.postNow(interaction.guildId, ctx.clock.now())),
  [sub.skip]: async (interaction, ctx) => renderSkip(await ctx.rewatch.skip(interaction.guildId, ctx.clock.now())),
  [sub.pause]: async (interaction, ctx) => {
    await ctx.rewatch.pause(interaction.guildId, interaction.user.id, ctx.clock.now());
    return renderPaused();
  },
  [sub.resume]: async (interaction, ctx) => renderResumed(await ctx.rewatch.resume(interaction.guildId, ctx.clock.now())),
  [sub.delay]: async (interaction, ctx) => {
    const weeks = interaction.options.getInteger(option.weeks, true);
    return renderDelayed(await ctx.rewatch.delay(interaction.guildId, weeks, ctx.clock.now()), weeks);
  },
  [sub.stop]: async (interaction, ctx) => {
    await ctx.rewatch.stop(interaction.guildId, ctx.clock.now());
    return renderStopped();
  },
  [sub.schedule]: async (interaction, ctx) => renderUpcoming(await ctx.rewatch.upcoming(interaction.guildId, ctx.clock.now())),
};

const CHANGES_SCHEDULE = new Set<RewatchSubcommand>([sub.setup, sub.now, sub.skip, sub.pause, sub.resume, sub.delay, sub.stop]);
/** Answers only the asker sees; everything that changes the schedule is answered in public. */
const PRIVATE_ANSWERS = new Set<RewatchSubcommand>([sub.status, sub.schedule]);

function subcommandOf(interaction: InServer): RewatchSubcommand {
  const name = interaction.options.getSubcommand(true);
  if (!Object.hasOwn(handlers, name)) throw new UserError(UNKNOWN_SUBCOMMAND);
  return name as RewatchSubcommand;
}

/** The rewatch's kind of channel for a Discord channel type; null for a type setup does not take. */
function channelKindOf(type: ChannelType): ChannelKind {
  const kind = (REWATCH_CHANNEL_TYPES as Partial<Record<ChannelType, ChannelKind>>)[type];
  if (!kind) throw new UserError(TEXT_CHANNEL_REQUIRED);
  return kind;
}

/**
 * Setup's channel must be a text or announcement channel where the bot can open threads and write in them, or a
 * forum where it can create posts and write in them; a forum that requires tags must have (or let the bot add) the
 * plan's tag.
 */
async function checkRewatchChannel(interaction: InServer, ctx: BotContext): Promise<void> {
  const picked = interaction.options.getChannel(option.channel, true);
  const channel: GuildBasedChannel | null = interaction.guild.channels.cache.get(picked.id) ?? (await interaction.guild.channels.fetch(picked.id));
  if (!channel) throw new UserError(TEXT_CHANNEL_REQUIRED);
  const kind = channelKindOf(channel.type);
  const perms = channel.permissionsFor(interaction.guild.members.me ?? interaction.client.user);
  const missing = BOT_CHANNEL_PERMISSIONS[kind].filter((p) => !perms?.has(p.flag, true)).map((p) => p.name);
  if (missing.length > 0) throw new UserError(missingBotPermissions(channel.id, missing));
  if (channel.type === ChannelType.GuildForum && channel.flags.has(ChannelFlags.RequireTag)) {
    const plan = ctx.rewatch.planFor(interaction.options.getString(option.plan));
    if (!plan) return; // the service refuses an unknown plan with the list of plans
    const tagName = forumTagName(plan.name).toLowerCase();
    const usable = channel.availableTags.some((t) => !t.moderated && t.name.toLowerCase() === tagName);
    if (!usable && !perms?.has(PermissionFlagsBits.ManageChannels, true)) throw new UserError(forumTagRequired(channel.id, forumTagName(plan.name)));
  }
}

async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.inCachedGuild()) throw new UserError(SERVER_ONLY);
  const name = subcommandOf(interaction);
  if (CHANGES_SCHEDULE.has(name) && !interaction.memberPermissions.any([PermissionFlagsBits.ManageThreads, PermissionFlagsBits.ManageGuild])) {
    throw new UserError(MANAGE_REQUIRED);
  }
  if (name === sub.setup) await checkRewatchChannel(interaction, ctx);
  if (name === sub.setup) await checkWatchPartyPermissions(interaction);
  const content = () => handlers[name](interaction, ctx).then((text) => ({ content: text }));
  await replyPromptly(interaction, content, { ephemeral: PRIVATE_ANSWERS.has(name) });
}

export const rewatchThreadCommand = {
  data: rewatchCommandData,
  execute,
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const typed = String(focused.value);
    if (focused.name === option.timeZone) {
      await interaction.respond(suggestTimeZones(typed).map((z) => ({ name: z, value: z })));
    } else if (focused.name === option.start) {
      const plan = ctx.rewatch.planFor(interaction.options.getString(option.plan));
      const wanted = typed.trim().toLowerCase();
      const matches = (plan?.episodes ?? []).filter((e) => wanted === '' || e.code.includes(wanted) || e.title.toLowerCase().includes(wanted));
      await interaction.respond(matches.slice(0, 25).map(episodeChoice));
    } else {
      await interaction.respond([]);
    }
  },
} satisfies Command;

export default rewatchThreadCommand;
