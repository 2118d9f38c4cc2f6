import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnvironment } from '../../src/config.js';

describe('loadConfig', () => {
  it('GIVEN an empty environment THEN uses the embedded database and defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ discordToken: undefined, databaseUrl: undefined, pgliteDir: './.data/pglite', logLevel: 'info' });
  });

  it('GIVEN full settings THEN parses them into typed values', () => {
    const config = loadConfig({
      DISCORD_TOKEN: 'abc.def.ghi',
      DISCORD_CLIENT_ID: '123456789012345678',
      DEV_GUILD_ID: '223456789012345678',
      DATABASE_URL: 'postgres://u:p@db:5432/ds9',
      LOG_LEVEL: 'debug',
      SHARD_COUNT: '2',
      HEALTH_PORT: '8080',
    });
    expect(config).toMatchObject({ discordToken: 'abc.def.ghi', shardCount: 2, healthPort: 8080, logLevel: 'debug' });
  });

  it('GIVEN empty strings (as in a copied .env.example) THEN treats them as unset', () => {
    expect(loadConfig({ DISCORD_TOKEN: '', DATABASE_URL: '  ', DEV_GUILD_ID: '' })).toMatchObject({
      discordToken: undefined,
      databaseUrl: undefined,
      devGuildId: undefined,
    });
  });

  it('GIVEN several bad values THEN reports one line per variable and never echoes a value', () => {
    const secret = 'mysql://admin:hunter2@db/x';
    let caught: unknown;
    try {
      loadConfig({ DATABASE_URL: secret, LOG_LEVEL: 'loud', DEV_GUILD_ID: 'my-server', SHARD_COUNT: '0', HEALTH_PORT: '99999' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['DATABASE_URL', 'DEV_GUILD_ID', 'HEALTH_PORT', 'LOG_LEVEL', 'SHARD_COUNT']);
    expect((caught as Error).message).not.toContain('hunter2');
    expect((caught as Error).message).toContain('postgres://');
  });

  it.each(['postgres://bob:pw@@:x/', 'postgres://bob:pw@db:99999/ds9', 'postgres://bob:pw@db:port/ds9'])(
    'GIVEN the malformed DATABASE_URL %j THEN one configuration line naming the variable and the expected form, no password',
    (url) => {
      const problems = (() => {
        try {
          loadConfig({ DATABASE_URL: url });
        } catch (error) {
          return (error as ConfigError).problems;
        }
        return [];
      })();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^DATABASE_URL is not a URL Postgres can be reached at: write it as postgres:\/\/user:password@host:5432\/dbname/);
      expect(problems[0]).not.toContain('pw');
    },
  );

  it('GIVEN the Unix-socket forms libpq takes THEN DATABASE_URL is accepted', () => {
    for (const url of ['postgres://user@/dbname?host=/var/run/postgresql', 'postgres://user@%2Fvar%2Frun%2Fpostgresql/dbname']) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it('GIVEN a .env file THEN its variables are read, and a variable set in the environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, '# from .env.example\nDISCORD_CLIENT_ID=123456789012345678\nLOG_LEVEL=debug\nDS9_TEST_ONLY=from-file\n');
      process.env.DS9_TEST_ONLY = 'from-environment';
      const env = readEnvironment(file);
      expect(env.DS9_TEST_ONLY).toBe('from-environment');
      expect(loadConfig(env)).toMatchObject({ discordClientId: '123456789012345678', logLevel: 'debug' });
      expect(readEnvironment(join(dir, 'missing.env')).DISCORD_CLIENT_ID).toBe(process.env.DISCORD_CLIENT_ID);
    } finally {
      delete process.env.DS9_TEST_ONLY;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
