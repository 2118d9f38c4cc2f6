// Run sizes for `npm run bench`: the default fits under 10 minutes on 2 cores; --full uses the sizes
// everywhere (the scheduler burst alone then takes ~7 minutes: 20,000 requests at 50/s); --quick is a smoke run.
import type { LeaderboardOptions } from './leaderboard.js';
export type ProfileName = 'quick' | 'default' | 'full';

export interface Sizes {
  /** durationMs: steady load per bot (the bots take turns in slices of sliceMs); maxSteps 0: no step-up (--full has it); pglite: the same part on PGlite */
  latency: { servers: number; rate: number; durationMs: number; sliceMs: number; stepMs: number; maxSteps: number; pglite: { servers: number; rate: number; durationMs: number } };
  roundTrips: { clicks: number };
  leaderboard: Omit<LeaderboardOptions, 'databaseUrl' | 'log'>;
  memory: { servers: number; channelsPerServer: number; membersPerServer: number; games: number; commands: number };
  scheduler: { schedules: number; processes: number; maxSeconds: number };
  startup: { servers: number; runs: number };
  pgliteBurst: { clicks: number };
  /** concurrent trivia games (bench/concurrent-games.ts): one run per entry of `games` */
  concurrentGames: { games: number[]; questions: number; startSeconds: number; maxSeconds: number };
}

const DEFAULT: Sizes = {
  latency: { servers: 200, rate: 200, durationMs: 60_000, sliceMs: 5_000, stepMs: 3_000, maxSteps: 0, pglite: { servers: 20, rate: 50, durationMs: 20_000 } },
  roundTrips: { clicks: 50 },
  leaderboard: {
    bigServerMembers: 1_000_000,
    otherServers: 9_999,
    membersPerOtherServer: 20,
    calls: 2_000, // per caller group: the p99 is the 20th slowest call, not one GC pause
    weeklyCalls: 2_000,
    week: { days: 14, roundsPerDay: 150, answersPerRound: 100, players: 50_000 },
  },
  memory: { servers: 1_000, channelsPerServer: 10, membersPerServer: 100, games: 25, commands: 250 },
  scheduler: { schedules: 500, processes: 2, maxSeconds: 300 },
  startup: { servers: 100, runs: 2 },
  pgliteBurst: { clicks: 500 },
  concurrentGames: { games: [1_000], questions: 3, startSeconds: 50, maxSeconds: 300 },
};

export const PROFILES: Record<ProfileName, Sizes> = {
  default: DEFAULT,
  full: {
    ...DEFAULT,
    latency: { ...DEFAULT.latency, stepMs: 5_000, maxSteps: 4, pglite: { servers: 20, rate: 50, durationMs: 60_000 } },
    leaderboard: { ...DEFAULT.leaderboard, calls: 5_000, weeklyCalls: 5_000 },
    memory: { ...DEFAULT.memory, games: 50, commands: 500 },
    scheduler: { schedules: 10_000, processes: 2, maxSeconds: 900 },
    startup: { servers: 100, runs: 5 },
    concurrentGames: { games: [100, 1_000, 2_000], questions: 3, startSeconds: 50, maxSeconds: 400 },
  },
  quick: {
    latency: { servers: 50, rate: 100, durationMs: 6_000, sliceMs: 2_000, stepMs: 2_000, maxSteps: 2, pglite: { servers: 10, rate: 50, durationMs: 4_000 } },
    roundTrips: { clicks: 20 },
    leaderboard: { bigServerMembers: 100_000, otherServers: 999, membersPerOtherServer: 20, calls: 50, weeklyCalls: 50, week: { days: 14, roundsPerDay: 30, answersPerRound: 50, players: 5_000 } },
    memory: { servers: 200, channelsPerServer: 10, membersPerServer: 100, games: 10, commands: 100 },
    scheduler: { schedules: 300, processes: 2, maxSeconds: 120 },
    startup: { servers: 20, runs: 1 },
    pgliteBurst: { clicks: 200 },
    concurrentGames: { games: [100], questions: 2, startSeconds: 25, maxSeconds: 120 },
  },
};

export const PART_NAMES = ['latency', 'roundTrips', 'leaderboard', 'memory', 'scheduler', 'startup', 'pgliteBurst', 'concurrentGames'] as const;
export type PartName = (typeof PART_NAMES)[number];

export interface RunOptions {
  profile: ProfileName;
  parts: PartName[];
  databaseUrl: string;
}

const USAGE = `usage: npm run bench -- [--quick | --full] [--only ${PART_NAMES.join(',')}]
  BENCH_PROFILE=quick|default|full and BENCH_ONLY=... do the same; BENCH_DATABASE_URL picks the Postgres server
  (default postgres://postgres@127.0.0.1:5432/test; each part creates and drops its own database there).`;

export function parseRunOptions(argv: readonly string[], env: NodeJS.ProcessEnv, defaultDatabaseUrl: string): RunOptions {
  let profile = (env['BENCH_PROFILE'] ?? 'default') as ProfileName;
  let only = env['BENCH_ONLY'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick' || arg === '--full') profile = arg.slice(2) as ProfileName;
    else if (arg === '--only') only = argv[++i];
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (!(profile in PROFILES)) throw new Error(`unknown profile ${profile}\n${USAGE}`);
  const parts = only ? only.split(',').map((p) => p.trim()) : [...PART_NAMES];
  const unknown = parts.filter((p) => !(PART_NAMES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}\n${USAGE}`);
  return { profile, parts: parts as PartName[], databaseUrl: env['BENCH_DATABASE_URL'] ?? defaultDatabaseUrl };
}
