// Routes each interaction to the command that owns it, inside the one error boundary.
import type { Interaction } from 'discord.js';
import type { Command } from './command.js';
import type { BotContext } from '../bot-context.js';
import { isExpected, UserError } from '../errors.js';
import { reportInteractionError } from './error-boundary.js';

export const STALE_COMPONENT = 'This button belongs to something that has ended. Start a new one with a slash command.';

export function createRouter(commands: readonly Command[], ctx: BotContext) {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const byPrefix = new Map(commands.filter((c) => c.customIdPrefix).map((c) => [c.customIdPrefix!, c]));

  const ownerOf = (customId: string): Command => {
    const owner = byPrefix.get(customId.split(':', 1)[0] ?? '');
    if (!owner) throw new UserError(STALE_COMPONENT);
    return owner;
  };

  return async function route(interaction: Interaction): Promise<void> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new UserError('I do not know that command any more. Try again in a minute.');
        await command.execute(interaction, ctx);
      } else if (interaction.isAutocomplete()) {
        await byName.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
      } else if (interaction.isButton()) {
        const owner = ownerOf(interaction.customId);
        if (!owner.handleButton) throw new UserError(STALE_COMPONENT);
        await owner.handleButton(interaction, ctx);
      } else if (interaction.isModalSubmit()) {
        const owner = ownerOf(interaction.customId);
        if (!owner.handleModal) throw new UserError(STALE_COMPONENT);
        await owner.handleModal(interaction, ctx);
      }
    } catch (error) {
      outcome = isExpected(error) ? 'user_error' : 'error';
      await reportInteractionError(interaction, error, ctx.logger);
    } finally {
      ctx.metrics?.interactionHandled(commandLabel(interaction), outcome, (performance.now() - started) / 1000);
    }
  };
}

function commandLabel(interaction: Interaction): string {
  if ('commandName' in interaction) return interaction.commandName;
  if ('customId' in interaction) return interaction.customId.split(':', 1)[0] ?? 'unknown';
  return 'unknown';
}
