// /trivia leaderboard and /trivia stats: public answers.
import type { ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../src/bot-context.js';
import { replyPromptly } from '../../src/discord/respond.js';
import { TRIVIA } from '../../src/discord/trivia-command.js';
import { renderLeaderboard, renderStats } from '../../src/discord/trivia-render.js';
import { requireGuild } from './guild.js';

export async function leaderboard(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  const period = interaction.options.getString(TRIVIA.option.period) === 'week' ? 'week' : 'all';
  const callerId = interaction.user.id;
  await replyPromptly(
    interaction,
    async () => ({ embeds: [renderLeaderboard({ ...(await ctx.trivia.boards.leaderboard(guildId, callerId, period, ctx.clock.now())), callerId })] }),
    { ephemeral: false },
  );
}

export async function stats(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  const member = interaction.options.getUser(TRIVIA.option.member) ?? interaction.user;
  await replyPromptly(
    interaction,
    async () => {
      const rendered = renderStats(member.id, await ctx.trivia.boards.stats(guildId, member.id));
      return typeof rendered === 'string' ? { content: rendered } : { embeds: [rendered] };
    },
    { ephemeral: false },
  );
}
