/**
 * Starts a throwaway PostgreSQL 15 on a loopback port, for recording what a real client gets from
 * the real thing. The cluster lives in a temporary directory and is removed on stop. PostgreSQL
 * refuses to run as root, so when we are root the cluster is owned by and run as `postgres`.
 *
 * The superuser is named `eventide` and a database `eventide` is created, so the same client
 * settings work against both servers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../support/server.js';

const binDirCandidates = [process.env.POSTGRES_BIN_DIR ?? '', '/usr/lib/postgresql/15/bin'];

export function postgresBinDir(): string | null {
  for (const dir of binDirCandidates) {
    if (dir !== '' && existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'initdb'))) return dir;
  }
  return null;
}

export interface RunningPostgres {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** When root, run as the `postgres` system user; otherwise as ourselves. */
function runAs(): RunAs {
  if (userInfo().uid !== 0) return {};
  const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root and no postgres user to run PostgreSQL as');
  return { uid, gid };
}

export async function startPostgres(): Promise<RunningPostgres> {
  const binDir = postgresBinDir();
  if (binDir === null) throw new Error('PostgreSQL 15 binaries not found (set POSTGRES_BIN_DIR)');
  const user = runAs();
  const root = mkdtempSync(join(tmpdir(), 'eventide-pg-'));
  const dataDir = join(root, 'data');
  if (user.uid !== undefined) {
    chownSync(root, user.uid, user.gid ?? user.uid);
    chmodSync(root, 0o700);
  }
  const init = spawnSync(
    join(binDir, 'initdb'),
    ['-D', dataDir, '-U', 'eventide', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...user, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
  const port = await freePort();
  const host = '127.0.0.1';
  const child: ChildProcess = spawn(
    join(binDir, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-h', host, '-k', root, '-c', 'fsync=off', '-c', 'TimeZone=UTC'],
    { ...user, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  await waitUntilAccepting(host, port, child, () => output);
  const admin = new pg.Client({ host, port, user: 'eventide', database: 'postgres' });
  await admin.connect();
  await admin.query('CREATE DATABASE eventide');
  await admin.end();
  return {
    host,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function waitUntilAccepting(host: string, port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited early:\n${output()}`);
    const probe = new pg.Client({ host, port, user: 'eventide', database: 'postgres' });
    try {
      await probe.connect();
      await probe.end();
      return;
    } catch {
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }
  throw new Error(`postgres did not accept connections within 30 s:\n${output()}`);
}
