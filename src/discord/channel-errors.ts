import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';

/** Discord answers that mean "the bot cannot use this channel" (as opposed to a hiccup worth retrying). */
const UNUSABLE = new Map<number, string>([
  [RESTJSONErrorCodes.MissingAccess, 'the bot cannot see that channel (missing View Channel)'],
  [RESTJSONErrorCodes.MissingPermissions, 'the bot is missing a permission in that channel'],
  [RESTJSONErrorCodes.UnknownChannel, 'the channel was deleted'],
]);

export function channelUnusableReason(error: unknown): string | null {
  if (error instanceof DiscordAPIError && typeof error.code === 'number') return UNUSABLE.get(error.code) ?? null;
  return null;
}
