// Starting and stopping games: /trivia play, the Play button of a rewatch thread, /trivia stop.
import { PermissionFlagsBits, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../src/bot-context.js';
import type { Category, Difficulty } from '../../src/content/index.js';
import { replyPromptly } from '../../src/discord/respond.js';
import { TRIVIA } from '../../src/discord/trivia-command.js';
import { GAME_STOPPED, renderIntro, renderQuestion, STALE } from '../../src/discord/trivia-render.js';
import { UserError } from '../../src/errors.js';
import type { QuestionView } from '../../src/trivia/game-engine.js';
import { requireGuild } from './guild.js';

const { option } = TRIVIA;

export async function play(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const episodeText = interaction.options.getString(option.episode);
  await startGame(interaction, ctx, {
    questions: interaction.options.getInteger(option.questions) ?? undefined,
    category: (interaction.options.getString(option.category) as Category | null) ?? undefined,
    difficulty: (interaction.options.getString(option.difficulty) as Difficulty | null) ?? undefined,
    episode: episodeText === null ? undefined : ctx.trivia.episodes.find(episodeText).code,
  });
}

/** The **Play this episode's trivia** button on a rewatch thread's first message: a game about that episode, in the thread. */
export async function playEpisodeHere(interaction: ButtonInteraction, ctx: BotContext, code: string | undefined) {
  const episode = ctx.trivia.episodes.byCode(code);
  if (!episode) throw new UserError(STALE.button);
  await startGame(interaction, ctx, { episode: episode.code });
}

async function startGame(
  interaction: ChatInputCommandInteraction | ButtonInteraction,
  ctx: BotContext,
  filters: { questions?: number; category?: Category; difficulty?: Difficulty; episode?: string },
) {
  const guildId = requireGuild(interaction.guildId);
  const userId = interaction.user.id;
  const episode = ctx.trivia.episodes.byCode(filters.episode);
  const { games } = ctx.trivia;
  let gameId: number | undefined;
  // Set inside the reply's work: declared so that TypeScript does not take it for always null after it.
  let firstQuestion = null as QuestionView | null;
  // The reply is the intro and the first question: an interaction reply does not count against Discord's global limit.
  let messageId: string | null = null;
  try {
    messageId = await replyPromptly(
      interaction,
      async () => {
        const started = await games.start({ guildId, channelId: interaction.channelId!, userId, ...filters, now: ctx.clock.now() });
        gameId = started.game.id;
        firstQuestion = await games.openFirstQuestion(started.game, ctx.clock.now());
        const intro = renderIntro({ startedBy: userId, ...started, about: episode });
        if (!firstQuestion) return { content: intro };
        const { embeds, components } = renderQuestion(firstQuestion);
        return { content: intro, embeds, components };
      },
      { ephemeral: false, withResponse: true },
    );
  } finally {
    if (firstQuestion) await games.questionShown(firstQuestion, messageId);
  }
  if (!firstQuestion && gameId !== undefined) await games.advanceGame(gameId, ctx.clock.now());
}

export async function stop(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  await replyPromptly(
    interaction,
    async () => {
      await ctx.trivia.games.stop({
        channelId: interaction.channelId,
        userId: interaction.user.id,
        canManageMessages: interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false,
        now: ctx.clock.now(),
      });
      return { content: GAME_STOPPED };
    },
    { ephemeral: true },
  );
}
