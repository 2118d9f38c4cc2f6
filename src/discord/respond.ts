import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
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

/**
 * Runs `work` and replies with its result, deferring first when it is slow. Mentions in the reply are never parsed.
 * With `withResponse` it resolves to the reply's message id, from Discord's answer to the reply itself
 * (`with_response`, or the edited message after a deferral) rather than a second request; null if Discord
 * did not say. Without it, to undefined.
 */
export async function replyPromptly(interaction: Repliable, work: () => Promise<ReplyBody>, options: { ephemeral: boolean; withResponse: true }): Promise<string | null>;
export async function replyPromptly(interaction: Repliable, work: () => Promise<ReplyBody>, options: { ephemeral: boolean; withResponse?: false }): Promise<void>;
export async function replyPromptly(
  interaction: Repliable,
  work: () => Promise<ReplyBody>,
  options: { ephemeral: boolean; withResponse?: boolean },
): Promise<string | null | void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  const { value: body, deferred } = await deferIfSlow(work(), () => interaction.deferReply(flags === undefined ? {} : { flags }));
  if (deferred) {
    const edited = await interaction.editReply({ ...body, allowedMentions: { parse: [] } });
    return options.withResponse ? edited.id : undefined;
  }
  const reply: InteractionReplyOptions = { ...(body as object), ...(flags === undefined ? {} : { flags }), allowedMentions: { parse: [] } };
  if (!options.withResponse) return void (await interaction.reply(reply));
  const response = await interaction.reply({ ...reply, withResponse: true });
  return response.resource?.message?.id ?? response.interaction.responseMessageId;
}

export function ephemeral(content: string) {
  return { content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } } as const;
}
