// The one error boundary for every interaction.
import { MessageFlags, type Interaction } from 'discord.js';
import { isDatabaseUnavailable, isExpected, Refusal } from '../errors.js';
import { explainRefusal } from './refusals.js';
import type { Logger } from '../logger.js';

export const GENERIC_APOLOGY = 'Something went wrong on my side. It has been logged; please try again in a moment.';
export const DATABASE_DOWN = "I'm having trouble reaching my database right now. Nothing you already did was lost; please try again in a minute.";

export async function reportInteractionError(interaction: Interaction, error: unknown, logger: Logger): Promise<void> {
  let message: string;
  if (isExpected(error)) {
    message = error instanceof Refusal ? explainRefusal(error) : error.message;
  } else if (isDatabaseUnavailable(error)) {
    logger.warn({ interactionId: interaction.id, err: describe(error) }, 'database unavailable during interaction');
    message = DATABASE_DOWN;
  } else {
    logger.error({ interactionId: interaction.id, err: error }, 'interaction failed');
    message = GENERIC_APOLOGY;
  }
  if (interaction.isAutocomplete()) {
    if (!interaction.responded) await interaction.respond([]).catch(() => {});
    return;
  }
  if (!interaction.isRepliable()) return;
  const payload = { content: message, allowedMentions: { parse: [] } } as const;
  try {
    if (interaction.deferred || interaction.replied) {
      // After a public defer the original reply is public: say it in an ephemeral follow-up instead.
      await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
    } else {
      await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
    }
  } catch (replyError) {
    logger.warn({ interactionId: interaction.id, err: describe(replyError) }, 'could not tell the member about an error');
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
