// /trivia settings: shows the settings to anyone; changing them needs Manage Server.
import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../src/bot-context.js';
import { requireMemberPermission } from '../../src/discord/permissions.js';
import { replyPromptly } from '../../src/discord/respond.js';
import { TRIVIA } from '../../src/discord/trivia-command.js';
import { renderSettings } from '../../src/discord/trivia-render.js';
import type { SettingsRequest } from '../../src/trivia/settings.js';
import { requireGuild } from './guild.js';

export async function settings(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  const { options } = interaction;
  const request: SettingsRequest = {
    ...(options.getInteger(TRIVIA.option.seconds) !== null && { secondsPerQuestion: options.getInteger(TRIVIA.option.seconds)! }),
    ...(options.getInteger(TRIVIA.option.questions) !== null && { defaultQuestionCount: options.getInteger(TRIVIA.option.questions)! }),
    ...(options.getBoolean(TRIVIA.option.spoilerGuard) !== null && { spoilerGuard: options.getBoolean(TRIVIA.option.spoilerGuard)! }),
    ...(options.getString(TRIVIA.option.timeZone) !== null && { timeZone: options.getString(TRIVIA.option.timeZone)! }),
  };
  const changed = Object.keys(request).length > 0;
  if (changed) requireMemberPermission(interaction, PermissionFlagsBits.ManageGuild, 'Manage Server', 'change trivia settings');
  await replyPromptly(
    interaction,
    async () => {
      const current = changed ? await ctx.trivia.settings.change(guildId, request, ctx.clock.now()) : await ctx.trivia.settings.show(guildId);
      return { content: renderSettings(current, changed) };
    },
    { ephemeral: true },
  );
}
