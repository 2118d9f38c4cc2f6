// `npm start`: runs the bot until SIGTERM/SIGINT.
import { startBot } from './bot.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { ContentError } from './content/index.js';
import { createLogger } from './logger.js';
import { StartupError } from './startup-problem.js';

const NO_TOKEN = [
  'DISCORD_TOKEN is not set, so the bot cannot log in to Discord.',
  '  - To run it for real: copy .env.example to .env, fill in DISCORD_TOKEN and DISCORD_CLIENT_ID, then `npm start`.',
  '  - To try it without Discord or a token: `npm run playground`.',
].join('\n');

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  if (!config.discordToken) return fail(NO_TOKEN);

  const logger = createLogger(config.logLevel);
  let bot: Awaited<ReturnType<typeof startBot>>;
  try {
    bot = await startBot({ config, logger });
  } catch (error) {
    if (error instanceof ContentError) return fail(`The bot's content files have problems:\n${error.message}`);
    if (error instanceof StartupError) return fail(error.message);
    logger.fatal({ err: error instanceof Error ? { message: error.message, name: error.name } : String(error) }, 'start-up failed');
    process.exitCode = 1;
    return;
  }

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function fail(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}

await main();
