/**
 * Storage crash test: a child process commits numbered batches (two tables, several partitions,
 * concurrent committers, frequent checkpoints) and is SIGKILLed at random moments. After each
 * kill the database is reopened here and every acknowledged batch must be present in full, and
 * no batch may be partially present, in either table.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCrashChild } from '../support/crash-child-build.js';
import { Database } from '../../storage/database.js';
import { rowsInA } from '../support/storage-crash-workload.js';

/** The child runs as compiled JavaScript (built in beforeAll). */
let childPath = '';
const rounds = 6;

let dataDir = '';

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'eventide-storage-crash-'));
  childPath = buildCrashChild('storage-crash-child', 'storage-crash');
}, 120_000);

afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface RoundResult {
  readonly acked: number[];
  readonly stderr: string;
}

/** Runs the child until a random moment after it is ready, then SIGKILLs it. */
function crashRound(firstBatch: number, killAfterMs: number): Promise<RoundResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [childPath, dataDir, String(firstBatch), '8'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (timer === null && stdout.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        fail(new Error(`child exited with ${code ?? signal} before it was killed:\n${stderr}`));
        return;
      }
      const acked = [...stdout.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
      done({ acked, stderr });
    });
  });
}

/** Batch number -> rows found, per table. */
async function countBatches(db: Database, name: string): Promise<Map<number, number>> {
  const table = db.listTables().find((t) => t.name === name);
  const counts = new Map<number, number>();
  if (table === undefined) return counts;
  for await (const batch of db.snapshot(table.id).scan({ columns: [0] })) {
    const values = batch.columns[0]!.values as Int32Array;
    for (let i = 0; i < batch.length; i++) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1);
  }
  return counts;
}

describe('storage crash', () => {
  test(
    'every acknowledged batch survives SIGKILL in full; no batch is partially present',
    async () => {
      const mustExist = new Set<number>();
      let totalAcked = 0;
      for (let round = 0; round < rounds; round++) {
        const firstBatch = round * 1_000_000;
        const killAfterMs = 150 + Math.floor(Math.random() * 600);
        const { acked, stderr } = await crashRound(firstBatch, killAfterMs);
        expect(stderr).toBe('');
        for (const b of acked) mustExist.add(b);
        totalAcked += acked.length;
        console.log(`round ${round}: killed after ${killAfterMs} ms, ${acked.length} batches acknowledged`);

        const db = await Database.open(dataDir);
        const inA = await countBatches(db, 'a');
        const inB = await countBatches(db, 'b');
        for (const [batch, rows] of inA) expect(rows, `batch ${batch} in a`).toBe(rowsInA(batch));
        for (const [batch, rows] of inB) expect(rows, `batch ${batch} in b`).toBe(2);
        expect([...inA.keys()].sort()).toEqual([...inB.keys()].sort());
        const missing = [...mustExist].filter((b) => !inA.has(b));
        expect(missing, `acknowledged batches lost in round ${round}`).toEqual([]);
        // Alternate: sometimes leave the WAL for the next round, sometimes checkpoint on close.
        await db.close({ checkpoint: round % 2 === 1 });
      }
      expect(totalAcked).toBeGreaterThan(rounds * 10); // the child really did work before each kill
    },
    120_000,
  );
});
