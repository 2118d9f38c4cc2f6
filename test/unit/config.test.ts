import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

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
});
