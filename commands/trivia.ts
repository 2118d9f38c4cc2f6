import {
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { BotContext } from '../src/bot-context.js';
import { parseQuestionPack, type Category, type Difficulty } from '../src/content/index.js';
import { ANSWER_FIELD, categoryChoices, customIds, renderAnswerModal, parseCustomId, renderIntro, renderLeaderboard, renderStats, TRIVIA_PREFIX } from '../src/discord/trivia-render.js';
import { ephemeral, replyPromptly } from '../src/discord/respond.js';
import { requireMemberPermission } from '../src/discord/permissions.js';
import { UserError } from '../src/errors.js';
import { canonicalTimeZone, startOfLocalWeek } from '../src/rewatch/schedule-time.js';
import { episodeLabel, episodesWithTrivia, findEpisode, matchingEpisodes } from '../src/trivia/episode-choice.js';
import { MAX_QUESTIONS, type AnswerChoice, type AnswerReply } from '../src/trivia/game-engine.js';
import type { Command } from './types.js';

const MAX_PACK_BYTES = 256 * 1024;
const PACK_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

const data = new SlashCommandBuilder()
  .setName('trivia')
  .setDescription('DS9 trivia: the Final Chapter and the finale')
  .setDMPermission(false)
  .addSubcommand((s) =>
    s
      .setName('play')
      .setDescription('Start a trivia game in this channel')
      .addIntegerOption((o) => o.setName('questions').setDescription(`How many questions (1-${MAX_QUESTIONS})`).setMinValue(1).setMaxValue(MAX_QUESTIONS))
      .addStringOption((o) =>
        o.setName('episode').setDescription('Only questions about one episode, e.g. 7x20 The Changing Face of Evil').setMaxLength(100).setAutocomplete(true),
      )
      .addStringOption((o) => o.setName('category').setDescription('Only questions from one part of the story').addChoices(...categoryChoices()))
      .addStringOption((o) =>
        o
          .setName('difficulty')
          .setDescription('Only easy, medium or hard questions')
          .addChoices({ name: 'Easy', value: 'easy' }, { name: 'Medium', value: 'medium' }, { name: 'Hard', value: 'hard' }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('leaderboard')
      .setDescription("This server's top 10 and your rank")
      .addStringOption((o) =>
        o.setName('period').setDescription('This week or all time (default: all time)').addChoices({ name: 'This week', value: 'week' }, { name: 'All time', value: 'all' }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('stats')
      .setDescription('Points, accuracy and streaks')
      .addUserOption((o) => o.setName('member').setDescription('Whose stats (default: yours)')),
  )
  .addSubcommand((s) => s.setName('stop').setDescription('Stop the game in this channel (its starter or Manage Messages)'))
  .addSubcommand((s) =>
    s
      .setName('settings')
      .setDescription('Show or change trivia settings (Manage Server)')
      .addIntegerOption((o) => o.setName('seconds').setDescription('Seconds per question (5-120)').setMinValue(5).setMaxValue(120))
      .addIntegerOption((o) => o.setName('questions').setDescription(`Default questions per game (1-${MAX_QUESTIONS})`).setMinValue(1).setMaxValue(MAX_QUESTIONS))
      .addBooleanOption((o) => o.setName('spoiler_guard').setDescription("Hold back questions past the server's rewatch"))
      .addStringOption((o) => o.setName('timezone').setDescription('IANA timezone for weekly leaderboards, e.g. Europe/Berlin').setMaxLength(64)),
  )
  .addSubcommandGroup((g) =>
    g
      .setName('pack')
      .setDescription("This server's own question packs (Manage Server)")
      .addSubcommand((s) =>
        s
          .setName('add')
          .setDescription('Add or replace a question pack from a YAML or JSON file')
          .addAttachmentOption((o) => o.setName('file').setDescription('questions.yaml or .json, same format as the bundled bank').setRequired(true))
          .addStringOption((o) => o.setName('name').setDescription('Pack name (default: the file name)').setMaxLength(32)),
      )
      .addSubcommand((s) => s.setName('list').setDescription("List this server's question packs"))
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription('Remove a question pack')
          .addStringOption((o) => o.setName('name').setDescription('Pack name').setRequired(true).setAutocomplete(true)),
      ),
  );

export const trivia = {
  data,
  customIdPrefix: TRIVIA_PREFIX,

  async execute(interaction: ChatInputCommandInteraction, ctx: BotContext) {
    const group = interaction.options.getSubcommandGroup(false);
    const sub = interaction.options.getSubcommand();
    if (group === 'pack') return pack(sub, interaction, ctx);
    switch (sub) {
      case 'play':
        return play(interaction, ctx);
      case 'leaderboard':
        return leaderboard(interaction, ctx);
      case 'stats':
        return stats(interaction, ctx);
      case 'stop':
        return stop(interaction, ctx);
      case 'settings':
        return settings(interaction, ctx);
      default:
        throw new UserError('Unknown subcommand. Try `/trivia play`.');
    }
  },

  async autocomplete(interaction: AutocompleteInteraction, ctx: BotContext) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'episode') {
      const episodes = matchingEpisodes(episodesWithTrivia(ctx.content.episodes, ctx.content.questions), focused.value);
      return void (await interaction.respond(episodes.slice(0, 25).map((e) => ({ name: episodeLabel(e).slice(0, 100), value: e.code }))));
    }
    const typed = focused.value.toLowerCase();
    const packs = await ctx.packs.list(interaction.guildId!);
    await interaction.respond(
      packs
        .filter((p) => p.name.includes(typed))
        .slice(0, 25)
        .map((p) => ({ name: `${p.name} (${p.questionCount} questions)`, value: p.name })),
    );
  },

  async handleButton(interaction: ButtonInteraction, ctx: BotContext) {
    const { action, roundId, index, episode } = parseCustomId(interaction.customId);
    if (action === 'episode') return playEpisodeHere(interaction, ctx, episode);
    if (!Number.isSafeInteger(roundId)) throw new UserError('This question has closed.');
    const guildId = requireGuild(interaction.guildId);
    if (action === 'open') {
      const state = await ctx.trivia.canAnswer(roundId, guildId, interaction.user.id, ctx.clock.now());
      if (state !== 'open') return void (await interaction.reply(ephemeral(answerMessage({ status: state }))));
      const prompt = interaction.message.embeds[0]?.title ?? 'Your answer';
      return void (await interaction.showModal(renderAnswerModal(roundId, prompt)));
    }
    if (action !== 'pick') throw new UserError('This button is from an older version of the bot. Start a new game with `/trivia play`.');
    await submit(interaction, ctx, roundId, { kind: 'option', index });
  },

  async handleModal(interaction: ModalSubmitInteraction, ctx: BotContext) {
    const { action, roundId } = parseCustomId(interaction.customId);
    if (action !== 'text' || !Number.isSafeInteger(roundId)) throw new UserError('This question has closed.');
    let text: string;
    try {
      text = interaction.fields.getTextInputValue(ANSWER_FIELD);
    } catch {
      // A form from an older version of the bot, without the answer field.
      throw new UserError('This answer form is out of date. Press **Answer** on the question again.');
    }
    await submit(interaction, ctx, roundId, { kind: 'text', text });
  },
} satisfies Command;

async function submit(interaction: ButtonInteraction | ModalSubmitInteraction, ctx: BotContext, roundId: number, choice: AnswerChoice) {
  const guildId = requireGuild(interaction.guildId);
  await replyPromptly(
    interaction,
    async () => ({
      content: answerMessage(await ctx.trivia.answer({ roundId, guildId, userId: interaction.user.id, choice, now: ctx.clock.now() })),
    }),
    { ephemeral: true },
  );
}

function answerMessage(reply: AnswerReply | { status: 'already-answered' | 'closed' }): string {
  switch (reply.status) {
    case 'locked-in':
      return reply.freeText
        ? `🔒 Locked in: "${reply.answerText}". You'll see whether it counted when the answer is revealed.`
        : `🔒 Locked in: **${reply.answerText}**. The answer is revealed when the time is up.`;
    case 'already-answered':
      return 'You already answered this question; your first answer is the one that counts.';
    case 'closed':
      return 'This question has closed. Wait for the next one, or start a game with `/trivia play`.';
  }
}

async function play(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const episodeText = interaction.options.getString('episode');
  const episode = episodeText === null ? undefined : findEpisode(episodesWithTrivia(ctx.content.episodes, ctx.content.questions), episodeText);
  if (episodeText !== null && !episode) {
    throw new UserError(
      `"${episodeText.slice(0, 100)}" is not an episode I have trivia for. Pick one from the list as you type, e.g. \`7x20 The Changing Face of Evil\`.`,
    );
  }
  await startGame(interaction, ctx, {
    questions: interaction.options.getInteger('questions') ?? undefined,
    category: (interaction.options.getString('category') as Category | null) ?? undefined,
    difficulty: (interaction.options.getString('difficulty') as Difficulty | null) ?? undefined,
    episode: episode?.code,
  });
}

/** The **Play this episode's trivia** button on a rewatch thread's first message: a game about that episode, in the thread. */
async function playEpisodeHere(interaction: ButtonInteraction, ctx: BotContext, code: string | undefined) {
  const episode = ctx.content.episodes.find((e) => e.code === code);
  if (!episode) throw new UserError('This button is from an older version of the bot. Start a game with `/trivia play`.');
  await startGame(interaction, ctx, { episode: episode.code });
}

async function startGame(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: BotContext,
  filters: { questions?: number; category?: Category; difficulty?: Difficulty; episode?: string },
) {
  const guildId = requireGuild(interaction.guildId);
  const episode = ctx.content.episodes.find((e) => e.code === filters.episode);
  let gameId: number | undefined;
  await replyPromptly(
    interaction,
    async () => {
      const started = await ctx.trivia.start({ guildId, channelId: interaction.channelId!, userId: interaction.user.id, ...filters, now: ctx.clock.now() });
      gameId = started.game.id;
      return {
        content: renderIntro({
          startedBy: interaction.user.id,
          questionCount: started.questionCount,
          seconds: started.secondsPerQuestion,
          shortBy: started.shortBy,
          about: episode && `"${episode.title}" (${episode.code})`,
        }),
      };
    },
    { ephemeral: false },
  );
  if (gameId !== undefined) await ctx.trivia.advanceGame(gameId, ctx.clock.now());
}

async function leaderboard(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  const period = interaction.options.getString('period') === 'week' ? 'week' : 'all';
  await replyPromptly(
    interaction,
    async () => {
      const { timeZone } = await ctx.settings.get(guildId);
      const board =
        period === 'week'
          ? await ctx.triviaScores.leaderboardSince(guildId, interaction.user.id, startOfLocalWeek(ctx.clock.now(), timeZone))
          : await ctx.triviaScores.leaderboardAllTime(guildId, interaction.user.id);
      return { embeds: [renderLeaderboard({ period, ...board, callerId: interaction.user.id, timeZone })] };
    },
    { ephemeral: false },
  );
}

async function stats(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  const member = interaction.options.getUser('member') ?? interaction.user;
  await replyPromptly(
    interaction,
    async () => {
      const rendered = renderStats(member.id, await ctx.triviaScores.stats(guildId, member.id));
      return typeof rendered === 'string' ? { content: rendered } : { embeds: [rendered] };
    },
    { ephemeral: false },
  );
}

async function stop(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  await replyPromptly(
    interaction,
    async () => {
      await ctx.trivia.stop({
        channelId: interaction.channelId,
        userId: interaction.user.id,
        canManageMessages: interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false,
        now: ctx.clock.now(),
      });
      return { content: 'Trivia stopped. Answers already given still count.' };
    },
    { ephemeral: true },
  );
}

async function settings(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  requireMemberPermission(interaction, PermissionFlagsBits.ManageGuild, 'Manage Server', 'change trivia settings');
  const zoneText = interaction.options.getString('timezone');
  let timeZone: string | undefined;
  if (zoneText !== null) {
    timeZone = canonicalTimeZone(zoneText) ?? undefined;
    if (!timeZone) throw new UserError(`"${zoneText.slice(0, 64)}" is not a timezone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`);
  }
  const change = {
    ...(interaction.options.getInteger('seconds') !== null && { secondsPerQuestion: interaction.options.getInteger('seconds')! }),
    ...(interaction.options.getInteger('questions') !== null && { defaultQuestionCount: interaction.options.getInteger('questions')! }),
    ...(interaction.options.getBoolean('spoiler_guard') !== null && { spoilerGuard: interaction.options.getBoolean('spoiler_guard')! }),
    ...(timeZone && { timeZone }),
  };
  await replyPromptly(
    interaction,
    async () => {
      const changed = Object.keys(change).length > 0;
      const current = changed ? await ctx.settings.update(guildId, change, ctx.clock.now()) : await ctx.settings.get(guildId);
      return {
        content: [
          changed ? '**Trivia settings saved.**' : '**Trivia settings** (change them with the options of this command):',
          `Seconds per question: ${current.secondsPerQuestion}`,
          `Questions per game: ${current.defaultQuestionCount}`,
          `Spoiler guard: ${current.spoilerGuard ? 'on' : 'off'}`,
          `Timezone (weekly leaderboard): ${current.timeZone}`,
        ].join('\n'),
      };
    },
    { ephemeral: true },
  );
}

async function pack(sub: string, interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  if (sub === 'list') {
    return replyPromptly(
      interaction,
      async () => {
        const packs = await ctx.packs.list(guildId);
        return {
          content:
            packs.length === 0
              ? 'This server has no question packs yet. Add one with `/trivia pack add`.'
              : ['**Question packs**', ...packs.map((p) => `- ${p.name}: ${p.questionCount} questions, added by <@${p.addedBy}>`)].join('\n'),
        };
      },
      { ephemeral: true },
    );
  }
  requireMemberPermission(interaction, PermissionFlagsBits.ManageGuild, 'Manage Server', 'manage question packs');
  if (sub === 'remove') {
    const name = interaction.options.getString('name', true);
    return replyPromptly(
      interaction,
      async () => {
        // A name no pack can have (control characters, which Postgres cannot even compare) is simply not there.
        if (!PACK_NAME.test(name) || !(await ctx.packs.remove(guildId, name))) throw new UserError(`There is no pack called "${name.slice(0, 32)}". See \`/trivia pack list\`.`);
        return { content: `Removed the question pack "${name}".` };
      },
      { ephemeral: true },
    );
  }
  const file = interaction.options.getAttachment('file', true);
  const name = (interaction.options.getString('name') ?? file.name.replace(/\.(ya?ml|json)$/i, '')).toLowerCase();
  if (!PACK_NAME.test(name)) {
    throw new UserError('Pack names use lowercase letters, digits and hyphens (up to 32), e.g. `house-rules`. Pass one with the `name` option.');
  }
  if (!/\.(ya?ml|json)$/i.test(file.name)) throw new UserError(`"${file.name.slice(0, 64)}" is not a .yaml, .yml or .json file.`);
  if (file.size > MAX_PACK_BYTES) throw new UserError(`That file is ${Math.ceil(file.size / 1024)} KB; packs can be at most ${MAX_PACK_BYTES / 1024} KB.`);
  await replyPromptly(
    interaction,
    async () => {
      const response = await fetch(file.url);
      if (!response.ok) throw new UserError('I could not download that file from Discord. Please try again.');
      const text = await response.text();
      const result = parseQuestionPack(text, file.name, ctx.content.episodes);
      if (!result.ok) {
        const shown = result.problems.slice(0, 15);
        const more = result.problems.length > shown.length ? `\n…and ${result.problems.length - shown.length} more.` : '';
        return {
          content: `**Nothing was saved**: the pack has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}. Fix them and upload it again.\n${shown.map((p) => `- ${p}`).join('\n')}${more}`.slice(0, 2000),
        };
      }
      const saved = await ctx.packs.save(guildId, name, result.questions, interaction.user.id, ctx.clock.now());
      return { content: `${saved === 'added' ? 'Added' : 'Replaced'} the question pack "${name}" with ${result.questions.length} questions. They join the next games here.` };
    },
    { ephemeral: true },
  );
}

function requireGuild(guildId: string | null): string {
  if (!guildId) throw new UserError('Trivia works in servers, not in direct messages.');
  return guildId;
}
