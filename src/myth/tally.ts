// The numbers a reveal shows, rounded honestly: a share is never shown as none or all unless it is exactly so.

/**
 * `part` of `total` on a scale of `scale`, rounded; 0 when nobody counted. Any non-zero share stays above 0 and
 * any share short of everything stays below `scale`, so 1 of 30 and 29 of 30 never look like none or all.
 */
export function honestShare(part: number, total: number, scale: number): number {
  if (total <= 0) return 0;
  const value = Math.round((part / total) * scale);
  if (part > 0 && value === 0) return 1;
  if (part < total && value === scale) return scale - 1;
  return value;
}

/** A whole-number percentage by the same rule; null before anyone voted. */
export function percent(part: number, total: number): number | null {
  return total <= 0 ? null : honestShare(part, total, 100);
}
