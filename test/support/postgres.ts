/**
 * Starts a throwaway PostgreSQL 15 (Debian's package) for tests and tools that compare Eventide
 * with the real thing: initdb into a temporary directory, one postmaster on a loopback port, fsync
 * off (the data is discarded), TimeZone UTC and the C locale so output is the same on every
 * machine. As root, PostgreSQL refuses to run, so initdb and the server run as the `postgres` OS
 * user and the directory is handed to it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.js';

/** Debian's location of the PostgreSQL 15 server binaries; POSTGRES_BIN_DIR overrides it. */
export const defaultPostgresBinDir = '/usr/lib/postgresql/15/bin';

export interface RunningPostgres {
  readonly host: string;
  readonly port: number;
  /** The superuser created by initdb. */
  readonly user: string;
  /** The database that always exists (create others per test for isolation). */
  readonly database: string;
  /** Everything the postmaster wrote so far (its log). */
  output(): string;
  /** Fast shutdown, then the data directory is removed. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  binDir?: string;
  port?: number;
  /** Extra `-c name=value` settings for the postmaster. */
  settings?: Record<string, string>;
  timeoutMs?: number;
}

const superuser = 'postgres';

interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

/** The user PostgreSQL runs as: ourselves, or the `postgres` OS user when we are root. */
function runAsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root, but there is no `postgres` OS user to run PostgreSQL as');
  }
}

export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const binDir = options.binDir ?? process.env['POSTGRES_BIN_DIR'] ?? defaultPostgresBinDir;
  for (const tool of ['initdb', 'postgres']) {
    if (!existsSync(join(binDir, tool))) {
      throw new Error(`${join(binDir, tool)} not found: install PostgreSQL 15 (postgresql-15) or set POSTGRES_BIN_DIR`);
    }
  }
  const user = runAsUser();
  const dir = mkdtempSync(join(tmpdir(), 'eventide-pg-'));
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  const ids = user === undefined ? {} : { uid: user.uid, gid: user.gid };
  try {
    execFileSync(
      join(binDir, 'initdb'),
      ['-D', dataDir, '-U', superuser, '--auth=trust', '--locale=C', '-E', 'UTF8', '--no-sync'],
      { ...ids, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed: ${stderr || String(error)}`);
  }

  const port = options.port ?? (await freePort());
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    TimeZone: 'UTC',
    log_timezone: 'UTC',
    DateStyle: 'ISO, MDY',
    lc_messages: 'C',
    max_connections: '40',
    shared_buffers: '64MB',
    ...options.settings,
  };
  const args = ['-D', dataDir, '-p', String(port)];
  for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
  const child = spawn(join(binDir, 'postgres'), args, {
    ...ids,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });
  let output = '';
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const cleanup = async () => {
    await stopProcess(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForReady(child, options.timeoutMs ?? 30_000, (chunk) => (output += chunk), () => output);
  } catch (error) {
    await cleanup();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    user: superuser,
    database: 'postgres',
    output: () => output,
    stop: () => (stopped ??= cleanup()),
  };
}

function waitForReady(
  child: ChildProcess,
  timeoutMs: number,
  append: (chunk: string) => void,
  output: () => string,
): Promise<void> {
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgres did not start within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      append(chunk.toString());
      if (output().includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited (code ${code}, signal ${signal}) before it was ready:\n${output()}`));
    });
  });
}

/** SIGINT is PostgreSQL's fast shutdown: it aborts sessions and exits without a long checkpoint. */
async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** node-postgres connection settings for a running PostgreSQL. */
export function postgresClientConfig(pg: RunningPostgres, database = pg.database) {
  return { host: pg.host, port: pg.port, user: pg.user, database };
}
