// The usual reasons the bot cannot start, as one plain message that says what to check. A message never
// includes a password or the token: the database is named by host, port and database name only.
import { describeDatabase } from './db/postgres-url.js';

/** Start-up failed for a reason the person running the bot can fix; `message` says how. */
export class StartupError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening there',
  ENOTFOUND: 'that host name does not resolve',
  EAI_AGAIN: 'that host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  CONNECT_TIMEOUT: 'the connection timed out',
  ECONNRESET: 'the connection was dropped',
  ENOENT: 'there is no Postgres socket in that directory',
};

// Postgres SQLSTATE codes that a wrong DATABASE_URL produces, with what to check: Postgres answered, so it runs.
const POSTGRES_REASONS: Record<string, { reason: string; check: string }> = {
  '28P01': { reason: 'the password was refused', check: 'Check the user name and password in DATABASE_URL.' },
  '28000': { reason: 'that user may not log in', check: 'Check the user name in DATABASE_URL, or allow it to log in.' },
  '3D000': { reason: 'that database does not exist', check: 'Create it first (createdb), or fix its name at the end of DATABASE_URL.' },
};

/** Opening the database failed: where it was, why, and what to check. */
export function databaseProblem(error: unknown, databaseUrl: string | undefined, pgliteDir: string): string {
  const answered = POSTGRES_REASONS[codeOf(error)];
  const reason = answered?.reason ?? NETWORK_REASONS[codeOf(error)] ?? messageOf(error);
  if (!databaseUrl) return `Cannot open the embedded database in ${pgliteDir}: ${reason}. Check that the folder is writable and not in use by another bot process.`;
  const check = answered?.check ?? 'Check that Postgres is running and that DATABASE_URL is right (or leave it empty to use the embedded database).';
  return `Cannot use the database at ${describeDatabase(databaseUrl)}: ${reason}. ${check}`;
}

/** Logging in to Discord failed: a refused token, or Discord out of reach. */
export function discordProblem(error: unknown, apiUrl: string | undefined): string {
  const code = codeOf(error);
  if (code === 'TokenInvalid' || (error as { status?: unknown } | null)?.status === 401) {
    return 'Discord did not accept DISCORD_TOKEN. Reset the token on the Bot tab of the Developer Portal and put the new one in .env.';
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  const reason = NETWORK_REASONS[code] ?? NETWORK_REASONS[codeOf(cause)] ?? messageOf(error);
  return `Cannot reach Discord (${apiUrl ?? 'discord.com'}): ${reason}. Check the network connection and try again.`;
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code ?? '') : '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
