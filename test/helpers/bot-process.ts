// The real bot as a separate OS process, started exactly like `npm start` (src/index.ts) or
// `npm run start:sharded` (src/sharded.ts) and configured only through the environment. Each process runs
// in its own process group, so a kill reaches the shard processes a ShardingManager forks as well.
// Every process group started here is killed by `killAllBotProcesses()` (call it in afterEach) and on exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { findProjectRoot } from '../../src/content/index.js';

/** What a bot process may take to log a step (start-up included): seconds when quiet, a minute or more on a busy machine. */
const PROCESS_STEP_LIMIT_MS = 120_000;

const root = findProjectRoot();
const live = new Set<BotProcess>();

export interface BotProcessOptions {
  /** 'src/index.ts' (npm start), 'src/sharded.ts' (npm run start:sharded) or 'src/rest-proxy.ts' (npm run rest-proxy) */
  entry?: 'src/index.ts' | 'src/sharded.ts' | 'src/rest-proxy.ts';
  env: Record<string, string>;
}

export interface LogLine {
  msg?: string;
  level?: number;
  [key: string]: unknown;
}

export class BotProcess {
  private stdout = '';
  private stderr = '';
  private readonly exitPromise: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exitPromise = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Everything written to stdout and stderr so far. */
  output(): string {
    return this.stdout + this.stderr;
  }

  /** The JSON log lines (pino) written so far. */
  logs(): LogLine[] {
    return this.stdout.split('\n').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  }

  /** Waits until `count` log lines match, failing early if the process exits; the limit only catches a hang. */
  async waitForLog(predicate: (line: LogLine) => boolean, opts: { count?: number; timeoutMs?: number; description?: string } = {}): Promise<LogLine[]> {
    const count = opts.count ?? 1;
    const deadline = Date.now() + (opts.timeoutMs ?? PROCESS_STEP_LIMIT_MS);
    for (;;) {
      const found = this.logs().filter(predicate);
      if (found.length >= count) return found;
      if (this.exited) throw new Error(`bot process exited before ${opts.description ?? 'the expected log line'}\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.description ?? 'a log line'}\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Resolves once `count` processes of the group logged 'bot ready'. */
  ready(count = 1, timeoutMs = PROCESS_STEP_LIMIT_MS): Promise<LogLine[]> {
    return this.waitForLog((l) => l.msg === 'bot ready', { count, timeoutMs, description: `${count} × "bot ready"` });
  }

  /** Sends a signal to the whole process group and waits for the leader to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.exited) {
      try {
        process.kill(-this.pid, signal);
      } catch {
        // already gone
      }
    }
    await this.exitPromise;
    // A group leader that exits first (SIGTERM on a manager) can leave shard processes behind: make sure.
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // the group is empty
    }
  }

  tail(chars = 3000): string {
    return this.output().slice(-chars);
  }
}

export function startBotProcess(options: BotProcessOptions): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/index.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const bot = new BotProcess(child);
  live.add(bot);
  return bot;
}

/** Kills every process group started here, including shard processes whose manager already exited. */
export async function killAllBotProcesses(): Promise<void> {
  const all = [...live];
  live.clear();
  await Promise.all(all.map((bot) => bot.kill('SIGKILL')));
}

process.once('exit', () => {
  for (const bot of live) {
    try {
      process.kill(-bot.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});
