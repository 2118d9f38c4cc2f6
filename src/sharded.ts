// `npm run start:sharded`: runs the bot as several shard processes under discord.js's ShardingManager: every
// shard, or this host's range (SHARD_IDS of SHARD_COUNT) when several hosts share the bot's shards.
// Every process shares one Postgres; the database settles races between them.
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { ConfigError, loadConfig, restApiUrl } from './config.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.discordToken) throw new ConfigError(['DISCORD_TOKEN must be set to run the bot (or try `npm run playground`)']);
  if (!config.databaseUrl) {
    throw new ConfigError(['DATABASE_URL must point at Postgres to run several shard processes: the embedded PGlite database belongs to one process']);
  }
  const logger = createLogger(config.logLevel);
  const totalShards = config.shardCount ?? (await recommendedShardCount(config.discordToken, restApiUrl(config)));
  const entry = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './index.ts' : './index.js', import.meta.url));
  const manager = new ShardingManager(entry, {
    token: config.discordToken,
    totalShards,
    shardList: config.shardIds ?? 'auto',
    respawn: true,
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
  });
  manager.on('shardCreate', (shard) => logger.info({ shardId: shard.id, totalShards }, 'shard launched'));
  await manager.spawn({ timeout: 60_000 });

  const shutdown = () => {
    for (const shard of manager.shards.values()) shard.kill();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** Discord's recommendation from GET /gateway/bot (works against the local stand-in too). */
async function recommendedShardCount(token: string, apiUrl: string | undefined): Promise<number> {
  const rest = new REST(apiUrl ? { api: apiUrl } : {}).setToken(token);
  const gateway = (await rest.get(Routes.gatewayBot())) as { shards: number };
  return Math.max(1, gateway.shards);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not start the shards: ${error instanceof Error ? error.message : String(error)}`}\n`);
  process.exitCode = 1;
});
