import { NOT_IN_SERVER } from '../../src/discord/trivia-render.js';
import { UserError } from '../../src/errors.js';

export function requireGuild(guildId: string | null): string {
  if (!guildId) throw new UserError(NOT_IN_SERVER);
  return guildId;
}
