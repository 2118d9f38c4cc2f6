// Parent side of bench/bot-process.ts: starts a bot in its own Node process and talks to it over IPC.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage } from './bot-process.js';

const ENTRY = fileURLToPath(new URL('./bot-process.ts', import.meta.url));
const BUILD_CONFIG = fileURLToPath(new URL('./tsconfig.build.json', import.meta.url));
/** bench/tsconfig.build.json compiles src, commands and bot-process.ts here (inside node_modules, so imports resolve). */
const COMPILED_ENTRY = fileURLToPath(new URL('../node_modules/.cache/ds9-bench/bench/bot-process.js', import.meta.url));

let compiledThisRun = false;

/** Compiles (without type-checking) the bot once per run for `asDeployed` children: plain node on JavaScript, as the Docker image runs it. */
function compileBot(): void {
  if (compiledThisRun) return;
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', BUILD_CONFIG, '--noCheck'], { stdio: 'inherit' });
  compiledThisRun = true;
}

/** The Node flags of the Dockerfile's CMD (node <flags> dist/src/index.js), read from it so the two cannot drift apart. */
function deployedNodeFlags(): string[] {
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
  if (cmd === undefined) throw new Error('Dockerfile: no CMD ["node", ...] line; the bench runs the bot as the image does');
  return (JSON.parse(cmd) as string[]).filter((arg) => arg.startsWith('--'));
}

export interface ChildBot {
  process: ChildProcess;
  /** Wall-clock ms from fork() to the bot's ready message. */
  spawnToReadyMs: number;
  /** The child's own view: ms from its process start (performance.timeOrigin) to ready. */
  msSinceProcessStart: number;
  memory(gc: boolean): Promise<Extract<ChildMessage, { type: 'memory' }>>;
  /** starts or pauses measuring the event-loop delay and GC pauses */
  measure(on: boolean): void;
  /** the event-loop delay (1 ms resolution) and the garbage collector's pauses measured since the previous call */
  loopDelay(): Promise<Omit<Extract<ChildMessage, { type: 'loopDelay' }>, 'type'>>;
  stop(): Promise<void>;
}

export type BotMode = 'ours' | 'pong' | 'durable';

export interface ChildBotOptions {
  /** ours: the real bot; pong: the bare client answering at once; durable: the bare client writing a row per click first (bot-process.ts) */
  mode: BotMode;
  token: string;
  apiUrl: string;
  databaseUrl?: string;
  pgliteDir?: string;
  exposeGc?: boolean;
  /** run as the Docker image does: the compiled JavaScript with plain node and the Node flags of the Dockerfile's CMD, instead of the TypeScript under tsx (as `npm start`) */
  asDeployed?: boolean;
  readyTimeoutMs?: number;
}

/** Extra Node flags for every bot process, e.g. BENCH_CHILD_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function childNodeFlags(): string[] {
  return (process.env['BENCH_CHILD_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
}

/** Sends a request to the bot process and waits for its answer of that type. */
function ask<T extends ChildMessage['type']>(child: ChildProcess, request: ParentMessage, answer: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type !== answer) return;
      child.off('message', onMessage);
      resolve(m as Extract<ChildMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

export async function startChildBot(options: ChildBotOptions): Promise<ChildBot> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    BENCH_BOT_MODE: options.mode,
    DISCORD_TOKEN: options.token,
    DISCORD_API_URL: options.apiUrl,
    LOG_LEVEL: 'info',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.pgliteDir ? { PGLITE_DIR: options.pgliteDir } : {}),
  };
  if (options.asDeployed) compileBot();
  const started = performance.now();
  const child = fork(options.asDeployed ? COMPILED_ENTRY : ENTRY, [], {
    execArgv: [...(options.asDeployed ? deployedNodeFlags() : ['--import', 'tsx']), ...(options.exposeGc ? ['--expose-gc'] : []), ...childNodeFlags()],
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot (${options.mode}) not ready in time\n${stderr}`)), options.readyTimeoutMs ?? 120_000);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      } else if (m.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`bot (${options.mode}) failed to start: ${m.message}\n${stderr}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot (${options.mode}) exited with ${code}\n${stderr}`));
    });
  });
  const spawnToReadyMs = performance.now() - started;
  return {
    process: child,
    spawnToReadyMs,
    msSinceProcessStart: ready.msSinceProcessStart,
    memory: (gc) => ask(child, { type: 'memory', gc }, 'memory'),
    measure: (on) => void child.send({ type: 'measure', on }),
    loopDelay: async () => {
      const { ms, gc } = await ask(child, { type: 'loopDelay' }, 'loopDelay');
      return { ms, gc };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}
