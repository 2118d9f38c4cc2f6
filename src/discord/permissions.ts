import type { ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../errors.js';

/** Refuses with a short message naming the permission when the member lacks it. */
export function requireMemberPermission(
  interaction: Pick<ChatInputCommandInteraction, 'memberPermissions'>,
  permission: bigint,
  permissionName: string,
  action: string,
): void {
  if (!interaction.memberPermissions?.has(permission)) {
    throw new UserError(`You need the **${permissionName}** permission to ${action}.`);
  }
}
