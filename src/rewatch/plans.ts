// Looking up rewatch plans and their episodes by id or code.
import type { Episode, RewatchPlan } from '../content/index.js';
import type { Weekday, WeeklySlot } from '../time/schedule-time.js';

export function findPlan(plans: readonly RewatchPlan[], planId: string): RewatchPlan | undefined {
  return plans.find((p) => p.id === planId);
}

export function episodeIndexInPlan(plan: RewatchPlan, code: string): number {
  const wanted = code.trim().toLowerCase();
  return plan.episodes.findIndex((e) => e.code.toLowerCase() === wanted);
}

export function episodeAt(plan: RewatchPlan, index: number): Episode | undefined {
  return plan.episodes[index];
}

/** The weekly slot a stored schedule runs on. */
export function slotOf(schedule: { weekday: number; hour: number; minute: number; timeZone: string }): WeeklySlot {
  return { weekday: schedule.weekday as Weekday, hour: schedule.hour, minute: schedule.minute, timeZone: schedule.timeZone };
}
