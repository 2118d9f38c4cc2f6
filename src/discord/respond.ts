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
 * Awaits `work`; if it has not settled after 1.5 s (a slow or unreachable database), calls `defer` first so
 * the interaction never shows "This interaction failed". Returns the work's value (or throws its error) and
 * whether it deferred, so the caller knows whether to reply or edit.
 */
export async function deferIfSlow<T>(work: Promise<T>, defer: () => Promise<unknown>): Promise<{ value: T; deferred: boolean }> {
  const pending = work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), DEFER_AFTER_MS);
  });
  const first = await Promise.race([pending, slow]);
  clearTimeout(timer);
  const deferred = first === 'slow';
  if (deferred) await defer();
  const done = deferred ? await pending : first;
  if ('error' in done) throw done.error;
  return { value: done.value, deferred };
}

/** Runs `work` and replies with its result, deferring first when it is slow. Mentions in the reply are never parsed. */
export async function replyPromptly(interaction: Repliable, work: () => Promise<ReplyBody>, options: { ephemeral: boolean }): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  const { value: body, deferred } = await deferIfSlow(work(), () => interaction.deferReply(flags === undefined ? {} : { flags }));
  if (deferred) await interaction.editReply({ ...body, allowedMentions: { parse: [] } });
  else await interaction.reply({ ...(body as object), ...(flags === undefined ? {} : { flags }), allowedMentions: { parse: [] } });
}

export function ephemeral(content: string) {
  return { content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } } as const;
}
