import { MessageFlags, PermissionFlagsBits, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../src/bot-context.js';
import { customIdNumber } from '../src/discord/format.js';
import { MYTH, mythCommandData } from '../src/discord/myth-command.js';
import { choiceName, MYTH_NOTES, MYTH_PREFIX, renderList, renderPost, renderReveal, voteMessage } from '../src/discord/myth-render.js';
import { deferIfSlow, ephemeral, replyPromptly } from '../src/discord/respond.js';
import { UserError } from '../src/errors.js';
import type { RevealOutcome } from '../src/myth/myth-service.js';
import { mythRefusal } from '../src/myth/problems.js';
import type { Vote } from '../src/myth/types.js';
import type { Command } from '../src/discord/command.js';

export const myth = {
  data: mythCommandData,
  customIdPrefix: MYTH_PREFIX,

  async execute(interaction: ChatInputCommandInteraction, ctx: BotContext) {
    switch (interaction.options.getSubcommand()) {
      case MYTH.sub.ask:
        return ask(interaction, ctx);
      case MYTH.sub.list:
        return list(interaction, ctx);
      default:
        throw new UserError(MYTH_NOTES.unknownSubcommand);
    }
  },

  async autocomplete(interaction: AutocompleteInteraction, ctx: BotContext) {
    if (!interaction.guildId) return void (await interaction.respond([]));
    const choices = await ctx.myth.choices(interaction.guildId, interaction.options.getFocused());
    await interaction.respond(choices.map((c) => ({ name: choiceName(c), value: c.id })));
  },

  async handleButton(interaction: ButtonInteraction, ctx: BotContext) {
    const [, action, postText, voteText] = interaction.customId.split(':');
    const postId = customIdNumber(postText);
    if (!Number.isSafeInteger(postId)) throw mythRefusal({ code: 'post-not-open' });
    const guildId = requireGuild(interaction.guildId);
    if (action === 'vote' && (voteText === 'myth' || voteText === 'fact')) return vote(interaction, ctx, guildId, postId, voteText);
    if (action === 'reveal') return reveal(interaction, ctx, guildId, postId);
    throw new UserError(MYTH_NOTES.staleButton);
  },
} satisfies Command;

async function ask(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  let postId: number | undefined;
  let messageId: string | null;
  try {
    messageId = await replyPromptly(
      interaction,
      async () => {
        const view = await ctx.myth.ask({
          guildId,
          channelId: interaction.channelId,
          userId: interaction.user.id,
          claim: interaction.options.getString(MYTH.option.claim) ?? undefined,
          now: ctx.clock.now(),
        });
        postId = view.postId;
        const { embeds, components } = renderPost(view);
        return { embeds, components };
      },
      { ephemeral: false, withResponse: true },
    );
  } catch (error) {
    // Nobody saw the post: drop it so no verdict turns up out of nowhere a minute later.
    if (postId !== undefined) await ctx.myth.discard(postId).catch(() => {});
    throw error;
  }
  if (postId === undefined) return;
  try {
    if (messageId === null) throw new Error('Discord did not return the reply message');
    await ctx.myth.attachMessage(postId, messageId);
  } catch (error) {
    // The timed reveal then posts the verdict as a new message instead of editing this one.
    ctx.logger.warn({ err: error, postId }, 'could not record the myth message id');
  }
}

async function list(interaction: ChatInputCommandInteraction, ctx: BotContext) {
  const guildId = requireGuild(interaction.guildId);
  await replyPromptly(interaction, async () => ({ embeds: [renderList(await ctx.myth.list(guildId))] }), { ephemeral: true });
}

async function vote(interaction: ButtonInteraction, ctx: BotContext, guildId: string, postId: number, choice: Vote) {
  await replyPromptly(
    interaction,
    async () => ({ content: voteMessage(await ctx.myth.vote({ postId, guildId, userId: interaction.user.id, vote: choice, now: ctx.clock.now() })) }),
    { ephemeral: true },
  );
}

/** Reveal: the post itself becomes the verdict (an update of the clicked message, deferred when slow), or an ephemeral note. */
async function reveal(interaction: ButtonInteraction, ctx: BotContext, guildId: string, postId: number) {
  const { value: outcome, deferred } = await deferIfSlow(
    ctx.myth.revealByMember({
      postId,
      guildId,
      messageId: interaction.message.id,
      userId: interaction.user.id,
      canManageMessages: interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false,
      now: ctx.clock.now(),
    }),
    () => interaction.deferUpdate(),
  );
  await showRevealOutcome(interaction, outcome, deferred);
}

async function showRevealOutcome(interaction: ButtonInteraction, outcome: RevealOutcome, deferred: boolean) {
  if (outcome.status === 'already-revealed') {
    const note = MYTH_NOTES.alreadyRevealed;
    if (deferred) await interaction.followUp({ content: note, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    else await interaction.reply(ephemeral(note));
    return;
  }
  const { embeds, components } = renderReveal(outcome.view);
  const body = { embeds, components, allowedMentions: { parse: [] } };
  if (deferred) await interaction.editReply(body);
  else await interaction.update(body);
}

function requireGuild(guildId: string | null): string {
  if (!guildId) throw new UserError(MYTH_NOTES.guildOnly);
  return guildId;
}
