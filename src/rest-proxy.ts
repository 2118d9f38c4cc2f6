// `npm run rest-proxy`: the REST proxy every bot process sends through when DISCORD_REST_PROXY_URL points here
// (several hosts, or several shard processes, of one bot). Runs until SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startRestProxy } from './rest-proxy-server.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.discordToken) throw new ConfigError(['DISCORD_TOKEN must be set: the proxy forwards only this bot\'s requests']);
  if (config.restProxyUrl) {
    throw new ConfigError(['DISCORD_REST_PROXY_URL is for the bot processes: leave it empty for the proxy itself, which calls Discord (or DISCORD_API_URL)']);
  }
  const logger = createLogger(config.logLevel);
  const proxy = await startRestProxy({ token: config.discordToken, upstreamApiUrl: config.discordApiUrl, port: config.restProxyPort, logger });
  logger.info({ port: proxy.port, upstream: config.discordApiUrl ?? 'https://discord.com/api' }, 'REST proxy listening');

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'REST proxy stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void proxy.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : (error as { code?: unknown } | null)?.code === 'EADDRINUSE'
        ? 'Could not start the REST proxy: REST_PROXY_PORT is already in use; pick another port (and the same one in DISCORD_REST_PROXY_URL).'
        : `Could not start the REST proxy: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
