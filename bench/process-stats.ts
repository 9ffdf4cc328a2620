/**
 * What a peer's processes use, read from Linux's /proc: resident memory (VmRSS), the kernel's
 * peak of it (VmHWM), proportional memory (Pss, which splits shared pages such as PostgreSQL's
 * shared buffers between the processes mapping them, so a sum over processes counts them once)
 * and CPU time of all threads. Elsewhere the readers return null and the report leaves blanks.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** USER_HZ: the unit of the times in /proc/<pid>/stat; 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface StatusMemory {
  readonly rssBytes: number | null;
  readonly peakBytes: number | null;
}

function kilobyteField(text: string, field: string): number | null {
  const match = new RegExp(`^${field}:\\s*(\\d+)\\s*kB`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

/** VmRSS and VmHWM of /proc/<pid>/status text. */
export function parseProcStatus(text: string): StatusMemory {
  return { rssBytes: kilobyteField(text, 'VmRSS'), peakBytes: kilobyteField(text, 'VmHWM') };
}

/** Pss of /proc/<pid>/smaps_rollup text. */
export function parseSmapsRollupPss(text: string): number | null {
  return kilobyteField(text, 'Pss');
}

export interface ProcStat {
  readonly parentPid: number;
  /** utime + stime of the process (all its threads). */
  readonly cpuSeconds: number;
  /** cutime + cstime: children waited for (e.g. PostgreSQL's finished parallel workers). */
  readonly childrenCpuSeconds: number;
}

/** /proc/<pid>/stat text; the command name may hold spaces and parentheses, so fields count from the last ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const end = text.lastIndexOf(')');
  if (end < 0) return null;
  // After ')': state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17), numbered as in proc(5).
  const fields = text.slice(end + 2).trim().split(/\s+/);
  const field = (n: number) => Number(fields[n - 3]);
  const values = [field(4), field(14), field(15), field(16), field(17)];
  if (values.some((v) => !Number.isFinite(v))) return null;
  const [parentPid, utime, stime, cutime, cstime] = values as [number, number, number, number, number];
  return { parentPid, cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND, childrenCpuSeconds: (cutime + cstime) / CLOCK_TICKS_PER_SECOND };
}

function readProc(pid: number, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return null;
  }
}

export function readStatusMemory(pid: number): StatusMemory {
  const text = readProc(pid, 'status');
  return text === null ? { rssBytes: null, peakBytes: null } : parseProcStatus(text);
}

export function readPss(pid: number): number | null {
  const text = readProc(pid, 'smaps_rollup');
  return text === null ? null : parseSmapsRollupPss(text);
}

export function readProcStat(pid: number): ProcStat | null {
  const text = readProc(pid, 'stat');
  return text === null ? null : parseProcStat(text);
}

/** Resets the kernel's VmHWM of a process to its current RSS; false where not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Live children of a process (one level: PostgreSQL's backends and workers are the postmaster's). */
export function childPids(parentPid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (readProcStat(pid)?.parentPid === parentPid) children.push(pid);
  }
  return children;
}
