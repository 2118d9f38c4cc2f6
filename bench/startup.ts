// 6. Start-up: process start to ready (logged in, every GUILD_CREATE in) for the real bot in its own process,
// configured from the environment like `npm start` (tsx): on PGlite (a fresh directory, so migrations are
// applied, then the same directory again) and on Postgres (a fresh database, then again). A bare discord.js
// client on the same world is the floor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscordStandIn } from '../stand-in/index.js';
import { startChildBot, type ChildBotOptions } from './child-bot.js';
import { createScratchDatabase } from './scratch-db.js';
import { round } from './stats.js';

export interface StartupFigure {
  /** median over the runs: the child's own clock, process start (performance.timeOrigin) -> ready */
  processStartToReadyMs: number;
  /** median: the parent's clock, fork() -> ready message (adds spawning Node and IPC) */
  spawnToReadyMs: number;
  runs: number[];
}

export interface StartupResult {
  servers: number;
  runs: number;
  baseline: StartupFigure;
  pgliteCold: StartupFigure;
  pgliteWarm: StartupFigure;
  postgresCold: StartupFigure;
  postgresWarm: StartupFigure;
}

export async function benchStartup(options: { databaseUrl: string; servers: number; runs: number; log: (line: string) => void }): Promise<StartupResult> {
  const discord = await DiscordStandIn.start();
  try {
    for (let i = 0; i < options.servers; i++) {
      const guild = discord.createGuild({ name: `Starbase ${i}` });
      discord.createChannel(guild.id, { name: 'ops' });
    }
    const base = { token: discord.token, apiUrl: discord.restBase };
    const starts: Record<'baseline' | 'pgliteCold' | 'pgliteWarm' | 'postgresCold' | 'postgresWarm', Start[]> = {
      baseline: [],
      pgliteCold: [],
      pgliteWarm: [],
      postgresCold: [],
      postgresWarm: [],
    };
    for (let run = 0; run < options.runs; run++) {
      starts.baseline.push(await timeStart({ ...base, mode: 'pong' }));
      const dir = mkdtempSync(join(tmpdir(), 'ds9-bench-pglite-'));
      try {
        starts.pgliteCold.push(await timeStart({ ...base, mode: 'ours', pgliteDir: dir }));
        starts.pgliteWarm.push(await timeStart({ ...base, mode: 'ours', pgliteDir: dir }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const scratch = await createScratchDatabase(options.databaseUrl, 'startup');
      try {
        starts.postgresCold.push(await timeStart({ ...base, mode: 'ours', databaseUrl: scratch.url }));
        starts.postgresWarm.push(await timeStart({ ...base, mode: 'ours', databaseUrl: scratch.url }));
      } finally {
        await scratch.drop();
      }
      options.log(`startup: run ${run + 1}/${options.runs} done`);
    }
    return {
      servers: options.servers,
      runs: options.runs,
      baseline: figure(starts.baseline),
      pgliteCold: figure(starts.pgliteCold),
      pgliteWarm: figure(starts.pgliteWarm),
      postgresCold: figure(starts.postgresCold),
      postgresWarm: figure(starts.postgresWarm),
    };
  } finally {
    await discord.stop();
  }
}

interface Start {
  own: number;
  spawn: number;
}

async function timeStart(options: ChildBotOptions): Promise<Start> {
  const bot = await startChildBot(options);
  await bot.stop();
  return { own: bot.msSinceProcessStart, spawn: bot.spawnToReadyMs };
}

function figure(starts: Start[]): StartupFigure {
  return {
    processStartToReadyMs: round(median(starts.map((s) => s.own)), 0),
    spawnToReadyMs: round(median(starts.map((s) => s.spawn)), 0),
    runs: starts.map((s) => round(s.own, 0)),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
