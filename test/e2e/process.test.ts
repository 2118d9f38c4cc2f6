import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/content/index.js';
import type { Database } from '../../src/db/client.js';
import { DiscordStandIn } from '../../stand-in/index.js';
import { createWorld, type World } from './world.js';

const root = findProjectRoot();
/** How long a started process may take to stop on its own: seconds when quiet, much longer on a busy machine. */
const PROCESS_LIMIT_MS = 150_000;
/** A test that starts processes one after another. */
const TEST_LIMIT_MS = 2 * PROCESS_LIMIT_MS;

function runStart(env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DISCORD_TOKEN', 'DATABASE_URL', 'CI'].includes(k)));
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/index.ts'], { cwd: root, env: { ...clean, ...env }, encoding: 'utf8', timeout: PROCESS_LIMIT_MS });
}

/** Like runStart, but leaves this process's event loop free (for a stand-in served from this process). */
function runStartAsync(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DISCORD_TOKEN', 'DATABASE_URL', 'CI'].includes(k)));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { cwd: root, env: { ...clean, ...env }, timeout: PROCESS_LIMIT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm start', () => {
  it('GIVEN no DISCORD_TOKEN THEN it stops at once with what to set and how to try the playground, no stack trace', () => {
    const result = runStart({});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DISCORD_TOKEN is not set');
    expect(result.stderr).toContain('npm run playground');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, TEST_LIMIT_MS);

  it('GIVEN a bad variable THEN it names the variable and never prints the secret token', () => {
    const result = runStart({ DISCORD_TOKEN: 'super.secret.token', LOG_LEVEL: 'chatty', DATABASE_URL: 'mysql://x' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('LOG_LEVEL must be one of');
    expect(result.stderr).toContain('DATABASE_URL must start with postgres://');
    expect(result.stdout + result.stderr).not.toContain('super.secret.token');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, TEST_LIMIT_MS);
});

describe('npm start with something out of reach', () => {
  it('GIVEN a database that is down THEN one line says where it was and what to check, without the password', () => {
    const result = runStart({ DISCORD_TOKEN: 'super.secret.token', DATABASE_URL: 'postgres://ds9:hunter2@127.0.0.1:1/ds9' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Cannot use the database at 127.0.0.1:1/ds9: nothing is listening there.');
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stdout + result.stderr).not.toMatch(/hunter2|super\.secret\.token/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, TEST_LIMIT_MS);

  it('GIVEN a token Discord refuses THEN it says to reset the token, and never prints it', async () => {
    const discord = await DiscordStandIn.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'start-'));
    try {
      const result = await runStartAsync({ DISCORD_TOKEN: 'not.the.token', DISCORD_API_URL: discord.restBase, PGLITE_DIR: dataDir });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Discord did not accept DISCORD_TOKEN');
      expect(result.stdout + result.stderr).not.toContain('not.the.token');
    } finally {
      await discord.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, TEST_LIMIT_MS);
});

describe('health endpoint', () => {
  let world: World;
  afterEach(async () => world?.close());

  it('GIVEN HEALTH_PORT THEN /healthz reports the gateway and database, and /metrics counts interactions', async () => {
    world = await createWorld();
    const bot = await world.startAnotherBot({ config: { ...world.bot.context.config, healthPort: 0 } });
    const port = bot.healthPort!;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ gateway: 'connected', database: 'reachable' });
    await world.bot.stop();
    const { discord, guild, channel, members } = world;
    await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'stats' })).reply();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/ds9bot_interactions_total\{command="trivia",outcome="ok"\} 1/);
  });

  it('GIVEN a command that arrives while the database is still opening THEN it waits and is answered once the database is open', async () => {
    world = await createWorld();
    await world.bot.stop();
    const { discord, guild, channel, members } = world;
    let open!: (database: Database) => void;
    const starting = world.startAnotherBot({ database: new Promise<Database>((resolve) => (open = resolve)) });
    await discord.waitFor(() => discord.connections() > 0); // logged in while the database is not open yet
    let answered = false;
    const command = discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'leaderboard' }).then((handle) => {
      answered = true;
      return handle;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    open(world.database);
    world.bot = await starting;
    const reply = await (await command).reply();
    expect(reply.embeds[0]?.title).toBe('Trivia leaderboard: all time');
    expect(reply.embeds[0]?.description).toContain('No scores yet.');
  });

  it('GIVEN a whole game THEN the bot token never appears in the logs', async () => {
    world = await createWorld();
    const { discord, guild, channel, members } = world;
    await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'trivia', subcommand: 'play', options: { questions: 1 } })).reply();
    world.clock.advance(60_000);
    await world.bot.tick();
    await world.bot.stop();
    expect(world.logs.length).toBeGreaterThan(0);
    expect(world.logs.join('')).not.toContain(discord.token);
  });
});
