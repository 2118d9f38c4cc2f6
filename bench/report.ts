// The summary table of `npm run bench`: one row per figure, with its goal where the issue sets one.
import { cpus, totalmem, platform, release } from 'node:os';
import type { BotLatency, LatencyPhase, LatencyResult, PerProcess } from './latency.js';
import type { BoardFigures, LeaderboardResult } from './leaderboard.js';
import type { Spread } from './load-stats.js';
import type { MemoryResult } from './memory.js';
import type { RoundTripResult } from './db-round-trips.js';
import type { SchedulerBurstResult } from './scheduler-burst.js';
import type { StartupResult } from './startup.js';
import type { BurstResult } from './pglite-burst.js';
import { ratio } from './stats.js';

export interface Row {
  part: string;
  figure: string;
  value: string;
  goal: string;
  /** true met, false missed, null no goal */
  met: boolean | null;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  date: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${platform()} ${release()}`,
    date: new Date().toISOString(),
  };
}

const ms = (x: number) => `${x} ms`;
const row = (part: string, figure: string, value: string, goal = '', met: boolean | null = null): Row => ({ part, figure, value, goal, met });

const GOAL_RATIO = '<= 1.25';
const metRatio = (x: number | undefined) => (x === undefined ? null : x <= 1.25);

/** Latency rows: on Postgres ours against the durable floor (the goal) and pong (information), then on PGlite. */
export function latencyRows(r: LatencyResult): Row[] {
  return [...phaseRows(r.postgres), ...phaseRows(r.pglite)];
}

function phaseRows(ph: LatencyPhase): Row[] {
  const p = `latency (${ph.engine === 'postgres' ? 'Postgres' : 'PGlite'})`;
  const bots = [['ours', ph.ours], ['durable floor', ph.durable], ...(ph.pong ? [['pong', ph.pong] as const] : [])] as const;
  const waits = (b: BotLatency) => `${ms(b.steady.waitMs.p50)} / ${ms(b.steady.waitMs.p95)} / ${ms(b.steady.waitMs.p99)}`;
  const d = ph.ratio.durable;
  // A floor that left clicks unanswered is no floor: its 3,000 ms would make any bot look fast.
  const unfair = ph.durable.steady.unanswered > 0 ? ` (not judged: the durable floor left ${ph.durable.steady.unanswered} clicks unanswered)` : '';
  const rows = [
    ...bots.map(([name, b]) =>
      row(p, `${name} p50 / p95 / p99 from the scheduled click (${b.steady.targetRate}/s, ${b.steady.seconds} s in ${ph.rounds} slices, ${ph.servers} servers)`, waits(b)),
    ),
    row(p, 'ratio ours/durable floor p50', String(d.p50 ?? 'n/a') + unfair, GOAL_RATIO, unfair ? null : metRatio(d.p50)),
    row(p, 'ratio ours/durable floor p99', String(d.p99 ?? 'n/a') + unfair, GOAL_RATIO, unfair ? null : metRatio(d.p99)),
    row(p, `ratio ours/durable floor p99, per round (${d.p99PerRound.count} rounds): min / median / max`, spreadText(d.p99PerRound)),
    row(p, 'ratio ours/durable floor p50, per round: min / median / max', spreadText(d.p50PerRound)),
    ...(ph.ratio.pong ? [row(p, 'ratio ours/pong p50 / p99 (information: pong writes nothing)', `${ph.ratio.pong.p50 ?? 'n/a'} / ${ph.ratio.pong.p99 ?? 'n/a'}`)] : []),
    ...bots.map(([name, b]) =>
      row(
        p,
        `${name}: unanswered in 3 s (counted as 3,000 ms) / unexpected replies / "thinking..." first / clicks`,
        `${b.steady.unanswered} / ${b.steady.unexpected} / ${b.steady.deferred} / ${b.steady.sent}`,
        name === 'ours' ? '0 unanswered' : '',
        name === 'ours' ? b.steady.unanswered === 0 : null,
      ),
    ),
    ...bots.map(([name, b]) =>
      row(
        p,
        `${name}: load generator, achieved rate / send lag p99, max`,
        `${b.steady.achievedRate}/s / ${ms(b.steady.sendLagMs.p99)}, ${ms(b.steady.sendLagMs.max)}${b.steady.fellBehind ? ' FELL BEHIND (over 5% short)' : ''}`,
      ),
    ),
    row(p, 'p50 / p99 from the actual send, answered clicks, ours / durable floor', `${ms(ph.ours.steady.serviceMs.p50)} / ${ms(ph.ours.steady.serviceMs.p99)}; ${ms(ph.durable.steady.serviceMs.p50)} / ${ms(ph.durable.steady.serviceMs.p99)}`),
    row(p, 'CPU per click, stand-in + load / bot' + (ph.engine === 'postgres' ? ' / its Postgres backends' : '') + ', ' + bots.map(([n]) => n).join(' ; '), bots.map(([, b]) => perProcess(b.cpuPerClickMs)).join(' ; ')),
    row(p, 'waiting for a CPU per click (run queue), same order', bots.map(([, b]) => perProcess(b.runQueueWaitPerClickMs)).join(' ; ')),
    row(p, 'bot event-loop delay p50/p99/max, same order', bots.map(([, b]) => loop(b.loopDelayMs)).join(' ; ')),
    row(p, 'bot GC pauses: ms per click, longest (count), same order', bots.map(([, b]) => gcRow(b.gcPauses)).join(' ; ')),
  ];
  const steps = bots.filter(([, b]) => b.stepUp);
  if (steps.length > 0) rows.push(row(p, `step-up: highest rate held, ${steps.map(([n]) => n).join(' / ')}`, steps.map(([, b]) => rate(b.stepUp!.sustainedRate, b.stepUp!.brokeAt)).join(' / ')));
  return rows;
}

function spreadText(s: Spread): string {
  return s.count === 0 ? 'n/a' : `${s.min} / ${s.median} / ${s.max}`;
}

function perProcess(c: PerProcess): string {
  const parts = [c.standIn, c.bot, ...(c.postgres === undefined ? [] : [c.postgres])];
  return parts.every((x) => x === undefined) ? 'n/a (no /proc)' : parts.map((x) => (x === undefined ? 'n/a' : ms(x))).join(' / ');
}

function gcRow(g: BotLatency['gcPauses']): string {
  return `${ms(g.msPerClick)}, ${ms(g.maxMs)} (${g.pauses})`;
}

function loop(d: BotLatency['loopDelayMs']): string {
  return `${d.p50}/${d.p99}/${d.max} ms`;
}

function rate(sustained: number | null, brokeAt: number | null): string {
  if (brokeAt === null) return `>= ${sustained}/s`;
  return sustained === null ? `< ${brokeAt}/s` : `${sustained}/s (broke at ${brokeAt}/s)`;
}

export function roundTripRows(r: RoundTripResult): Row[] {
  const s = r.statementsPerClick;
  const a = r.afterRestart;
  return [
    row('db per click', `statements (round trips) per answer click, warm, ${r.clicksMeasured} clicks`, `${s.mean} (min ${s.min}, max ${s.max})`, '1', s.max <= 1),
    row('db per click', `first click on each question after a restart (no round facts cached), ${a.questions} questions`, `${a.firstClick.mean} (min ${a.firstClick.min}, max ${a.firstClick.max})`, '<= 2', a.firstClick.max <= 2),
    row('db per click', 'second click on those questions after the restart', `${a.secondClick.mean} (min ${a.secondClick.min}, max ${a.secondClick.max})`, '1', a.secondClick.max <= 1),
    row('db per click', 'transactions per click', String(r.transactionsPerClick)),
    row('db per click', 'statements behind the free-text "Answer" button', String(r.openModalStatements ?? 'n/a')),
  ];
}

export function leaderboardRows(r: LeaderboardResult): Row[] {
  const p = 'leaderboard';
  const board = (name: string, f: BoardFigures): Row[] => [
    row(p, `${name}: top 10 + rank, random callers in the big server: p50 / p99`, `${ms(f.bigServerMs.p50)} / ${ms(f.bigServerMs.p99)}`),
    row(p, `${name}: floor, one stats row by primary key, same client, interleaved: p50 / p99`, `${ms(f.floorMs.p50)} / ${ms(f.floorMs.p99)}`),
    row(p, `${name}: ratio board/floor p50 / p99 (${f.calls} calls)`, `${f.ratio.p50 ?? 'n/a'} / ${f.ratio.p99 ?? 'n/a'}`, 'p99 <= 1.5', f.ratio.p99 === undefined ? null : f.ratio.p99 <= 1.5),
    row(p, `${name}: callers in the top 100 / a 20-member server: p50 / p99`, `${ms(f.topCallersMs.p50)} / ${ms(f.topCallersMs.p99)}; ${ms(f.smallServerMs.p50)} / ${ms(f.smallServerMs.p99)}`),
    row(
      p,
      `${name}: from pgbench (C client, no Node), board / floor, p50 / p99`,
      f.fromPgbench ? `${ms(f.fromPgbench.bigServerMs.p50)} / ${ms(f.fromPgbench.bigServerMs.p99)}; ${ms(f.fromPgbench.floorMs.p50)} / ${ms(f.fromPgbench.floorMs.p99)}` : 'n/a (pgbench not installed)',
    ),
    row(p, `${name}: execution in Postgres (EXPLAIN ANALYZE), median-rank caller`, f.explain.map((e) => ms(e.executionMs)).join(' + ')),
  ];
  return [
    row(p, 'big server: members / rows in the table / members with 10,000+ points / highest total', `${r.bigServerMembers.toLocaleString('en')} / ${r.rowsInTable.toLocaleString('en')} / ${r.longTail.members.toLocaleString('en')} / ${r.longTail.highestPoints.toLocaleString('en')}`),
    row(p, "this week in the big server: answers / players / a top player's points", `${r.week.answersThisWeek.toLocaleString('en')} / ${r.week.playersThisWeek.toLocaleString('en')} / ${r.week.topWeeklyPoints.toLocaleString('en')}`),
    ...board('all time', r.allTime),
    ...board('this week', r.weekly),
  ];
}

export function memoryRows(r: MemoryResult): Row[] {
  const p = `memory (${r.servers} servers x ${r.channelsPerServer} channels x ${r.membersPerServer} members)`;
  const runs = [['ours on Postgres', r.postgres], ['ours on PGlite', r.pglite], ['bare client, same caches and traffic', r.bare]] as const;
  const cap = (x: number | undefined) => (x === undefined ? 'n/a' : String(x));
  return [
    ...runs.map(([name, m]) => row(p, `${name}: peak RSS / after activity / at ready`, `${m.peakRssMb} MB / ${m.afterActivity.rssMb} MB / ${m.atReady.rssMb} MB`)),
    row(p, 'ratio ours/bare at peak, Postgres', cap(r.ratio.postgresPeak), '<= 1.2', r.ratio.postgresPeak === undefined ? null : r.ratio.postgresPeak <= 1.2),
    row(p, 'ratio ours/bare at peak, PGlite', cap(r.ratio.pglitePeak), '<= 1.2', r.ratio.pglitePeak === undefined ? null : r.ratio.pglitePeak <= 1.2),
    row(p, 'ratio ours/bare after activity, Postgres / PGlite', `${cap(r.ratio.postgresAfter)} / ${cap(r.ratio.pgliteAfter)}`),
    row(p, 'ours on Postgres, peak RSS', `${r.postgres.peakRssMb} MB`, '< 150 MB', r.postgres.peakRssMb < 150),
    row(p, 'ours on Postgres after activity: heap used / after a forced GC, RSS', `${r.postgres.afterActivity.heapUsedMb} MB / ${r.postgres.afterActivity.rssAfterGcMb} MB`),
    ...runs.map(([name, m]) => row(p, `${name}: cached channels / members / users`, `${m.afterActivity.cachedChannels} / ${m.afterActivity.cachedMembers} / ${m.afterActivity.cachedUsers}`)),
  ];
}

export function schedulerRows(r: SchedulerBurstResult): Row[] {
  const p = 'scheduler';
  const w = r.waitSeconds;
  return [
    row(p, `${r.schedules.toLocaleString('en')} schedules due in one minute, ${r.processes} processes: time to post all`, `${r.secondsToPostAll} s`),
    row(p, 'threads/s, accepted requests/s (global limit 50/s)', `${r.threadsPerSecond} threads/s, ${r.requestsPerSecond} req/s (${r.requestsPerThread} per thread)`, 'near 50 req/s', r.requestsPerSecond >= 45),
    row(p, '429s answered by the stand-in', String(r.rateLimited429s)),
    row(p, 'duplicates / missing threads', `${r.duplicates} / ${r.missing}`, '0 duplicates', r.duplicates === 0),
    row(p, 'wait from due to thread: p50 / p99 / max (ticks back to back)', `${w.p50} s / ${w.p99} s / ${w.max} s`),
    row(p, 'ticks per process (production: one tick a minute)', `${r.ticksPerProcess} (~${r.ticksPerProcess} min to post all in production)`),
  ];
}

export function startupRows(r: StartupResult): Row[] {
  const v = (f: StartupResult['baseline']) => `${ms(f.processStartToReadyMs)} (runs ${f.runs.join(', ')})`;
  const p = `start-up (${r.servers} servers, median)`;
  return [
    row(p, 'PGlite, fresh directory (migrations applied)', v(r.pgliteCold)),
    row(p, 'PGlite, same directory again', v(r.pgliteWarm)),
    row(p, 'Postgres, fresh database (migrations applied)', v(r.postgresCold)),
    row(p, 'Postgres, migrated database', v(r.postgresWarm)),
    row(p, 'baseline (bare discord.js)', v(r.baseline)),
  ];
}

export function burstRows(r: BurstResult): Row[] {
  const p = 'PGlite burst';
  const v = (f: BurstResult['baseline']) => `${ms(f.latencyMs.p50)} / ${ms(f.latencyMs.p99)} / ${ms(f.latencyMs.max)}`;
  return [
    row(p, `${r.clicks} members click at once, ours on PGlite: p50 / p99 / last reply`, v(r.ours)),
    row(p, 'baseline (bare discord.js): p50 / p99 / last reply', v(r.baseline)),
    row(p, 'ratio ours/baseline p50 / last reply', `${r.ratio.p50 ?? 'n/a'} / ${r.ratio.max ?? 'n/a'}`),
    row(p, 'ours unanswered in 3 s / unexpected replies', `${r.ours.errors} / ${r.ours.unexpected} of ${r.clicks}`, '0 errors', r.ours.errors === 0 && r.ours.unexpected === 0),
    row(p, 'ours answered "thinking..." first (deferred, the answer edited in)', `${r.ours.deferred} of ${r.clicks}`),
    row(p, "bot's longest event-loop stall during the burst, ours / baseline", `${ms(r.ours.loopDelayMaxMs)} / ${ms(r.baseline.loopDelayMaxMs)}`),
    row(p, "bot's resident memory after the burst, ours (PGlite's thread included) / baseline", `${r.ours.rssMb} MB / ${r.baseline.rssMb} MB`),
  ];
}

export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.part, r.figure, r.value, r.goal, r.met === null ? '' : r.met ? 'met' : 'MISSED']);
  const head = ['part', 'figure', 'value', 'goal', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export type Figures = Record<string, number | boolean | null>;

/**
 * The figures worth comparing across runs, under names that say what they are (written to results.json as
 * `figures`): e.g. `latency.ratio.durable.p99` is ours' p99 over the durable floor's on Postgres, in the same run.
 */
export function namedFigures(parts: { latency?: LatencyResult; roundTrips?: RoundTripResult; leaderboard?: LeaderboardResult; memory?: MemoryResult }): Figures {
  const f: Figures = {};
  const put = (name: string, value: number | boolean | undefined) => (f[name] = value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? null : value);
  const latencyPhase = (prefix: string, ph: LatencyPhase) => {
    for (const floor of ['durable', 'pong'] as const) {
      const r = ph.ratio[floor];
      if (!r) continue;
      put(`${prefix}.ratio.${floor}.p50`, r.p50);
      put(`${prefix}.ratio.${floor}.p99`, r.p99);
      put(`${prefix}.ratio.${floor}.p99.perRound.min`, r.p99PerRound.min);
      put(`${prefix}.ratio.${floor}.p99.perRound.median`, r.p99PerRound.median);
      put(`${prefix}.ratio.${floor}.p99.perRound.max`, r.p99PerRound.max);
    }
    for (const [name, b] of [['ours', ph.ours], ['durable', ph.durable], ['pong', ph.pong]] as const) {
      if (!b) continue;
      put(`${prefix}.${name}.p50Ms`, b.steady.waitMs.p50);
      put(`${prefix}.${name}.p99Ms`, b.steady.waitMs.p99);
      put(`${prefix}.${name}.unanswered`, b.steady.unanswered);
      put(`${prefix}.${name}.clicks`, b.steady.sent);
      put(`${prefix}.${name}.generatorFellBehind`, b.steady.fellBehind);
    }
  };
  if (parts.latency) {
    latencyPhase('latency', parts.latency.postgres);
    latencyPhase('latency.pglite', parts.latency.pglite);
  }
  if (parts.roundTrips) {
    put('roundTrips.statementsPerClick.warm.max', parts.roundTrips.statementsPerClick.max);
    put('roundTrips.statementsPerClick.afterRestart.max', parts.roundTrips.afterRestart.firstClick.max);
  }
  if (parts.leaderboard) {
    for (const [name, b] of [['allTime', parts.leaderboard.allTime], ['weekly', parts.leaderboard.weekly]] as const) {
      put(`leaderboard.${name}.ratio.floor.p50`, b.ratio.p50);
      put(`leaderboard.${name}.ratio.floor.p99`, b.ratio.p99);
      put(`leaderboard.${name}.p99Ms`, b.bigServerMs.p99);
    }
  }
  if (parts.memory) {
    const m = parts.memory;
    put('memory.ratio.bare.peak.postgres', m.ratio.postgresPeak);
    put('memory.ratio.bare.peak.pglite', m.ratio.pglitePeak);
    put('memory.postgres.peakMb', m.postgres.peakRssMb);
    put('memory.pglite.peakMb', m.pglite.peakRssMb);
    put('memory.bare.peakMb', m.bare.peakRssMb);
  }
  return f;
}
