// Clicks buttons at a steady rate through the stand-in and collects what members experienced. Each click is
// timed from when it was due, not from when it was sent (load-stats.ts): a generator that falls behind shows up
// as waiting, and says so.
import type { DiscordStandIn } from '../stand-in/index.js';
import { clicksDue, loadFigures, memberWaitMs, roundSummary, type Click, type LoadFigures } from './load-stats.js';
import { summarize, type LatencySummary } from './stats.js';

/** One message with answer buttons, and the members who may click it. */
export interface ClickTarget {
  messageId: string;
  customIds: string[];
  members: string[];
  /** next member to click (so a member answers each question once) */
  nextMember: number;
}

export interface LoadResult extends LoadFigures {
  seconds: number;
  /** answered, but not with the expected reply (e.g. an error message or "already answered") */
  unexpected: number;
  /** up to three distinct unexpected replies, shortened */
  unexpectedReplies: string[];
  /** the click itself could not be made (component gone, stand-in refused); counted as unanswered too */
  clickFailures: number;
  /** answered "thinking..." first; timed to the answer edited in */
  deferred: number;
  /** answered clicks only, from when each was actually sent to its answer (what a generator that times sends sees) */
  serviceMs: LatencySummary;
  /** acknowledged clicks, the stand-in's own clock: INTERACTION_CREATE sent -> callback received (1 ms steps; a deferral counts as the callback) */
  standInMs: LatencySummary;
}

export interface ClickLoadInput {
  discord: DiscordStandIn;
  targets: ClickTarget[];
  rate: number;
  durationMs: number;
  /** the reply a member should see */
  expectReply: (content: string) => boolean;
}

/** What one load run saw, before it is summarized (runs are merged afterwards: mergeRuns). */
export interface LoadRun {
  targetRate: number;
  startedAt: number;
  durationMs: number;
  clicks: Click[];
  unexpected: number;
  unexpectedReplies: string[];
  clickFailures: number;
  deferred: number;
  standIn: number[];
}

/** Interaction callback type 5: "thinking..." now, the answer edited in later. */
const DEFERRED_REPLY = 5;
/** How long a deferred answer may take to be edited in (Discord allows 15 minutes; the bot's own limit is far below). */
const ANSWER_EDIT_TIMEOUT_MS = 15_000;

/** Clicks at `rate` for `durationMs` and summarizes what members saw. */
export async function runClickLoad(input: ClickLoadInput): Promise<LoadResult> {
  return mergeRuns([await clickLoadRun(input)]);
}

/** Where the next run on a set of targets starts, so runs in turn spread clicks evenly (no member clicks a question twice). */
const cursors = new WeakMap<ClickTarget[], number>();

/** Like runClickLoad, keeping the samples. */
export async function clickLoadRun(input: ClickLoadInput): Promise<LoadRun> {
  const { discord, targets, rate, durationMs } = input;
  const clicks: Click[] = [];
  const standIn: number[] = [];
  let unexpected = 0;
  const unexpectedReplies = new Set<string>();
  let clickFailures = 0;
  let deferred = 0;
  const pending: Promise<void>[] = [];
  const startedAt = performance.now();
  const first = cursors.get(targets) ?? 0;
  const click = (i: number) => {
    const target = targets[(first + i) % targets.length]!;
    const userId = target.members[target.nextMember++ % target.members.length]!;
    const customId = target.customIds[Math.floor(Math.random() * target.customIds.length)]!;
    const record: Click = { scheduledAt: startedAt + (i * 1000) / rate, sentAt: performance.now(), answeredAt: null };
    clicks.push(record);
    pending.push(
      discord.clickButton({ userId, messageId: target.messageId, customId }).then(
        async (handle) => {
          if (handle.callbackType === null) return;
          standIn.push(handle.latencyMs ?? Number.NaN);
          let content = handle.original()?.content ?? '';
          if (handle.callbackType === DEFERRED_REPLY) {
            // "thinking..." first: the member has the answer when the bot edits it in (polled every 10 ms).
            deferred++;
            const edited = await handle.reply({ timeoutMs: ANSWER_EDIT_TIMEOUT_MS }).catch(() => undefined);
            if (!edited) return;
            content = edited.content;
          }
          record.answeredAt = performance.now();
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
  await new Promise<void>((resolve) => {
    let sent = 0;
    const send = () => {
      const elapsed = performance.now() - startedAt;
      const due = clicksDue(elapsed, rate, durationMs);
      while (sent < due) click(sent++);
      if (elapsed >= durationMs) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(send, 1);
    send();
  });
  cursors.set(targets, (first + clicks.length) % targets.length);
  await Promise.all(pending);
  return { targetRate: rate, startedAt, durationMs, clicks, unexpected, unexpectedReplies: [...unexpectedReplies], clickFailures, deferred, standIn };
}

/** One summary for runs at the same rate, their samples pooled (each run's clicks timed from its own schedule). */
export function mergeRuns(runs: readonly LoadRun[]): LoadResult {
  const sum = (pick: (r: LoadRun) => number) => runs.reduce((n, r) => n + pick(r), 0);
  const targetRate = runs[0]?.targetRate ?? 0;
  // Laid end to end: each run's clicks shifted so the runs follow one another, as if sent in one go.
  let offset = 0;
  const clicks: Click[] = [];
  for (const run of runs) {
    const shift = offset - run.startedAt;
    for (const c of run.clicks) clicks.push({ scheduledAt: c.scheduledAt + shift, sentAt: c.sentAt + shift, answeredAt: c.answeredAt === null ? null : c.answeredAt + shift });
    offset += Math.max(run.durationMs, run.clicks.reduce((last, c) => Math.max(last, c.sentAt - run.startedAt), 0));
  }
  const durationMs = sum((r) => r.durationMs);
  const figures = loadFigures(clicks, targetRate, 0, durationMs);
  return {
    ...figures,
    seconds: Math.round(durationMs / 100) / 10,
    unexpected: sum((r) => r.unexpected),
    unexpectedReplies: [...new Set(runs.flatMap((r) => r.unexpectedReplies))].slice(0, 3),
    clickFailures: sum((r) => r.clickFailures),
    deferred: sum((r) => r.deferred),
    serviceMs: roundSummary(summarize(clicks.flatMap((c) => (c.answeredAt === null ? [] : [c.answeredAt - c.sentAt])))),
    standInMs: roundSummary(summarize(runs.flatMap((r) => r.standIn))),
  };
}

/** Each click's wait from its scheduled time (unanswered as 3 s): a run's samples, for per-slice figures. */
export function waits(run: LoadRun): number[] {
  return run.clicks.map(memberWaitMs);
}

export interface StepUpResult {
  steps: LoadResult[];
  /** highest rate that held: no errors, p99 under 1 s, and the generator kept up */
  sustainedRate: number | null;
  brokeAt: number | null;
  reason: string | null;
}

/** Doubles the rate from `from` until a step fails (unanswered clicks, p99 over 1 s, or the generator fell behind). */
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
  if (step.unanswered > 0) return `${step.unanswered} of ${step.sent} clicks unanswered within 3 s`;
  if (step.waitMs.p99 > 1000) return `p99 ${step.waitMs.p99} ms > 1 s`;
  if (step.fellBehind) return `load generator reached only ${step.achievedRate}/s`;
  return null;
}
