// /rewatch-thread: the Discord adapter for weekly rewatch threads. Parses options, checks permissions,
// calls the RewatchService and renders its result. The scheduling itself lives in src/rewatch.
import {
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { BotContext } from '../src/bot-context.js';
import { loadContent } from '../src/content/index.js';
import {
  MANAGE_REQUIRED,
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
import { replyPromptly, type ReplyBody } from '../src/discord/respond.js';
import { UserError } from '../src/errors.js';
import { MAX_DELAY_WEEKS, type RewatchService } from '../src/rewatch/index.js';
import { WEEKDAY_NAMES } from '../src/rewatch/schedule-time.js';
import { suggestTimeZones } from '../src/rewatch/time-zones.js';
import type { Command } from '../src/discord/command.js';

/** What the bot needs in the rewatch channel, with the names members see in Discord's settings. */
export const BOT_CHANNEL_PERMISSIONS = [
  { flag: PermissionFlagsBits.ViewChannel, name: 'View Channel' },
  { flag: PermissionFlagsBits.SendMessages, name: 'Send Messages' },
  { flag: PermissionFlagsBits.CreatePublicThreads, name: 'Create Public Threads' },
  { flag: PermissionFlagsBits.SendMessagesInThreads, name: 'Send Messages in Threads' },
] as const;

const CHANGES_SCHEDULE = new Set(['setup', 'now', 'skip', 'pause', 'resume', 'delay', 'stop']);
/** Answers only the asker sees; everything that changes the schedule is answered in public. */
const PRIVATE_ANSWERS = new Set(['status', 'schedule']);

function buildData(planChoices: readonly { name: string; value: string }[]) {
  return new SlashCommandBuilder()
    .setName('rewatch-thread')
    .setDescription('Weekly discussion threads for a Deep Space Nine rewatch')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s
        .setName('setup')
        .setDescription('Create or replace this server\'s weekly rewatch schedule')
        .addChannelOption((o) =>
          o.setName('channel').setDescription('Where the threads open').setRequired(true).addChannelTypes(ChannelType.GuildText),
        )
        .addIntegerOption((o) =>
          o
            .setName('day')
            .setDescription('Day of the week')
            .setRequired(true)
            .addChoices(...WEEKDAY_NAMES.map((name, value) => ({ name, value }))),
        )
        .addStringOption((o) => o.setName('time').setDescription('Time of day, 24-hour HH:MM, e.g. 19:30').setRequired(true).setMaxLength(10))
        .addStringOption((o) =>
          o.setName('timezone').setDescription('Your time zone, e.g. Europe/Berlin').setRequired(true).setAutocomplete(true).setMaxLength(64),
        )
        .addStringOption((o) => {
          o.setName('plan').setDescription('Which episodes to watch (default: the final chapter)');
          if (planChoices.length > 0) o.addChoices(...planChoices.slice(0, 25));
          return o;
        })
        .addStringOption((o) => o.setName('start').setDescription('Start from this episode instead of the first').setAutocomplete(true)),
    )
    .addSubcommand((s) => s.setName('status').setDescription('Progress, the next thread and any problems'))
    .addSubcommand((s) => s.setName('now').setDescription('Post the next episode\'s thread right now'))
    .addSubcommand((s) => s.setName('skip').setDescription('Skip the next episode'))
    .addSubcommand((s) => s.setName('pause').setDescription('Pause the weekly threads'))
    .addSubcommand((s) => s.setName('resume').setDescription('Continue a paused rewatch at its next slot'))
    .addSubcommand((s) =>
      s
        .setName('delay')
        .setDescription('Push the next thread back by whole weeks')
        .addIntegerOption((o) =>
          o.setName('weeks').setDescription('How many weeks').setRequired(true).setMinValue(1).setMaxValue(MAX_DELAY_WEEKS),
        ),
    )
    .addSubcommand((s) => s.setName('stop').setDescription('End the rewatch and remove its schedule'))
    .addSubcommand((s) => s.setName('schedule').setDescription('The upcoming episodes and their dates'));
}

/**
 * Plan choices come from the reviewed content shipped with the bot. If it cannot be read here the option
 * takes free text and the service checks it (the bot itself refuses to start without valid content).
 */
function contentPlanChoices(): { name: string; value: string }[] {
  try {
    return loadContent().plans.map((p) => ({ name: p.name.slice(0, 100), value: p.id }));
  } catch {
    return [];
  }
}

async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  if (!interaction.inCachedGuild()) throw new UserError('Rewatch threads are run per server: use this command inside a server.');
  const sub = interaction.options.getSubcommand(true);
  if (CHANGES_SCHEDULE.has(sub) && !interaction.memberPermissions.any([PermissionFlagsBits.ManageThreads, PermissionFlagsBits.ManageGuild])) {
    throw new UserError(MANAGE_REQUIRED);
  }
  const rewatch = ctx.rewatch;
  const guildId = interaction.guildId;
  const now = () => ctx.clock.now();
  const text = (content: string): ReplyBody => ({ content });

  if (sub === 'setup') {
    const channelOption = interaction.options.getChannel('channel', true);
    const channel = interaction.guild.channels.cache.get(channelOption.id) ?? (await interaction.guild.channels.fetch(channelOption.id));
    if (!channel || channel.type !== ChannelType.GuildText) throw new UserError('Pick a text channel: threads open inside it.');
    const me = interaction.guild.members.me ?? interaction.client.user;
    const perms = channel.permissionsFor(me);
    const missing = BOT_CHANNEL_PERMISSIONS.filter((p) => !perms?.has(p.flag, true)).map((p) => p.name);
    if (missing.length > 0) throw new UserError(missingBotPermissions(channel.id, missing));
  }

  const work = async (): Promise<ReplyBody> => {
    switch (sub) {
      case 'setup':
        return text(
          renderSetup(
            await rewatch.setup({
              guildId,
              channelId: interaction.options.getChannel('channel', true).id,
              weekday: interaction.options.getInteger('day', true),
              time: interaction.options.getString('time', true),
              timeZone: interaction.options.getString('timezone', true),
              planId: interaction.options.getString('plan'),
              startCode: interaction.options.getString('start'),
              userId: interaction.user.id,
              now: now(),
            }),
          ),
        );
      case 'status':
        return text(renderStatus(await rewatch.status(guildId, now())));
      case 'now':
        return text(renderPostedNow(await rewatch.postNow(guildId, now())));
      case 'skip':
        return text(renderSkip(await rewatch.skip(guildId, now())));
      case 'pause':
        await rewatch.pause(guildId, interaction.user.id, now());
        return text(renderPaused());
      case 'resume':
        return text(renderResumed(await rewatch.resume(guildId, now())));
      case 'delay': {
        const weeks = interaction.options.getInteger('weeks', true);
        return text(renderDelayed(await rewatch.delay(guildId, weeks, now()), weeks));
      }
      case 'stop':
        await rewatch.stop(guildId, now());
        return text(renderStopped());
      case 'schedule':
        return text(renderUpcoming(await rewatch.upcoming(guildId, now())));
      default:
        throw new UserError('I do not know that part of /rewatch-thread.');
    }
  };
  await replyPromptly(interaction, work, { ephemeral: PRIVATE_ANSWERS.has(sub) });
}

export const rewatchThreadCommand = {
  data: buildData(contentPlanChoices()),
  execute,
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'timezone') {
      await interaction.respond(suggestTimeZones(String(focused.value)).map((z) => ({ name: z, value: z })));
      return;
    }
    if (focused.name === 'start') {
      const plan = ctx.rewatch.planFor(interaction.options.getString('plan'));
      const typed = String(focused.value).trim().toLowerCase();
      const matches = (plan?.episodes ?? []).filter((e) => typed === '' || e.code.includes(typed) || e.title.toLowerCase().includes(typed));
      await interaction.respond(matches.slice(0, 25).map((e) => ({ name: `${e.code} ${e.title}`.slice(0, 100), value: e.code })));
      return;
    }
    await interaction.respond([]);
  },
} satisfies Command;

export default rewatchThreadCommand;
