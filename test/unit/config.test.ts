import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseShardIds, readEnvironment, restApiUrl } from '../../src/config.js';

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

/** The configuration lines loadConfig reports for `env` (none when it is valid). */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('SHARD_IDS with SHARD_COUNT (shard ranges per host)', () => {
  it.each([
    ['0-3', [0, 1, 2, 3]],
    ['0,2,4', [0, 2, 4]],
    [' 6-7, 0 ,3 ', [0, 3, 6, 7]],
    ['5', [5]],
    ['2 - 3', [2, 3]],
  ])('GIVEN SHARD_IDS=%j of 8 THEN this host runs shards %j', (ids, expected) => {
    expect(loadConfig({ SHARD_IDS: ids, SHARD_COUNT: '8' })).toMatchObject({ shardIds: expected, shardCount: 8 });
  });

  it('GIVEN no SHARD_IDS THEN every shard runs here, as before', () => {
    expect(loadConfig({ SHARD_COUNT: '4' })).toMatchObject({ shardIds: undefined, shardCount: 4 });
    expect(loadConfig({ SHARD_IDS: ' ' })).toMatchObject({ shardIds: undefined });
  });

  it.each([
    [{ SHARD_IDS: '0-3' }, /^SHARD_IDS needs SHARD_COUNT, the number of shards across every host \(for example SHARD_COUNT=8 with SHARD_IDS=0-3 on one host and 4-7 on the other\)$/],
    [{ SHARD_IDS: '2-5', SHARD_COUNT: '4' }, /^SHARD_IDS must stay below SHARD_COUNT \(shards are numbered 0 to 3\), but lists shards 4, 5$/],
    [{ SHARD_IDS: '4', SHARD_COUNT: '4' }, /^SHARD_IDS must stay below SHARD_COUNT \(shards are numbered 0 to 3\), but lists shard 4$/],
    [{ SHARD_IDS: '0-20', SHARD_COUNT: '8' }, /but lists shards 8, 9, 10, 11, 12 and 8 more$/],
    [{ SHARD_IDS: '0-3,2', SHARD_COUNT: '8' }, /^SHARD_IDS lists shard 2 more than once: each shard runs in exactly one place$/],
    [{ SHARD_IDS: '1,1', SHARD_COUNT: '8' }, /^SHARD_IDS lists shard 1 more than once/],
    [{ SHARD_IDS: '3-1', SHARD_COUNT: '8' }, /^SHARD_IDS has the range 3-1 backwards: write it from low to high \(1-3\)$/],
    [{ SHARD_IDS: '0..3', SHARD_COUNT: '8' }, /^SHARD_IDS must list shard ids and ranges separated by commas, such as 0-3 or 0,2,4$/],
    [{ SHARD_IDS: '1,,2', SHARD_COUNT: '8' }, /^SHARD_IDS must list shard ids and ranges/],
    [{ SHARD_IDS: '-1', SHARD_COUNT: '8' }, /^SHARD_IDS must list shard ids and ranges/],
    [{ SHARD_IDS: 'all', SHARD_COUNT: '8' }, /^SHARD_IDS must list shard ids and ranges/],
    [{ SHARD_IDS: '0-99999999999', SHARD_COUNT: '8' }, /^SHARD_IDS lists more than 1024 shards/],
  ])('GIVEN %j THEN one line says what is wrong and how to write it', (env, line) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(line);
  });

  it('GIVEN a bad SHARD_IDS and other bad variables THEN every problem is listed at once, one line each', () => {
    const problems = problemsOf({ SHARD_IDS: '0-9', SHARD_COUNT: '4', LOG_LEVEL: 'loud', HEALTH_PORT: 'x' });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['HEALTH_PORT', 'LOG_LEVEL', 'SHARD_IDS']);
    // A SHARD_COUNT that is itself wrong is reported as such, not compared with SHARD_IDS.
    expect(problemsOf({ SHARD_IDS: '0-3', SHARD_COUNT: '0' })).toEqual(['SHARD_COUNT must be a whole number of shards, 1 or more']);
  });

  it('GIVEN a process the ShardingManager started (SHARDING_MANAGER set) THEN SHARD_IDS is the manager\'s range, not this process\'s', () => {
    expect(loadConfig({ SHARD_IDS: '2,3', SHARD_COUNT: '4', SHARDING_MANAGER: 'true' })).toMatchObject({ shardIds: undefined, shardCount: 4 });
    // ...still checked, so a bad range stops every process alike.
    expect(problemsOf({ SHARD_IDS: '2,9', SHARD_COUNT: '4', SHARDING_MANAGER: 'true' })).toHaveLength(1);
  });

  it('THEN parseShardIds gives a sorted list, or the problem', () => {
    expect(parseShardIds('4,0-1')).toEqual([0, 1, 4]);
    expect(parseShardIds('x')).toMatch(/^must list shard ids/);
  });
});

describe('DISCORD_REST_PROXY_URL and REST_PROXY_PORT (one REST proxy for every process)', () => {
  it('GIVEN the proxy\'s URL THEN REST goes there, not to DISCORD_API_URL', () => {
    const config = loadConfig({ DISCORD_REST_PROXY_URL: 'http://rest-proxy:8080/api', DISCORD_API_URL: 'http://127.0.0.1:3000/api' });
    expect(config.restProxyUrl).toBe('http://rest-proxy:8080/api');
    expect(restApiUrl(config)).toBe('http://rest-proxy:8080/api');
    expect(restApiUrl(loadConfig({ DISCORD_API_URL: 'http://127.0.0.1:3000/api' }))).toBe('http://127.0.0.1:3000/api');
    expect(restApiUrl(loadConfig({}))).toBeUndefined();
  });

  it.each(['http://rest-proxy:8080', 'rest-proxy:8080/api', 'ftp://rest-proxy/api', 'http://rest-proxy:8080/api/v10', 'http:///api'])(
    'GIVEN DISCORD_REST_PROXY_URL=%j THEN one line asks for the http(s) URL ending in /api',
    (url) => {
      expect(problemsOf({ DISCORD_REST_PROXY_URL: url })).toEqual([
        'DISCORD_REST_PROXY_URL must be the REST proxy\'s http(s) URL ending in /api, such as http://rest-proxy:8080/api (or empty to call Discord directly)',
      ]);
    },
  );

  it('THEN the proxy listens on 8080 unless REST_PROXY_PORT says otherwise, and a bad port is one line', () => {
    expect(loadConfig({}).restProxyPort).toBe(8080);
    expect(loadConfig({ REST_PROXY_PORT: '9000' }).restProxyPort).toBe(9000);
    expect(problemsOf({ REST_PROXY_PORT: '70000' })).toEqual([expect.stringMatching(/^REST_PROXY_PORT must be a TCP port number/)]);
  });
});
