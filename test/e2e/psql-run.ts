/**
 * Runs the real psql against a server: whole scripts (-f, -c) and a session fed through stdin one
 * statement at a time. Output is normalized only where it cannot be compared: elapsed times of
 * \timing, and the LOCATION lines of verbose errors (PostgreSQL's own C source positions).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';

export function findPsql(): string | null {
  const candidates = [process.env.PSQL ?? '', '/usr/lib/postgresql/15/bin/psql', 'psql'];
  for (const candidate of candidates) {
    if (candidate === '') continue;
    if (candidate.includes('/') && !existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

export interface PsqlResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PsqlTarget {
  readonly host: string;
  readonly port: number;
}

export function connectionArgs(target: PsqlTarget): string[] {
  return ['-X', '-h', target.host, '-p', String(target.port), '-U', 'eventide', '-d', 'eventide'];
}

/** psql's environment: nothing from the caller's PG* variables, a fixed locale. */
function psqlEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  return { ...env, LC_ALL: 'C.UTF-8', PAGER: '', PSQL_PAGER: '' };
}

export function startPsql(psql: string, args: readonly string[], cwd?: string): ChildProcessWithoutNullStreams {
  return spawn(psql, [...args], { env: psqlEnv(), cwd, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function runPsql(psql: string, args: readonly string[], options: { input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<PsqlResult> {
  const child = startPsql(psql, args, options.cwd);
  return collect(child, options.input ?? '', options.timeoutMs ?? 30_000);
}

export function collect(child: ChildProcessWithoutNullStreams, input: string, timeoutMs: number): Promise<PsqlResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolveRun, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`psql did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (status, signal) => {
      clearTimeout(timer);
      // Let the pipes drain: exit may come before the last data events.
      setImmediate(() => resolveRun({ status, signal, stdout, stderr }));
    });
  });
}

export function normalizePsql(output: string): string {
  return output
    .split('\n')
    .filter((line) => !line.startsWith('LOCATION:  '))
    .map((line) => line.replace(/^Time: \d+\.\d{3} ms( \(.*\))?$/, 'Time: <elapsed>'))
    .join('\n');
}
