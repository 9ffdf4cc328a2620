/**
 * Where Eventide's server spends its CPU: with --profile DIR the server runs under node's
 * --cpu-prof (one .cpuprofile per thread, written when it exits, kept in DIR for DevTools), and
 * the report lists the self time by source file and by function over every thread, as shares
 * of the time not idle. Run it with --only one workload to see that workload alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame }[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface ProfileEntry {
  readonly name: string;
  readonly ms: number;
}

export interface ProfileSummary {
  readonly directory: string;
  readonly threads: number;
  /** Sampled time not idle, over all threads. */
  readonly busyMs: number;
  readonly byFile: readonly ProfileEntry[];
  readonly byFunction: readonly ProfileEntry[];
}

const TOP_ENTRIES = 15;
/** V8's pseudo-frames for a thread with nothing to do. */
const IDLE_FRAMES = new Set(['(idle)']);

/** A source file as the repository names it ('src/sql/engine.ts'), else node's own or V8's label. */
function fileOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length).replace(/\.js$/, '.ts');
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 1).split('/').slice(0, url.includes('/node_modules/@') ? 3 : 2).join('/');
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '');
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function top(map: Map<string, number>): ProfileEntry[] {
  return [...map.entries()]
    .map(([name, ms]) => ({ name, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, TOP_ENTRIES);
}

/** Sums the .cpuprofile files of `directory`; null when there are none. */
export function summarizeProfiles(directory: string): ProfileSummary | null {
  const files = readdirSync(directory).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return null;
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busyMs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile;
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const frame = frames.get(samples[i] as number);
      // Each delta is the time up to its sample: it is charged to the frame sampled there.
      const ms = Math.max(0, deltas[i] ?? 0) / 1000;
      if (frame === undefined || IDLE_FRAMES.has(frame.functionName)) continue;
      busyMs += ms;
      const where = fileOf(frame);
      add(byFile, where, ms);
      add(byFunction, `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`, ms);
    }
  }
  return { directory, threads: files.length, busyMs, byFile: top(byFile), byFunction: top(byFunction) };
}

/** Markdown lines of the summary. */
export function profileSection(summary: ProfileSummary | null): string[] {
  if (summary === null) return [];
  const share = (ms: number) => `${((100 * ms) / Math.max(summary.busyMs, 1e-9)).toFixed(1)} %`;
  return [
    '',
    '## Eventide server CPU profile',
    '',
    `node --cpu-prof over the whole Eventide run, ${summary.threads} threads, ${(summary.busyMs / 1000).toFixed(1)} s of CPU sampled (not idle); ` +
      `self time as a share of it. The .cpuprofile files are kept in ${summary.directory} (open them in Chrome DevTools).`,
    '',
    '| source file | self time |',
    '| --- | --- |',
    ...summary.byFile.map((e) => `| ${e.name} | ${share(e.ms)} |`),
    '',
    '| function | self time |',
    '| --- | --- |',
    ...summary.byFunction.map((e) => `| ${e.name.replaceAll('|', '\\|')} | ${share(e.ms)} |`),
  ];
}
