// Answer buttons and the free-text form: one statement per click, the reply only to the member.
import type { ButtonInteraction, ModalSubmitInteraction } from 'discord.js';
import type { BotContext } from '../../src/bot-context.js';
import { ephemeral, replyPromptly } from '../../src/discord/respond.js';
import { ANSWER_FIELD, answerMessage, parseCustomId, renderAnswerModal, STALE } from '../../src/discord/trivia-render.js';
import { UserError } from '../../src/errors.js';
import type { AnswerChoice } from '../../src/trivia/game-engine.js';
import { requireGuild } from './guild.js';

export async function answerButton(interaction: ButtonInteraction, ctx: BotContext, action: string | undefined, roundId: number, index: number) {
  if (!Number.isSafeInteger(roundId)) throw new UserError(STALE.question);
  const guildId = requireGuild(interaction.guildId);
  if (action === 'open') {
    const state = await ctx.trivia.games.canAnswer(roundId, guildId, interaction.user.id, ctx.clock.now());
    if (state.status !== 'open') return void (await interaction.reply(ephemeral(answerMessage(state))));
    return void (await interaction.showModal(renderAnswerModal(roundId, state.prompt)));
  }
  if (action !== 'pick') throw new UserError(STALE.button);
  await submit(interaction, ctx, roundId, { kind: 'option', index });
}

export async function answerForm(interaction: ModalSubmitInteraction, ctx: BotContext) {
  const { action, roundId } = parseCustomId(interaction.customId);
  if (action !== 'text' || !Number.isSafeInteger(roundId)) throw new UserError(STALE.question);
  let text: string;
  try {
    text = interaction.fields.getTextInputValue(ANSWER_FIELD);
  } catch {
    // A form from an older version of the bot, without the answer field.
    throw new UserError(STALE.form);
  }
  await submit(interaction, ctx, roundId, { kind: 'text', text });
}

async function submit(interaction: ButtonInteraction | ModalSubmitInteraction, ctx: BotContext, roundId: number, choice: AnswerChoice) {
  const guildId = requireGuild(interaction.guildId);
  const userId = interaction.user.id;
  await replyPromptly(
    interaction,
    async () => ({ content: answerMessage(await ctx.trivia.games.answer({ roundId, guildId, userId, choice, now: ctx.clock.now() })) }),
    { ephemeral: true },
  );
}
