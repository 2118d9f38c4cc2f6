// Clicks buttons at a steady rate through the stand-in and collects what members experienced.
import type { DiscordStandIn } from '../stand-in/index.js';
import { round, summarize, type LatencySummary } from './stats.js';

/** One message with answer buttons, and the members who may click it. */
export interface ClickTarget {
  messageId: string;
  customIds: string[];
  members: string[];
  /** next member to click (so a member answers each question once) */
  nextMember: number;
}

export interface LoadResult {
  targetRate: number;
  seconds: number;
  sent: number;
  /** clicks per second actually sent (the load generator shares a core with the stand-in) */
  achievedRate: number;
  answered: number;
  /** not answered within Discord's 3 s window: "This interaction failed" */
  errors: number;
  /** answered, but not with the expected reply (e.g. an error message or "already answered") */
  unexpected: number;
  /** up to three distinct unexpected replies, shortened */
  unexpectedReplies: string[];
  /** the click itself could not be made (component gone, stand-in refused) */
  clickFailures: number;
  /** stand-in timestamps: INTERACTION_CREATE sent -> callback received (ms, 1 ms resolution) */
  latencyMs: LatencySummary;
  /** high-resolution, measured around the click in the load generator (includes building the payload) */
  clickToAnswerMs: LatencySummary;
}

export interface ClickLoadInput {
  discord: DiscordStandIn;
  targets: ClickTarget[];
  rate: number;
  durationMs: number;
  /** the reply a member should see */
  expectReply: (content: string) => boolean;
}

/** Clicks at `rate` for `durationMs` and summarizes what members saw. */
export async function runClickLoad(input: ClickLoadInput): Promise<LoadResult> {
  return summarizeRun(await clickLoadRun(input));
}

/** Like runClickLoad, keeping the samples: for runs that are merged afterwards (mergeRuns). */
export async function clickLoadRun(input: ClickLoadInput): Promise<LoadRun> {
  const { discord, targets, rate, durationMs } = input;
  const latencies: number[] = [];
  const e2e: number[] = [];
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let unexpected = 0;
  const unexpectedReplies = new Set<string>();
  let clickFailures = 0;
  const pending: Promise<void>[] = [];
  const click = (i: number) => {
    const target = targets[i % targets.length]!;
    const userId = target.members[target.nextMember++ % target.members.length]!;
    const customId = target.customIds[Math.floor(Math.random() * target.customIds.length)]!;
    const t0 = performance.now();
    pending.push(
      discord.clickButton({ userId, messageId: target.messageId, customId }).then(
        (handle) => {
          const t1 = performance.now();
          if (handle.callbackType === null) {
            errors++;
            return;
          }
          answered++;
          latencies.push(handle.latencyMs ?? Number.NaN);
          e2e.push(t1 - t0);
          const content = handle.original()?.content ?? '';
          if (!input.expectReply(content)) {
            unexpected++;
            if (unexpectedReplies.size < 3) unexpectedReplies.add(content.slice(0, 80));
          }
        },
        () => {
          clickFailures++;
        },
      ),
    );
  };
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      const due = Math.min(Math.floor((Math.min(elapsed, durationMs) * rate) / 1000), Math.round((durationMs * rate) / 1000));
      while (sent < due) click(sent++);
      if (elapsed >= durationMs) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const sendingMs = performance.now() - started;
  await Promise.all(pending);
  return { targetRate: rate, durationMs, sendingMs, sent, answered, errors, unexpected, unexpectedReplies: [...unexpectedReplies], clickFailures, latencies, e2e };
}

/** What one load run saw, before it is summarized. */
export interface LoadRun {
  targetRate: number;
  durationMs: number;
  sendingMs: number;
  sent: number;
  answered: number;
  errors: number;
  unexpected: number;
  unexpectedReplies: string[];
  clickFailures: number;
  latencies: number[];
  e2e: number[];
}

/** One summary for runs at the same rate, their samples pooled. */
export function mergeRuns(runs: readonly LoadRun[]): LoadResult {
  const sum = (pick: (r: LoadRun) => number) => runs.reduce((n, r) => n + pick(r), 0);
  return summarizeRun({
    targetRate: runs[0]?.targetRate ?? 0,
    durationMs: sum((r) => r.durationMs),
    sendingMs: sum((r) => r.sendingMs),
    sent: sum((r) => r.sent),
    answered: sum((r) => r.answered),
    errors: sum((r) => r.errors),
    unexpected: sum((r) => r.unexpected),
    unexpectedReplies: [...new Set(runs.flatMap((r) => r.unexpectedReplies))].slice(0, 3),
    clickFailures: sum((r) => r.clickFailures),
    latencies: runs.flatMap((r) => r.latencies),
    e2e: runs.flatMap((r) => r.e2e),
  });
}

function summarizeRun(run: LoadRun): LoadResult {
  return {
    targetRate: run.targetRate,
    seconds: round(run.durationMs / 1000, 1),
    sent: run.sent,
    achievedRate: Math.round(run.sent / (run.sendingMs / 1000)),
    answered: run.answered,
    errors: run.errors,
    unexpected: run.unexpected,
    unexpectedReplies: run.unexpectedReplies,
    clickFailures: run.clickFailures,
    latencyMs: roundSummary(summarize(run.latencies)),
    clickToAnswerMs: roundSummary(summarize(run.e2e)),
  };
}

export interface StepUpResult {
  steps: LoadResult[];
  /** highest rate that held: no errors, p99 under 1 s, and the generator kept up */
  sustainedRate: number | null;
  brokeAt: number | null;
  reason: string | null;
}

/** Doubles the rate from `from` until a step fails (errors, p99 over 1 s, or under 90% of the rate sent). */
export async function stepUp(input: Omit<ClickLoadInput, 'rate'> & { from: number; maxSteps: number; pauseMs: number }): Promise<StepUpResult> {
  const steps: LoadResult[] = [];
  let sustainedRate: number | null = null;
  for (let i = 0, rate = input.from; i < input.maxSteps; i++, rate *= 2) {
    const step = await runClickLoad({ ...input, rate });
    steps.push(step);
    const reason = brokenBecause(step);
    if (reason) return { steps, sustainedRate, brokeAt: rate, reason };
    sustainedRate = rate;
    await new Promise((r) => setTimeout(r, input.pauseMs));
  }
  return { steps, sustainedRate, brokeAt: null, reason: null };
}

export function brokenBecause(step: LoadResult): string | null {
  if (step.errors > 0) return `${step.errors} of ${step.sent} clicks unanswered within 3 s`;
  if (step.clickFailures > 0) return `${step.clickFailures} clicks could not be made`;
  if (step.latencyMs.p99 > 1000) return `p99 ${step.latencyMs.p99} ms > 1 s`;
  if (step.achievedRate < step.targetRate * 0.9) return `load generator reached only ${step.achievedRate}/s`;
  return null;
}

function roundSummary(s: LatencySummary): LatencySummary {
  return { count: s.count, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
}
