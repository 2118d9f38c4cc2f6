// `npm run deploy-commands`: registers the slash commands, for DEV_GUILD_ID when set (instant), else globally.
import { ConfigError, loadConfig } from './config.js';
import { registerCommands } from './register-commands.js';

async function deploy(): Promise<void> {
  const config = loadConfig();
  if (!config.discordToken || !config.discordClientId) {
    throw new ConfigError(['DISCORD_TOKEN and DISCORD_CLIENT_ID must both be set to register commands (see .env.example)']);
  }
  const names = await registerCommands({
    token: config.discordToken,
    applicationId: config.discordClientId,
    guildId: config.devGuildId,
    apiUrl: config.discordApiUrl,
  });
  const where = config.devGuildId ? `server ${config.devGuildId}` : 'every server (global commands can take up to an hour to appear)';
  process.stdout.write(`Registered ${names.length} commands for ${where}: ${names.map((n) => `/${n}`).join(', ')}\n`);
}

deploy().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `Could not register the commands: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
