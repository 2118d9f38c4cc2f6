import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { createScratchDatabase, postgresEngine } from '../helpers/databases.js';

describe('GIVEN a PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ds9-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('THEN data survives a restart and no migration is applied twice', async () => {
    const first = await openDatabase({ kind: 'pglite', dir });
    await new GuildSettingsRepository(first.db).update('111111111111111111', { timeZone: 'Europe/Berlin' }, new Date());
    await first.close();
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);

    const second = await openDatabase({ kind: 'pglite', dir });
    const settings = await new GuildSettingsRepository(second.db).get('111111111111111111');
    expect(settings.timeZone).toBe('Europe/Berlin');
    const applied = await second.db.execute<{ n: number }>(
      // Raw SQL only to read drizzle's own bookkeeping table.
      'select count(*)::int as n from drizzle.__drizzle_migrations' as never,
    );
    expect(Number(applied[0]?.n)).toBeGreaterThan(0);
    await second.close();
  });
});

describe.runIf(postgresEngine)('GIVEN real Postgres', () => {
  it('THEN two bot processes starting at once migrate once and both work', async () => {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    try {
      const [a, b] = await Promise.all([
        openDatabase({ kind: 'postgres', url: scratch.url }),
        openDatabase({ kind: 'postgres', url: scratch.url }),
      ]);
      await new GuildSettingsRepository(a.db).update('222222222222222222', { secondsPerQuestion: 30 }, new Date());
      expect((await new GuildSettingsRepository(b.db).get('222222222222222222')).secondsPerQuestion).toBe(30);
      await a.close();
      await b.close();
      const again = await openDatabase({ kind: 'postgres', url: scratch.url });
      expect((await new GuildSettingsRepository(again.db).get('222222222222222222')).secondsPerQuestion).toBe(30);
      await again.close();
    } finally {
      await scratch.drop();
    }
  });
});
