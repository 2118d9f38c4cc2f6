// DATABASE_URL as postgres.js takes it. postgres.js reads a host and port from the URL but not a Unix-socket
// directory, which libpq (psql, pg_dump) accepts in two forms: `postgres:///ds9?host=/var/run/postgresql` and
// `postgres://user@%2Fvar%2Frun%2Fpostgresql/ds9`. Given either, postgres.js connected to a host named
// "%2Fvar%2Frun%2Fpostgresql" or sent `host` to Postgres as a setting, and the bot could not start. A bot on the
// same machine as Postgres often wants the socket: peer authentication (no password) works only over it.

export interface PostgresConnection {
  /** The URL to give postgres.js: without the socket directory when there is one. */
  url: string;
  /** The socket file (`<directory>/.s.PGSQL.<port>`), for postgres.js's `path` option; absent for TCP. */
  socketPath?: string;
}

export function postgresConnection(url: string): PostgresConnection {
  const parsed = parse(url);
  const directory = parsed && socketDirectory(parsed);
  if (!parsed || directory === undefined) return { url }; // TCP, or not a URL (postgres.js says what is wrong)
  const port = parsed.port || parsed.searchParams.get('port') || '5432';
  parsed.searchParams.delete('host');
  parsed.searchParams.delete('port');
  parsed.hostname = 'localhost'; // unused once postgres.js has a path; keeps it from resolving the directory as a name
  return { url: parsed.toString(), socketPath: `${directory.replace(/\/+$/, '')}/.s.PGSQL.${port}` };
}

/** "db.example.org:5432/ds9" or "/var/run/postgresql:5432/ds9", without user or password. */
export function describeDatabase(url: string): string {
  const parsed = parse(url);
  if (!parsed) return 'DATABASE_URL';
  const port = parsed.port || parsed.searchParams.get('port') || '5432';
  return `${socketDirectory(parsed) ?? parsed.hostname}:${port}${parsed.pathname}`;
}

/**
 * The URL without its password, and the password: for a libpq tool (the benchmarks' pgbench), which then reads it
 * from PGPASSWORD instead of a command line any process can read. The socket forms stay valid for libpq, whose
 * `?host=` wins over the `localhost` that parsing puts in an empty host.
 */
export function splitPassword(url: string): { url: string; password?: string } {
  const parsed = parse(url);
  if (!parsed?.password) return { url };
  const password = safeDecode(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** libpq takes `postgres://user:pw@/ds9?host=/dir` (a user and no host); the URL parser needs a host there. */
function parse(url: string): URL | undefined {
  try {
    return new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/?#@]*@)(?=[/?#]|$)/, '$1localhost'));
  } catch {
    return undefined;
  }
}

function socketDirectory(parsed: URL): string | undefined {
  const fromQuery = parsed.searchParams.get('host');
  if (fromQuery?.startsWith('/')) return fromQuery;
  const host = safeDecode(parsed.hostname);
  return host.startsWith('/') ? host : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Whether DATABASE_URL reads as a Postgres URL (the socket forms included): for the start-up check of the config. */
export function isPostgresUrl(url: string): boolean {
  return parse(url) !== undefined;
}
