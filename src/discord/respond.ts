import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type ModalSubmitInteraction,
} from 'discord.js';

type Repliable = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;
export type ReplyBody = Omit<InteractionEditReplyOptions, 'flags' | 'allowedMentions'>;

/** Answer within Discord's 3 seconds: reply directly when the work is quick, otherwise defer first. */
const DEFER_AFTER_MS = 1_500;

/**
 * Runs `work` and replies with its result. If the work is still running after 1.5 s (a slow or
 * unreachable database), the interaction is deferred so it never shows "This interaction failed".
 * Mentions in the reply are never parsed.
 */
export async function replyPromptly(interaction: Repliable, work: () => Promise<ReplyBody>, options: { ephemeral: boolean }): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  const pending = work().then(
    (body) => ({ body }),
    (error: unknown) => ({ error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), DEFER_AFTER_MS);
  });
  const first = await Promise.race([pending, slow]);
  clearTimeout(timer);
  if (first === 'slow') {
    await interaction.deferReply(flags === undefined ? {} : { flags });
    const done = await pending;
    if ('error' in done) throw done.error;
    await interaction.editReply({ ...done.body, allowedMentions: { parse: [] } });
    return;
  }
  if ('error' in first) throw first.error;
  await interaction.reply({ ...(first.body as object), ...(flags === undefined ? {} : { flags }), allowedMentions: { parse: [] } });
}

export function ephemeral(content: string) {
  return { content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } } as const;
}
