// /trivia pack add|list|remove: a server's own questions. Adding and removing need Manage Server.
import { PermissionFlagsBits, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../src/bot-context.js';
import { requireMemberPermission } from '../../src/discord/permissions.js';
import { replyPromptly } from '../../src/discord/respond.js';
import { TRIVIA } from '../../src/discord/trivia-command.js';
import { packChoiceName, renderPackList, renderPackRemoved, renderPackUpload } from '../../src/discord/trivia-render.js';
import { requireGuild } from './guild.js';

const { sub, option } = TRIVIA;

export async function pack(subcommand: string, interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  if (subcommand === sub.list) {
    return replyPromptly(interaction, async () => ({ content: renderPackList(await ctx.trivia.packs.list(guildId)) }), { ephemeral: true });
  }
  requireMemberPermission(interaction, PermissionFlagsBits.ManageGuild, 'Manage Server', 'manage question packs');
  if (subcommand === sub.remove) {
    const name = interaction.options.getString(option.packName, true);
    return replyPromptly(
      interaction,
      async () => {
        await ctx.trivia.packs.remove(guildId, name);
        return { content: renderPackRemoved(name) };
      },
      { ephemeral: true },
    );
  }
  const file = interaction.options.getAttachment(option.file, true);
  const upload = { guildId, fileName: file.name, bytes: file.size, name: interaction.options.getString(option.packName), addedBy: interaction.user.id };
  // Name, type and size are checked before the reply, so a mistake costs no download.
  ctx.trivia.packs.preflight(upload);
  await replyPromptly(
    interaction,
    async () => {
      const result = await ctx.trivia.packs.add({ ...upload, download: () => downloadText(file.url), now: ctx.clock.now() });
      return { content: renderPackUpload(result) };
    },
    { ephemeral: true },
  );
}

export async function packAutocomplete(interaction: AutocompleteInteraction, ctx: BotContext, typed: string) {
  const packs = await ctx.trivia.packs.list(interaction.guildId!);
  const wanted = typed.toLowerCase();
  await interaction.respond(packs.filter((p) => p.name.includes(wanted)).slice(0, 25).map((p) => ({ name: packChoiceName(p), value: p.name })));
}

/** The attachment's text from Discord's CDN; null when it cannot be fetched. */
async function downloadText(url: string): Promise<string | null> {
  const response = await fetch(url);
  return response.ok ? response.text() : null;
}
