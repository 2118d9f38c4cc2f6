// /rewatch-thread as Discord registers it: every subcommand and option name, defined once and used by the
// handlers (commands/rewatch-thread.ts) and the wording (rewatch-render.ts).
import { ApplicationIntegrationType, ChannelType, InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { loadContent } from '../content/index.js';
import { MAX_DELAY_WEEKS, type ChannelKind } from '../rewatch/index.js';
import { WEEKDAY_NAMES } from '../time/schedule-time.js';

export const REWATCH = {
  name: 'rewatch-thread',
  sub: {
    setup: 'setup',
    status: 'status',
    now: 'now',
    skip: 'skip',
    pause: 'pause',
    resume: 'resume',
    delay: 'delay',
    stop: 'stop',
    schedule: 'schedule',
  },
  option: { channel: 'channel', day: 'day', time: 'time', timeZone: 'timezone', plan: 'plan', start: 'start', weeks: 'weeks', event: 'event', eventChannel: 'event-channel' },
} as const;

export type RewatchSubcommand = (typeof REWATCH.sub)[keyof typeof REWATCH.sub];

/** The channel types setup accepts, and the kind of rewatch channel each makes. */
export const REWATCH_CHANNEL_TYPES = {
  [ChannelType.GuildText]: 'text',
  [ChannelType.GuildAnnouncement]: 'announcement',
  [ChannelType.GuildForum]: 'forum',
} as const satisfies Record<number, ChannelKind>;

export interface NamedPermission {
  flag: bigint;
  /** As members see it in Discord's channel settings. */
  name: string;
}

const VIEW = { flag: PermissionFlagsBits.ViewChannel, name: 'View Channel' };
const SEND_IN_THREADS = { flag: PermissionFlagsBits.SendMessagesInThreads, name: 'Send Messages in Threads' };
const THREAD_CHANNEL = [
  VIEW,
  { flag: PermissionFlagsBits.SendMessages, name: 'Send Messages' },
  { flag: PermissionFlagsBits.CreatePublicThreads, name: 'Create Public Threads' },
  SEND_IN_THREADS,
];

/**
 * What the bot needs in the rewatch channel, by kind. In a forum, Send Messages is what Discord's settings call
 * Create Posts; Manage Channels (to add the plan's tag) is optional and not listed.
 */
export const BOT_CHANNEL_PERMISSIONS: Record<ChannelKind, readonly NamedPermission[]> = {
  text: THREAD_CHANNEL,
  announcement: THREAD_CHANNEL,
  forum: [VIEW, { flag: PermissionFlagsBits.SendMessages, name: 'Send Messages (Create Posts)' }, SEND_IN_THREADS],
};

const { sub, option } = REWATCH;

function buildData(planChoices: readonly { name: string; value: string }[]) {
  return new SlashCommandBuilder()
    .setName(REWATCH.name)
    .setDescription('Weekly discussion threads for a Deep Space Nine rewatch')
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addSubcommand((s) =>
      s
        .setName(sub.setup)
        .setDescription('Create or replace this server\'s weekly rewatch schedule')
        .addChannelOption((o) =>
          o.setName(option.channel).setDescription('Where episodes open: a text or announcement channel (threads) or a forum (posts)').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum),
        )
        .addIntegerOption((o) =>
          o
            .setName(option.day)
            .setDescription('Day of the week')
            .setRequired(true)
            .addChoices(...WEEKDAY_NAMES.map((name, value) => ({ name, value }))),
        )
        .addStringOption((o) => o.setName(option.time).setDescription('Time of day, 24-hour HH:MM, e.g. 19:30').setRequired(true).setMaxLength(10))
        .addStringOption((o) =>
          o.setName(option.timeZone).setDescription('Your time zone, e.g. Europe/Berlin').setRequired(true).setAutocomplete(true).setMaxLength(64),
        )
        .addStringOption((o) => {
          o.setName(option.plan).setDescription('Which episodes to watch (default: the final chapter)');
          if (planChoices.length > 0) o.addChoices(...planChoices.slice(0, 25));
          return o;
        })
        .addStringOption((o) => o.setName(option.start).setDescription('Start from this episode instead of the first').setAutocomplete(true))
        .addBooleanOption((o) => o.setName(option.event).setDescription('Keep a Discord event for each episode\'s watch party (needs Manage Events)'))
        .addChannelOption((o) =>
          o
            .setName(option.eventChannel)
            .setDescription('Hold the watch parties in this voice or stage channel (default: an event linking to the discussion)')
            .addChannelTypes(ChannelType.GuildVoice, ChannelType.GuildStageVoice),
        ),
    )
    .addSubcommand((s) => s.setName(sub.status).setDescription('Progress, the next thread and any problems'))
    .addSubcommand((s) => s.setName(sub.now).setDescription('Post the next episode\'s thread right now'))
    .addSubcommand((s) => s.setName(sub.skip).setDescription('Skip the next episode'))
    .addSubcommand((s) => s.setName(sub.pause).setDescription('Pause the weekly threads'))
    .addSubcommand((s) => s.setName(sub.resume).setDescription('Continue a paused rewatch at its next slot'))
    .addSubcommand((s) =>
      s
        .setName(sub.delay)
        .setDescription('Push the next thread back by whole weeks')
        .addIntegerOption((o) =>
          o.setName(option.weeks).setDescription('How many weeks').setRequired(true).setMinValue(1).setMaxValue(MAX_DELAY_WEEKS),
        ),
    )
    .addSubcommand((s) => s.setName(sub.stop).setDescription('End the rewatch and remove its schedule'))
    .addSubcommand((s) => s.setName(sub.schedule).setDescription('The upcoming episodes and their dates'));
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

export const rewatchCommandData = buildData(contentPlanChoices());
