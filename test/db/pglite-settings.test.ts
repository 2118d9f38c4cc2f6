// The Postgres settings the embedded database runs with, as the bot opens it (a directory, on the database thread):
// a shared_buffers sized for the bot rather than Postgres's 128 MB, which PGlite holds resident in the bot's own
// process (src/db/pglite-worker.ts), and every other server setting left as PGlite starts it (its durability among them).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type Database } from '../../src/db/client.js';

let dir: string;
let database: Database;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ds9-pglite-settings-'));
  database = await openDatabase({ kind: 'pglite', dir });
}, 60_000);
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The server's settings, without those a client sets for its own session (postgres.js and PGlite's own client set different ones). */
async function serverSettings(query: (text: string) => Promise<{ name: string; setting: string }[]>): Promise<Map<string, string>> {
  const rows = await query(`select name, setting from pg_settings where source <> 'client' and name not in ('data_directory', 'config_file', 'hba_file', 'ident_file') order by name`);
  return new Map(rows.map((r) => [r.name, r.setting]));
}

describe('the embedded database`s Postgres settings', () => {
  it('GIVEN the bot opens a PGlite directory THEN shared_buffers is 16 MB and the shared memory 24 MB in all (145 MB with the defaults)', async () => {
    const sql = database.db.$client;
    const [row] = await sql<{ shared_buffers: string; wal_buffers: string; shared_memory_size: string }[]>`select
      current_setting('shared_buffers') as shared_buffers, current_setting('wal_buffers') as wal_buffers, current_setting('shared_memory_size') as shared_memory_size`;
    expect(row).toEqual({ shared_buffers: '16MB', wal_buffers: '512kB', shared_memory_size: '24MB' });
  });

  it('GIVEN the same directory opened again (no initdb) THEN the setting holds: it is a start parameter, not written into the directory', async () => {
    await database.close();
    database = await openDatabase({ kind: 'pglite', dir });
    const [row] = await database.db.$client<{ shared_buffers: string }[]>`show shared_buffers`;
    expect(row!.shared_buffers).toBe('16MB');
  }, 60_000);

  it('GIVEN PGlite started with its own defaults THEN every other server setting is the same (fsync, search_path, no worker processes...)', async () => {
    const plain = new PGlite();
    try {
      const defaults = await serverSettings(async (text) => (await plain.query<{ name: string; setting: string }>(text)).rows);
      const ours = await serverSettings((text) => database.db.$client.unsafe(text) as Promise<{ name: string; setting: string }[]>);
      const differing = [...ours].filter(([name, setting]) => defaults.get(name) !== setting).map(([name]) => name);
      // Postgres sizes these from shared_buffers when they are left at their default (auto), as they are here.
      const derived = ['commit_timestamp_buffers', 'io_max_concurrency', 'shared_memory_size', 'shared_memory_size_in_huge_pages', 'subtransaction_buffers', 'transaction_buffers', 'wal_buffers'];
      expect(differing.sort()).toEqual(['shared_buffers', ...derived].sort());
      expect([...defaults.keys()].sort()).toEqual([...ours.keys()].sort());
      expect(ours.get('fsync')).toBe(defaults.get('fsync'));
    } finally {
      await plain.close();
    }
  }, 60_000);
});
