// The only reader of process.env (and of .env). Everything else receives a typed Config.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { isPostgresUrl } from './db/postgres-url.js';

const SNOWFLAKE = /^\d{17,20}$/;
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_CLIENT_ID: optionalText.refine((v) => v === undefined || SNOWFLAKE.test(v), {
    message: 'must be the numeric application id (17-20 digits) from the Developer Portal',
  }),
  DEV_GUILD_ID: optionalText.refine((v) => v === undefined || SNOWFLAKE.test(v), {
    message: 'must be a numeric server id (17-20 digits), or left empty to deploy commands globally',
  }),
  DATABASE_URL: optionalText
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'must start with postgres:// or postgresql://, or be left empty to use the embedded PGlite database',
      abort: true,
    })
    .refine((v) => v === undefined || isPostgresUrl(v), {
      message:
        'is not a URL Postgres can be reached at: write it as postgres://user:password@host:5432/dbname ' +
        '(a port from 1 to 65535; %-encode @, : and / inside the password)',
    }),
  PGLITE_DIR: z.string().trim().min(1).default('./.data/pglite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }).default('info'),
  DISCORD_API_URL: optionalText.refine((v) => v === undefined || /^https?:\/\//.test(v), {
    message: 'must be an http(s) URL such as http://127.0.0.1:3000/api (only for the local stand-in)',
  }),
  SHARD_COUNT: optionalText.refine((v) => v === undefined || /^[1-9]\d*$/.test(v), {
    message: 'must be a whole number of shards, 1 or more',
  }),
  SHARD_IDS: optionalText.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const ids = parseShardIds(v);
    if (typeof ids === 'string') {
      ctx.addIssue({ code: 'custom', message: ids });
      return z.NEVER;
    }
    return ids;
  }),
  DISCORD_REST_PROXY_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/[^/?#]+(\/[^?#]*)?\/api$/.test(v), {
    message: 'must be the REST proxy\'s http(s) URL ending in /api, such as http://rest-proxy:8080/api (or empty to call Discord directly)',
  }),
  REST_PROXY_PORT: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) < 65536), {
    message: 'must be a TCP port number (0-65535) for `npm run rest-proxy` to listen on, or empty for 8080',
  }),
  HEALTH_PORT: optionalText.refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) < 65536), {
    message: 'must be a TCP port number (0-65535), or empty to turn the health endpoint off',
  }),
});

export interface Config {
  discordToken: string | undefined;
  discordClientId: string | undefined;
  devGuildId: string | undefined;
  databaseUrl: string | undefined;
  pgliteDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  discordApiUrl: string | undefined;
  shardCount: number | undefined;
  /**
   * The shards this process (or this host's ShardingManager) runs, from SHARD_IDS; undefined runs every shard.
   * A process the ShardingManager started is handed its own shard by discord.js instead, so it has none here.
   */
  shardIds: number[] | undefined;
  /** Where REST goes when every process shares one `npm run rest-proxy`; undefined calls Discord (or DISCORD_API_URL). */
  restProxyUrl: string | undefined;
  /** The port `npm run rest-proxy` listens on. */
  restProxyPort: number;
  healthPort: number | undefined;
}

/** Raised when the environment is invalid: one line per problem, never echoing a value. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The process environment over the variables in `envFile` when it exists (a variable set in the environment wins). */
export function readEnvironment(envFile = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = schema.safeParse(env);
  // Messages name the variable and what is expected; the received value is never included (it may be a secret).
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  // SHARD_IDS against SHARD_COUNT, whenever both are readable on their own (so every problem is listed at once).
  const ids = schema.shape.SHARD_IDS.safeParse(env['SHARD_IDS']);
  const count = schema.shape.SHARD_COUNT.safeParse(env['SHARD_COUNT']);
  if (ids.success && count.success) problems.push(...shardRangeProblems(ids.data, count.data === undefined ? undefined : Number(count.data)));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  // discord.js's ShardingManager marks the processes it starts; SHARD_IDS (inherited from it) is the manager's range.
  const managedShard = env['SHARDING_MANAGER'] !== undefined;
  return {
    discordToken: e.DISCORD_TOKEN,
    discordClientId: e.DISCORD_CLIENT_ID,
    devGuildId: e.DEV_GUILD_ID,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR,
    logLevel: e.LOG_LEVEL,
    discordApiUrl: e.DISCORD_API_URL,
    shardCount: e.SHARD_COUNT === undefined ? undefined : Number(e.SHARD_COUNT),
    shardIds: managedShard ? undefined : e.SHARD_IDS,
    restProxyUrl: e.DISCORD_REST_PROXY_URL,
    restProxyPort: e.REST_PROXY_PORT === undefined ? 8080 : Number(e.REST_PROXY_PORT),
    healthPort: e.HEALTH_PORT === undefined ? undefined : Number(e.HEALTH_PORT),
  };
}

/** Where this process sends REST requests: the shared proxy when there is one, else Discord (or the stand-in). */
export function restApiUrl(config: Pick<Config, 'restProxyUrl' | 'discordApiUrl'>): string | undefined {
  return config.restProxyUrl ?? config.discordApiUrl;
}

/**
 * SHARD_IDS as a sorted list: shard ids and ranges separated by commas ("0-3", "0,2,4", "0-1, 6"), or the
 * problem with it as a configuration line.
 */
export function parseShardIds(text: string): number[] | string {
  const ids: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!match) return 'must list shard ids and ranges separated by commas, such as 0-3 or 0,2,4';
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return `has the range ${from}-${to} backwards: write it from low to high (${to}-${from})`;
    // Bounded before expanding: a range past the largest shard count anyone runs is a typo, not a plan.
    if (to - from >= MAX_SHARDS_PER_HOST) return `lists more than ${MAX_SHARDS_PER_HOST} shards: one host runs a range of them, not all of a bot's shards`;
    for (let id = from; id <= to; id++) ids.push(id);
  }
  const sorted = [...ids].sort((a, b) => a - b);
  const repeated = sorted.find((id, i) => i > 0 && sorted[i - 1] === id);
  if (repeated !== undefined) return `lists shard ${repeated} more than once: each shard runs in exactly one place`;
  if (sorted.length > MAX_SHARDS_PER_HOST) return `lists more than ${MAX_SHARDS_PER_HOST} shards: one host runs a range of them, not all of a bot's shards`;
  return sorted;
}

/** More shards than one host could hold connections for (each is a gateway connection and its share of servers). */
const MAX_SHARDS_PER_HOST = 1024;

/** SHARD_IDS needs SHARD_COUNT, and every id must be one of its shards (0 to SHARD_COUNT - 1). */
function shardRangeProblems(ids: number[] | undefined, count: number | undefined): string[] {
  if (ids === undefined) return [];
  if (count === undefined) {
    return ['SHARD_IDS needs SHARD_COUNT, the number of shards across every host (for example SHARD_COUNT=8 with SHARD_IDS=0-3 on one host and 4-7 on the other)'];
  }
  const outside = ids.filter((id) => id >= count);
  if (outside.length === 0) return [];
  return [`SHARD_IDS must stay below SHARD_COUNT (shards are numbered 0 to ${count - 1}), but lists ${outside.length === 1 ? 'shard' : 'shards'} ${formatIds(outside)}`];
}

function formatIds(ids: number[]): string {
  const shown = ids.slice(0, 5).join(', ');
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}
