import { REST, Routes } from 'discord.js';
import { commands } from '../commands/index.js';

/** Registers every slash command: in one server when `guildId` is given (instant), else globally. */
export async function registerCommands(input: { token: string; applicationId: string; guildId?: string; apiUrl?: string }): Promise<string[]> {
  const rest = new REST(input.apiUrl ? { api: input.apiUrl } : {}).setToken(input.token);
  const body = commands.map((command) => command.data.toJSON());
  const route = input.guildId ? Routes.applicationGuildCommands(input.applicationId, input.guildId) : Routes.applicationCommands(input.applicationId);
  await rest.put(route, { body });
  return body.map((c) => c.name);
}
