// Run sizes for `npm run bench`: the default fits a few minutes on 2 cores; --full uses the sizes
// everywhere (the scheduler burst alone then takes ~7 minutes: 20,000 requests at 50/s); --quick is a smoke run.
export type ProfileName = 'quick' | 'default' | 'full';

export interface Sizes {
  latency: { servers: number; rate: number; durationMs: number; stepMs: number; maxSteps: number };
  roundTrips: { clicks: number };
  leaderboard: { bigServerMembers: number; otherServers: number; membersPerOtherServer: number; calls: number };
  memory: { servers: number; channelsPerServer: number; membersPerServer: number; games: number; commands: number };
  scheduler: { schedules: number; processes: number; maxSeconds: number };
  startup: { servers: number; runs: number };
  pgliteBurst: { clicks: number };
}

const DEFAULT: Sizes = {
  latency: { servers: 200, rate: 200, durationMs: 20_000, stepMs: 3_000, maxSteps: 3 },
  roundTrips: { clicks: 50 },
  leaderboard: { bigServerMembers: 1_000_000, otherServers: 9_999, membersPerOtherServer: 20, calls: 1000 },
  memory: { servers: 1_000, channelsPerServer: 10, membersPerServer: 100, games: 50, commands: 500 },
  scheduler: { schedules: 2_000, processes: 2, maxSeconds: 300 },
  startup: { servers: 100, runs: 3 },
  pgliteBurst: { clicks: 500 },
};

export const PROFILES: Record<ProfileName, Sizes> = {
  default: DEFAULT,
  full: {
    ...DEFAULT,
    latency: { ...DEFAULT.latency, stepMs: 5_000, maxSteps: 4 },
    scheduler: { schedules: 10_000, processes: 2, maxSeconds: 900 },
    startup: { servers: 100, runs: 5 },
  },
  quick: {
    latency: { servers: 50, rate: 100, durationMs: 5_000, stepMs: 2_000, maxSteps: 2 },
    roundTrips: { clicks: 20 },
    leaderboard: { bigServerMembers: 100_000, otherServers: 999, membersPerOtherServer: 20, calls: 50 },
    memory: { servers: 200, channelsPerServer: 10, membersPerServer: 100, games: 10, commands: 100 },
    scheduler: { schedules: 300, processes: 2, maxSeconds: 120 },
    startup: { servers: 20, runs: 1 },
    pgliteBurst: { clicks: 200 },
  },
};

export const PART_NAMES = ['latency', 'roundTrips', 'leaderboard', 'memory', 'scheduler', 'startup', 'pgliteBurst'] as const;
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
