// Resident memory of a process as the kernel counts it (/proc/<pid>/status, Linux): now, and its peak over the
// process's whole life (VmHWM, the high-water mark: every moment, not samples). Off Linux both are undefined.
import { readFileSync } from 'node:fs';

export interface ProcMemory {
  rssMb: number;
  peakRssMb: number;
}

export function procMemory(pid: number): ProcMemory | undefined {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** VmRSS and VmHWM of a /proc/<pid>/status text, in MB (one decimal); undefined when either is missing. */
export function parseStatus(status: string): ProcMemory | undefined {
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    return match ? Number(match[1]) : undefined;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  if (rss === undefined || hwm === undefined) return undefined;
  const mb = (k: number) => Math.round(k / 102.4) / 10;
  return { rssMb: mb(rss), peakRssMb: mb(hwm) };
}

/** Samples a process's RSS every `everyMs` until stopped; `stop()` gives the highest sample (MB), undefined without /proc. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number | undefined } {
  let peak: number | undefined;
  const take = () => {
    const m = procMemory(pid);
    if (m) peak = Math.max(peak ?? 0, m.rssMb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
