/**
 * A throwaway PostgreSQL cluster for the benchmark and for tests that check generated data
 * against the real thing: initdb into a fresh temporary directory, postgres on a loopback port,
 * removed on stop. When run as root the server runs as the `postgres` user (PostgreSQL refuses
 * root). Binaries come from POSTGRES_BIN_DIR, else Debian's /usr/lib/postgresql/<version>/bin,
 * preferring version 15.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../test/support/server.js';

const DEBIAN_ROOT = '/usr/lib/postgresql';
const PREFERRED_VERSION = '15';
const START_TIMEOUT_MS = 30_000;

export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly binDir: string;
  /** The postmaster's process id (backends and workers are its children). */
  readonly pid: number;
  /** Sends a fast shutdown, waits for it and removes the cluster's files. */
  stop(): Promise<void>;
}

/** The directory holding initdb and postgres, or null when PostgreSQL is not installed. */
export function findPostgresBinDir(): string | null {
  const fromEnv = process.env['POSTGRES_BIN_DIR'];
  if (fromEnv) return existsSync(join(fromEnv, 'postgres')) ? fromEnv : null;
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT).filter((v) => existsSync(join(DEBIAN_ROOT, v, 'bin', 'postgres')));
  if (versions.length === 0) return null;
  const version = versions.includes(PREFERRED_VERSION)
    ? PREFERRED_VERSION
    : versions.sort((a, b) => Number(b) - Number(a))[0];
  return join(DEBIAN_ROOT, version as string, 'bin');
}

interface RunAs {
  uid?: number;
  gid?: number;
}

function postgresAccount(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function waitUntilReady(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}:\n${log()}`);
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections: ${String(error)}\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Starts a fresh cluster; `settings` become `-c name=value` server options. */
export async function startPostgresCluster(settings: Readonly<Record<string, string>> = {}): Promise<PostgresCluster> {
  const binDir = findPostgresBinDir();
  if (binDir === null) throw new Error('PostgreSQL is not installed (set POSTGRES_BIN_DIR to its bin directory)');
  const account = postgresAccount();
  const root = mkdtempSync(join(tmpdir(), 'eventide-pg-'));
  if (account.uid !== undefined) chownSync(root, account.uid, account.gid as number);
  const dataDir = join(root, 'data');
  const env = { ...process.env, LC_ALL: 'C', HOME: root };
  execFileSync(
    join(binDir, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { ...account, env, stdio: 'pipe' },
  );
  const port = await freePort();
  const options = Object.entries({ timezone: 'UTC', ...settings }).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const child = spawn(join(binDir, 'postgres'), ['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', root, ...options], {
    ...account,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const remove = () => rmSync(root, { recursive: true, force: true });
  try {
    await waitUntilReady(port, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    remove();
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    binDir,
    pid: child.pid as number,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
      remove();
    },
  };
}
