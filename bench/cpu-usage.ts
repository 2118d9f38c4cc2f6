// CPU time spent by each process taking part in a load, so a figure can say where a click's cost went.
// Linux only for Postgres (it reads /proc); elsewhere the Postgres figure is left out.
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc/<pid>/stat (USER_HZ: 100 on every Linux build that matters). */
const TICKS_PER_SECOND = 100;

/** CPU ms (user + system) used so far by every process named `postgres` on this machine; undefined when /proc is not there. */
export function postgresCpuMs(): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    // after "pid (comm)": state is field 3; utime and stime are fields 14 and 15
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU ms (user + system) used so far by this process. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
