import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks of /proc/<pid>/stat's CPU times (USER_HZ). */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name (which ends with the last ')'); null when gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The pids of a process's live children (the processes whose parent it is, from /proc, Linux). */
export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => {
      const fields = statFields(candidate);
      // state, then ppid; a zombie is no live child
      return fields !== null && fields[0] !== 'Z' && Number(fields[1]) === pid;
    });
}

/** A process and its descendants, the process first. */
export function processTree(pid: number): number[] {
  return [pid, ...childPids(pid).flatMap(processTree)];
}

/** CPU time of one process so far, ms (utime + stime of /proc/<pid>/stat); null if gone or not ours to read. */
export function processCpuMs(pid: number): number | null {
  const fields = statFields(pid);
  return fields === null ? null : ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** CPU time of a process and its live descendants (an api's cluster workers), ms; null when unreadable. */
export function processTreeCpuMs(pid: number): number | null {
  const own = processCpuMs(pid);
  if (own === null) return null;
  return processTree(pid)
    .slice(1)
    .reduce((sum, child) => sum + (processCpuMs(child) ?? 0), own);
}
