// /trivia as Discord registers it: every subcommand and option name, defined once and used by the handlers
// (commands/trivia/) and the wording (trivia-render.ts).
import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { CATEGORY_LABELS, type Category } from '../content/index.js';
import { MAX_QUESTIONS } from '../trivia/game-engine.js';

export const TRIVIA = {
  name: 'trivia',
  group: { pack: 'pack' },
  sub: { play: 'play', leaderboard: 'leaderboard', stats: 'stats', stop: 'stop', settings: 'settings', add: 'add', list: 'list', remove: 'remove' },
  option: {
    questions: 'questions',
    episode: 'episode',
    category: 'category',
    difficulty: 'difficulty',
    period: 'period',
    member: 'member',
    seconds: 'seconds',
    spoilerGuard: 'spoiler_guard',
    timeZone: 'timezone',
    file: 'file',
    packName: 'name',
  },
} as const;

/** Seconds per question a server may choose. */
export const SECONDS_PER_QUESTION = { min: 5, max: 120 } as const;

function categoryChoices() {
  return (Object.entries(CATEGORY_LABELS) as [Category, string][]).map(([value, name]) => ({ name, value }));
}

const { sub, option } = TRIVIA;

export const triviaCommandData = new SlashCommandBuilder()
  .setName(TRIVIA.name)
  .setDescription('DS9 trivia: the Final Chapter and the finale')
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addSubcommand((s) =>
    s
      .setName(sub.play)
      .setDescription('Start a trivia game in this channel')
      .addIntegerOption((o) => o.setName(option.questions).setDescription(`How many questions (1-${MAX_QUESTIONS})`).setMinValue(1).setMaxValue(MAX_QUESTIONS))
      .addStringOption((o) =>
        o.setName(option.episode).setDescription('Only questions about one episode, e.g. 7x20 The Changing Face of Evil').setMaxLength(100).setAutocomplete(true),
      )
      .addStringOption((o) => o.setName(option.category).setDescription('Only questions from one part of the story').addChoices(...categoryChoices()))
      .addStringOption((o) =>
        o
          .setName(option.difficulty)
          .setDescription('Only easy, medium or hard questions')
          .addChoices({ name: 'Easy', value: 'easy' }, { name: 'Medium', value: 'medium' }, { name: 'Hard', value: 'hard' }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName(sub.leaderboard)
      .setDescription("This server's top 10 and your rank")
      .addStringOption((o) =>
        o.setName(option.period).setDescription('This week or all time (default: all time)').addChoices({ name: 'This week', value: 'week' }, { name: 'All time', value: 'all' }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName(sub.stats)
      .setDescription('Points, accuracy and streaks')
      .addUserOption((o) => o.setName(option.member).setDescription('Whose stats (default: yours)')),
  )
  .addSubcommand((s) => s.setName(sub.stop).setDescription('Stop the game in this channel (its starter or Manage Messages)'))
  .addSubcommand((s) =>
    s
      .setName(sub.settings)
      .setDescription('Show the trivia settings, or change them (Manage Server)')
      .addIntegerOption((o) =>
        o
          .setName(option.seconds)
          .setDescription(`Seconds per question (${SECONDS_PER_QUESTION.min}-${SECONDS_PER_QUESTION.max})`)
          .setMinValue(SECONDS_PER_QUESTION.min)
          .setMaxValue(SECONDS_PER_QUESTION.max),
      )
      .addIntegerOption((o) => o.setName(option.questions).setDescription(`Default questions per game (1-${MAX_QUESTIONS})`).setMinValue(1).setMaxValue(MAX_QUESTIONS))
      .addBooleanOption((o) => o.setName(option.spoilerGuard).setDescription("Hold back questions past the server's rewatch"))
      .addStringOption((o) => o.setName(option.timeZone).setDescription('IANA timezone for weekly leaderboards, e.g. Europe/Berlin').setMaxLength(64)),
  )
  .addSubcommandGroup((g) =>
    g
      .setName(TRIVIA.group.pack)
      .setDescription("This server's own question packs (Manage Server)")
      .addSubcommand((s) =>
        s
          .setName(sub.add)
          .setDescription('Add or replace a question pack from a YAML or JSON file')
          .addAttachmentOption((o) => o.setName(option.file).setDescription('questions.yaml or .json, same format as the bundled bank').setRequired(true))
          .addStringOption((o) => o.setName(option.packName).setDescription('Pack name (default: the file name)').setMaxLength(32)),
      )
      .addSubcommand((s) => s.setName(sub.list).setDescription("List this server's question packs"))
      .addSubcommand((s) =>
        s
          .setName(sub.remove)
          .setDescription('Remove a question pack')
          .addStringOption((o) => o.setName(option.packName).setDescription('Pack name').setRequired(true).setAutocomplete(true)),
      ),
  );
