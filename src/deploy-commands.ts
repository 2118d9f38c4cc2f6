// `npm run deploy-commands`: registers the slash commands, for DEV_GUILD_ID when set (instant), else globally.
import { REST, Routes } from 'discord.js';
import { commands } from '../commands/index.js';
import { ConfigError, loadConfig } from './config.js';

async function deploy(): Promise<void> {
  const config = loadConfig();
  if (!config.discordToken || !config.discordClientId) {
    throw new ConfigError(['DISCORD_TOKEN and DISCORD_CLIENT_ID must both be set to register commands (see .env.example)']);
  }
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken);
  const body = commands.map((command) => command.data.toJSON());
  const route = config.devGuildId
    ? Routes.applicationGuildCommands(config.discordClientId, config.devGuildId)
    : Routes.applicationCommands(config.discordClientId);
  await rest.put(route, { body });
  const where = config.devGuildId ? `server ${config.devGuildId}` : 'every server (global commands can take up to an hour to appear)';
  process.stdout.write(`Registered ${body.length} commands for ${where}: ${body.map((c) => `/${c.name}`).join(', ')}\n`);
}

deploy().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `Could not register the commands: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
