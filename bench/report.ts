// The summary table of `npm run bench`: one row per figure, with its goal where the issue sets one.
import { cpus, totalmem, platform, release } from 'node:os';
import type { LatencyResult, PerProcess } from './latency.js';
import type { LeaderboardResult } from './leaderboard.js';
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

export function latencyRows(r: LatencyResult): Row[] {
  const o = r.ours.steady;
  const b = r.baseline.steady;
  const p = 'latency';
  return [
    row(p, `ours p50 / p95 / p99 (${o.targetRate}/s for ${o.seconds} s, ${r.servers} servers)`, `${ms(o.latencyMs.p50)} / ${ms(o.latencyMs.p95)} / ${ms(o.latencyMs.p99)}`),
    row(p, 'baseline p50 / p95 / p99', `${ms(b.latencyMs.p50)} / ${ms(b.latencyMs.p95)} / ${ms(b.latencyMs.p99)}`),
    row(p, 'ratio ours/baseline p50 (stand-in clock: 1 ms steps)', String(r.ratio.p50 ?? 'n/a')),
    row(p, 'ratio ours/baseline p99', String(r.ratio.p99 ?? 'n/a'), '<= 1.25', r.ratio.p99 === undefined ? null : r.ratio.p99 <= 1.25),
    row(p, 'ratio click -> answer (high resolution) p50 / p99', `${r.ratio.clickToAnswerP50 ?? 'n/a'} / ${r.ratio.clickToAnswerP99 ?? 'n/a'}`),
    row(p, 'ours errors (unanswered in 3 s) / unexpected replies', `${o.errors} / ${o.unexpected} of ${o.sent}`, '0 errors', o.errors === 0 && o.clickFailures === 0),
    row(p, 'baseline errors', `${b.errors} of ${b.sent}`),
    row(p, 'CPU per click (steady run), ours: stand-in + load / bot / Postgres', perProcess(r.ours.cpuPerClickMs)),
    row(p, 'CPU per click (steady run), baseline: stand-in + load / bot', perProcess(r.baseline.cpuPerClickMs)),
    row(p, 'waiting for a CPU per click (run queue), ours: stand-in + load / bot / Postgres', perProcess(r.ours.runQueueWaitPerClickMs)),
    row(p, 'waiting for a CPU per click (run queue), baseline: stand-in + load / bot', perProcess(r.baseline.runQueueWaitPerClickMs)),
    row(p, 'bot event-loop delay p50 / p99 / max, ours / baseline', `${loop(r.ours.loopDelayMs)} / ${loop(r.baseline.loopDelayMs)}`),
    row(p, 'bot GC pauses (steady run): ms per click, longest, ours / baseline', `${gcRow(r.ours.gcPauses)} / ${gcRow(r.baseline.gcPauses)}`),
    row(p, 'step-up: highest rate held, ours / baseline', `${rate(r.ours.stepUp.sustainedRate, r.ours.stepUp.brokeAt)} / ${rate(r.baseline.stepUp.sustainedRate, r.baseline.stepUp.brokeAt)}`),
  ];
}

function perProcess(c: PerProcess): string {
  const parts = [c.standIn, c.bot, ...(c.postgres === undefined ? [] : [c.postgres])];
  return parts.every((x) => x === undefined) ? 'n/a (no /proc)' : parts.map((x) => (x === undefined ? 'n/a' : ms(x))).join(' / ');
}

function gcRow(g: LatencyResult['ours']['gcPauses']): string {
  return `${ms(g.msPerClick)}, ${ms(g.maxMs)} (${g.pauses} pauses)`;
}

function loop(d: LatencyResult['ours']['loopDelayMs']): string {
  return `${d.p50}/${d.p99}/${d.max} ms`;
}

function rate(sustained: number | null, brokeAt: number | null): string {
  if (brokeAt === null) return `>= ${sustained}/s`;
  return sustained === null ? `< ${brokeAt}/s` : `${sustained}/s (broke at ${brokeAt}/s)`;
}

export function roundTripRows(r: RoundTripResult): Row[] {
  const s = r.statementsPerClick;
  return [
    row('db per click', `statements (round trips) per answer click, ${r.clicksMeasured} clicks`, `${s.mean} (min ${s.min}, max ${s.max})`, '1', s.max <= 1),
    row('db per click', 'transactions per click', String(r.transactionsPerClick)),
    row('db per click', 'statements behind the free-text "Answer" button', String(r.openModalStatements ?? 'n/a')),
  ];
}

export function leaderboardRows(r: LeaderboardResult): Row[] {
  const b = r.bigServerMs;
  return [
    row('leaderboard', `top 10 + rank, ${r.bigServerMembers.toLocaleString('en')} members (${r.rowsInTable.toLocaleString('en')} rows): p50 / p99`, `${ms(b.p50)} / ${ms(b.p99)}`, 'p99 < 2 ms', b.p99 < 2),
    row('leaderboard', 'callers in the top 100: p50 / p99', `${ms(r.topCallersMs.p50)} / ${ms(r.topCallersMs.p99)}`),
    row('leaderboard', 'a 20-member server: p50 / p99', `${ms(r.smallServerMs.p50)} / ${ms(r.smallServerMs.p99)}`),
    row('leaderboard', 'floor: one stats row by primary key, same client: p50 / p99', `${ms(r.floorMs.p50)} / ${ms(r.floorMs.p99)}`),
    row(
      'leaderboard',
      'the same two statements from pgbench (C client, no Node), random callers: top 10 + rank / floor, p50 / p99',
      r.fromPgbench ? `${ms(r.fromPgbench.bigServerMs.p50)} / ${ms(r.fromPgbench.bigServerMs.p99)}; ${ms(r.fromPgbench.floorMs.p50)} / ${ms(r.fromPgbench.floorMs.p99)}` : 'n/a (pgbench not installed)',
    ),
    row('leaderboard', 'execution in Postgres (EXPLAIN ANALYZE), median-rank caller', r.explain.map((e) => ms(e.executionMs)).join(' + ')),
    row('leaderboard', 'ratio big server / floor, p50 / p99', `${ratio(b.p50, r.floorMs.p50) ?? 'n/a'} / ${ratio(b.p99, r.floorMs.p99) ?? 'n/a'}`),
  ];
}

export function memoryRows(r: MemoryResult): Row[] {
  const a = r.oursAfterActivity;
  return [
    row('memory', `ours RSS after activity (${r.servers} servers x ${r.channelsPerServer} channels x ${r.membersPerServer} members)`, `${a.rssMb} MB (${a.rssAfterGcMb} MB after GC)`, '< 150 MB', a.rssMb < 150),
    row('memory', 'ours RSS at ready / heap used after activity', `${r.oursAtReady.rssMb} MB / ${a.heapUsedMb} MB`),
    row('memory', 'baseline (bare discord.js) RSS at ready', `${r.baselineAtReady.rssMb} MB`),
    row('memory', 'ours cached channels / members / users', `${a.cachedChannels} / ${a.cachedMembers} / ${a.cachedUsers}`),
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
