// CPU time and run-queue wait of the processes taking part in a load, read from /proc (Linux), so a figure can
// say where a click's cost went and how long its processes sat ready to run while another had the CPU.
// Off Linux every figure is undefined and left out.
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc/<pid>/stat (USER_HZ: 100 on every Linux build that matters). */
const TICKS_PER_SECOND = 100;

export interface ProcessTimes {
  /** user + system CPU ms, every thread */
  cpuMs: number;
  /** ms spent runnable but waiting for a CPU (schedstat), every thread */
  runQueueWaitMs: number;
}

/** Sums CPU and run-queue wait over the given processes; undefined when /proc cannot be read. */
export function processTimes(pids: readonly number[]): ProcessTimes | undefined {
  try {
    readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  let ticks = 0;
  let waitNs = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // after "pid (comm) ": utime and stime are fields 14 and 15 of the line
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        waitNs += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[1] ?? 0);
      }
    } catch {
      // the process (or a thread) exited meanwhile
    }
  }
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, runQueueWaitMs: waitNs / 1e6 };
}

/** Every process named `postgres` on this machine (the server and its backends): the bench's Postgres is local. */
export function postgresPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}
