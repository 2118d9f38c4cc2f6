// A statement the bot sent, timed again from pgbench (Postgres's own C client, one connection, prepared): the
// statement's latency without Node's event loop, garbage collector and scheduling around it (bench/README.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { splitPassword } from '../src/db/postgres-url.js';
import { summarize, type LatencySummary } from './stats.js';

/** Calls run first and left out of the figures: a fresh connection plans and caches the statement first. */
const WARM_UP = 20;

export interface VaryingParam {
  /** the parameter's value in the captured call; every parameter with it is replaced */
  value: string;
  /** a pgbench expression for each call's value, e.g. `100000000000000000 + random(1, 1000000)` */
  expression: string;
}

/**
 * A pgbench script that runs the captured statements (one call's) with their parameters, except that every
 * parameter equal to `varying.value` gets a fresh value per call (as text). Other parameters become literals.
 */
export function pgbenchScript(statements: readonly { query: string; params: readonly unknown[] }[], varying: VaryingParam): string {
  return `\\set v ${varying.expression}\n${statements.map(({ query, params }) => `${asLiteralStatement(query, params, varying)};\n`).join('')}`;
}

function asLiteralStatement(query: string, params: readonly unknown[], varying: VaryingParam): string {
  // pgbench reads one statement per line; comments go before the literals go in
  const sqlText = query.replace(/--[^\n]*/g, '').replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === varying.value) return ':v::text';
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
    throw new Error(`pgbenchScript: parameter $${n} is ${typeof value}; only text and numbers are supported`);
  });
  return sqlText.replace(/\s+/g, ' ').trim();
}

/** Runs `script` `calls` times (after a warm-up) on one prepared connection; undefined when pgbench is not installed. */
export async function timeWithPgbench(databaseUrl: string, script: string, calls: number): Promise<LatencySummary | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'ds9-pgbench-'));
  try {
    const scriptFile = join(dir, 'script.sql');
    writeFileSync(scriptFile, script);
    try {
      // the password in PGPASSWORD, not on a command line any process can read
      const { url, password } = splitPassword(databaseUrl);
      await promisify(execFile)('pgbench', ['-n', '-M', 'prepared', '-c', '1', '-t', String(calls + WARM_UP), '-f', scriptFile, '-l', `--log-prefix=${join(dir, 'log')}`, url], {
        env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    // Each log line: client_id transaction_no latency_us script_no epoch epoch_us
    const latenciesMs = readdirSync(dir)
      .filter((name) => name.startsWith('log'))
      .flatMap((name) => readFileSync(join(dir, name), 'utf8').trim().split('\n'))
      .map((line) => line.split(' ').map(Number))
      .sort((a, b) => a[1]! - b[1]!)
      .slice(WARM_UP)
      .map((fields) => fields[2]! / 1000);
    return summarize(latenciesMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

