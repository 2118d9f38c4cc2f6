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
  if (!parsed.success) {
    // Messages name the variable and what is expected; the received value is never included (it may be a secret).
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    discordToken: e.DISCORD_TOKEN,
    discordClientId: e.DISCORD_CLIENT_ID,
    devGuildId: e.DEV_GUILD_ID,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: e.PGLITE_DIR,
    logLevel: e.LOG_LEVEL,
    discordApiUrl: e.DISCORD_API_URL,
    shardCount: e.SHARD_COUNT === undefined ? undefined : Number(e.SHARD_COUNT),
    healthPort: e.HEALTH_PORT === undefined ? undefined : Number(e.HEALTH_PORT),
  };
}
