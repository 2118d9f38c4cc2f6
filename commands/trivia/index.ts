// /trivia: the Discord-facing adapter. Each subcommand's handler lives in its own module here; the names and
// the registered data in src/discord/trivia-command.ts, the wording in src/discord/trivia-render.ts.
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import type { BotContext } from '../../src/bot-context.js';
import { TRIVIA, triviaCommandData } from '../../src/discord/trivia-command.js';
import { episodeChoiceName, parseCustomId, STALE, TRIVIA_PREFIX } from '../../src/discord/trivia-render.js';
import { UserError } from '../../src/errors.js';
import type { Command } from '../../src/discord/command.js';
import { answerButton, answerForm } from './answers.js';
import { leaderboard, stats } from './boards.js';
import { play, playEpisodeHere, stop } from './games.js';
import { pack, packAutocomplete } from './packs.js';
import { settings } from './settings.js';

const { sub, option } = TRIVIA;

export const trivia = {
  data: triviaCommandData,
  customIdPrefix: TRIVIA_PREFIX,

  async execute(interaction: ChatInputCommandInteraction, ctx: BotContext) {
    const subcommand = interaction.options.getSubcommand();
    if (interaction.options.getSubcommandGroup(false) === TRIVIA.group.pack) return pack(subcommand, interaction, ctx);
    switch (subcommand) {
      case sub.play:
        return play(interaction, ctx);
      case sub.leaderboard:
        return leaderboard(interaction, ctx);
      case sub.stats:
        return stats(interaction, ctx);
      case sub.stop:
        return stop(interaction, ctx);
      case sub.settings:
        return settings(interaction, ctx);
      default:
        throw new UserError(STALE.subcommand);
    }
  },

  async autocomplete(interaction: AutocompleteInteraction, ctx: BotContext) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== option.episode) return packAutocomplete(interaction, ctx, focused.value);
    const episodes = ctx.trivia.episodes.matching(focused.value).slice(0, 25);
    await interaction.respond(episodes.map((e) => ({ name: episodeChoiceName(e), value: e.code })));
  },

  async handleButton(interaction: ButtonInteraction, ctx: BotContext) {
    const { action, roundId, index, episode } = parseCustomId(interaction.customId);
    if (action === 'episode') return playEpisodeHere(interaction, ctx, episode);
    await answerButton(interaction, ctx, action, roundId, index);
  },

  handleModal(interaction: ModalSubmitInteraction, ctx: BotContext) {
    return answerForm(interaction, ctx);
  },
} satisfies Command;
