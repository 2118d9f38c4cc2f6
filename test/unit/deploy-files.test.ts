// No Docker engine runs here, so these files are checked for what the README promises.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, parseShardIds } from '../../src/config.js';
import { findProjectRoot } from '../../src/content/index.js';

const root = findProjectRoot();
const read = (file: string) => readFileSync(`${root}/${file}`, 'utf8');

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('THEN it builds in one stage and runs compiled JavaScript on Node 22 as a non-root user', () => {
    expect(dockerfile.match(/^FROM node:22[^\s]* AS \w+/gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    // The image runs exactly what `npm run start:prod` runs, V8 memory flags included.
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(cmd.at(-1)).toBe('dist/src/index.js');
    expect(cmd.join(' ')).toBe(pkg.scripts['start:prod']);
  });
  it('THEN the image carries the content and the migrations the bot reads at start-up', () => {
    expect(dockerfile).toMatch(/^COPY data \.\/data$/m);
    expect(dockerfile).toMatch(/^COPY migrations \.\/migrations$/m);
  });
  it('THEN the image holds every entry point the compose file runs (compiled from src/) and the proxy\'s package', () => {
    expect((JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include).toContain('src');
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, { command?: string[] }> };
    const entries = Object.values(compose.services).flatMap((s) => (s.command ?? []).filter((arg) => arg.startsWith('dist/')));
    expect(entries).toContain('dist/src/rest-proxy.js');
    for (const entry of entries) expect(readdirSync(`${root}/src`)).toContain(entry.replace(/^dist\/src\//, '').replace(/\.js$/, '.ts'));
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['@discordjs/proxy', '@discordjs/rest']));
  });
  it('THEN the Discord stand-in is neither built nor copied: the build compiles src/ and commands/, and neither imports stand-in/', () => {
    expect((JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include).toEqual(['src', 'commands']);
    expect(dockerfile).not.toContain('stand-in');
    const sources = ['src', 'commands'].flatMap((dir) => readdirSync(`${root}/${dir}`, { recursive: true, encoding: 'utf8' }).map((file) => `${dir}/${file}`));
    expect(sources.filter((file) => file.endsWith('.ts') && /['"](\.\.\/)+stand-in\//.test(read(file)))).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as {
    services: Record<string, { image?: string; build?: string; profiles?: string[]; command?: string[]; depends_on?: Record<string, { condition: string }>; healthcheck?: { test: string[] }; environment?: Record<string, string>; volumes?: string[] }>;
    volumes: Record<string, unknown>;
  };
  it('THEN Postgres 16 keeps its data in a volume and has a health check the bot waits for', () => {
    const pg = compose.services['postgres']!;
    expect(pg.image).toBe('postgres:16');
    expect(pg.volumes?.[0]).toMatch(/^pgdata:/);
    expect(pg.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(compose.services['bot']?.depends_on?.['postgres']?.condition).toBe('service_healthy');
    expect(Object.keys(compose.volumes)).toContain('pgdata');
  });
  it('THEN the bot uses Postgres and the health endpoint its health check calls', () => {
    const bot = compose.services['bot']!;
    expect(bot.environment?.['DATABASE_URL']).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    const port = bot.environment?.['HEALTH_PORT'];
    expect(bot.healthcheck?.test.join(' ')).toContain(`:${port}/healthz`);
  });
  it('THEN the scale profile runs the REST proxy and two bots with shard ranges that cover SHARD_COUNT once, through the proxy, on the one Postgres', () => {
    const inProfile = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('scale'));
    const proxy = compose.services['rest-proxy']!;
    const bots = inProfile.filter(([name]) => name !== 'rest-proxy').map(([, service]) => service);
    expect(inProfile.map(([name]) => name)).toContain('rest-proxy');
    expect(bots).toHaveLength(2);
    // The proxy: the compiled `npm run rest-proxy`, never itself pointed at a proxy, with the health check it serves.
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['rest-proxy']).toBe('tsx src/rest-proxy.ts');
    expect(proxy.command).toEqual(['node', 'dist/src/rest-proxy.js']);
    expect(proxy.environment?.['DISCORD_REST_PROXY_URL']).toBe('');
    const proxyPort = proxy.environment?.['REST_PROXY_PORT'];
    expect(proxy.healthcheck?.test.join(' ')).toContain(`:${proxyPort}/healthz`);
    // The bots: each a range of the same SHARD_COUNT, together every shard exactly once.
    const count = new Set(bots.map((b) => b.environment?.['SHARD_COUNT']));
    expect(count.size).toBe(1);
    const shardCount = Number([...count][0]);
    const ranges = bots.map((b) => parseShardIds(b.environment?.['SHARD_IDS'] ?? ''));
    for (const range of ranges) expect(Array.isArray(range), String(range)).toBe(true);
    expect((ranges as number[][]).flat().sort((a, b) => a - b)).toEqual([...Array(shardCount).keys()]);
    for (const bot of bots) {
      expect(loadConfig({ ...bot.environment, DISCORD_TOKEN: 'x' })).toMatchObject({ restProxyUrl: `http://rest-proxy:${proxyPort}/api`, databaseUrl: compose.services['bot']!.environment!['DATABASE_URL'] });
      expect(bot.depends_on?.['rest-proxy']?.condition).toBe('service_healthy');
      expect(bot.depends_on?.['postgres']?.condition).toBe('service_healthy');
      expect(bot.healthcheck?.test.join(' ')).toContain(`:${bot.environment?.['HEALTH_PORT']}/healthz`);
    }
    // Started with the single bot left out (it would run every shard a second time), as the README says.
    expect(read('README.md')).toContain('docker compose --profile scale up -d --build --scale bot=0');
    expect(read('docker-compose.yml')).toContain('--scale bot=0');
  });
});

describe('README and .env.example', () => {
  const readme = read('README.md');
  it('THEN every npm script is documented', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    for (const script of Object.keys(pkg.scripts)) expect(readme, `README should mention npm run ${script}`).toContain(script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`);
  });
  it('THEN every variable the config reads is documented in .env.example', () => {
    const env = read('.env.example');
    const config = read('src/config.ts');
    const variables = [...config.matchAll(/^\s{2}([A-Z_]+): /gm)].map((m) => m[1]!);
    expect(variables.length).toBeGreaterThan(5);
    for (const variable of variables) expect(env).toMatch(new RegExp(`^${variable}=`, 'm'));
  });
});
