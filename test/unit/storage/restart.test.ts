import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { Database } from '../../../storage/database.js';
import { Types } from '../../../storage/types.js';
import { batchOf, column, removeTempDirs, scanRows, sortRows, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const def = tableDef('events', [column('id', Types.int4), column('name', Types.text)], { partitionKey: 0, partitionCount: 3, sortKey: [0] });
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => [from + i, `e${from + i}`]);
const walBytes = (dir: string) => readdirSync(`${dir}/wal`).filter((f) => f.endsWith('.wal')).map((f) => statSync(`${dir}/wal/${f}`).size);

describe('restart', () => {
  test('close without checkpoint: rows come back from the WAL', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir);
    const table = await db.createTable(def);
    for (let i = 0; i < 5; i++) await db.commit([{ tableId: table.id, batch: batchOf(def, rows(i * 10, 10)) }]);
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir);
    expect(reopened.recovery).toEqual({ replayedRecords: 5, replayedRows: 50 });
    expect(reopened.listTables().map((t) => t.name)).toEqual(['events']);
    expect(sortRows(await scanRows(reopened.snapshot(table.id)))).toEqual(sortRows(rows(0, 50)));
    // Appending continues after the replayed records.
    await reopened.commit([{ tableId: table.id, batch: batchOf(def, rows(50, 5)) }]);
    await reopened.close({ checkpoint: false });
    const third = await Database.open(dir);
    expect(third.recovery.replayedRows).toBe(55);
    await third.close();
  });

  test('after a checkpoint rows come from segments and the WAL files are gone', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir);
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(0, 100)) }]);
    expect(walBytes(dir).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await db.checkpoint();
    expect(walBytes(dir)).toEqual([0]); // only the fresh, empty current file
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(100, 10)) }]);
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir);
    expect(reopened.recovery.replayedRows).toBe(10); // only what came after the checkpoint
    expect(sortRows(await scanRows(reopened.snapshot(table.id)))).toEqual(sortRows(rows(0, 110)));
    const segments = [0, 1, 2].flatMap((p) => readdirSync(`${dir}/tables/${table.id}/p${p}`));
    expect(segments.every((f) => /^\d{8}\.seg$/.test(f))).toBe(true);
    expect(segments.length).toBeGreaterThan(0);
    await reopened.close();
    const last = await Database.open(dir);
    expect(last.recovery.replayedRows).toBe(0);
    expect(last.snapshot(table.id).rowCount).toBe(110);
    await last.close();
  });

  test('a checkpoint sorts each segment by the sort key', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir);
    const table = await db.createTable({ ...def, partitionCount: 1, partitionKey: null });
    await db.commit([{ tableId: table.id, batch: batchOf(def, [[3, 'c'], [1, 'a'], [null, 'n'], [2, 'b']]) }]);
    await db.checkpoint();
    expect(await scanRows(db.snapshot(table.id))).toEqual([[1, 'a'], [2, 'b'], [3, 'c'], [null, 'n']]);
    await db.close();
  });

  test('a dropped table is gone for good and its id is never reused', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir);
    const a = await db.createTable(def);
    const b = await db.createTable({ ...def, name: 'other' });
    await db.commit([
      { tableId: a.id, batch: batchOf(def, rows(0, 10)) },
      { tableId: b.id, batch: batchOf(def, rows(0, 3)) },
    ]);
    await db.checkpoint();
    await db.commit([{ tableId: a.id, batch: batchOf(def, rows(10, 10)) }]);
    await db.dropTable(a.id);
    expect(existsSync(`${dir}/tables/${a.id}`)).toBe(false);
    expect(db.getTable(a.id)).toBeUndefined();
    await expect(db.commit([{ tableId: a.id, batch: batchOf(def, rows(0, 1)) }])).rejects.toMatchObject({ code: '42P01' });
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir);
    expect(reopened.listTables().map((t) => t.id)).toEqual([b.id]);
    const c = await reopened.createTable({ ...def, name: 'events' });
    expect(c.id).toBeGreaterThan(b.id);
    expect(reopened.snapshot(c.id).rowCount).toBe(0); // a's WAL records do not leak into c
    expect(reopened.snapshot(b.id).rowCount).toBe(3);
    await reopened.close();
  });

  test('leftovers of an interrupted flush or create are removed at startup', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir);
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(0, 10)) }]);
    await db.close({ checkpoint: false });
    writeFileSync(`${dir}/tables/${table.id}/p0/00000042.seg`, 'half a segment');
    writeFileSync(`${dir}/tables/${table.id}/p1/00000043.seg.tmp`, 'x');
    writeFileSync(`${dir}/tables/${table.id}/manifest.json.tmp`, 'x');
    writeFileSync(`${dir}/catalog.json.tmp`, 'x');
    // The directory of a create that never reached the catalog.
    mkdirSync(`${dir}/tables/999/p0`, { recursive: true });
    const reopened = await Database.open(dir);
    expect(readdirSync(`${dir}/tables/${table.id}/p0`)).toEqual([]);
    expect(readdirSync(`${dir}/tables/${table.id}/p1`)).toEqual([]);
    expect(existsSync(`${dir}/tables/${table.id}/manifest.json.tmp`)).toBe(false);
    expect(existsSync(`${dir}/tables/999`)).toBe(false);
    expect(reopened.snapshot(table.id).rowCount).toBe(10);
    await reopened.close();
  });

  test('a second open of a live data directory is refused; a stale lock is taken over', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir);
    await expect(Database.open(dir)).rejects.toMatchObject({ code: '55006' });
    await db.close();
    // A lock held by another live process.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${dir}/eventide.lock`, `${other.pid}\n`);
      await expect(Database.open(dir)).rejects.toMatchObject({ code: '55006', message: expect.stringContaining(String(other.pid)) });
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    // Its owner is gone now: the stale lock is taken over.
    writeFileSync(`${dir}/eventide.lock`, `${other.pid}\n`);
    const again = await Database.open(dir);
    await again.close();
    expect(existsSync(`${dir}/eventide.lock`)).toBe(false);
  });

  test('background checkpoints run past the row threshold and on the interval', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir, { flushRowThreshold: 100, flushIntervalMs: 60_000 });
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(0, 150)) }]);
    await waitFor(() => db.pendingTailRows === 0);
    expect(db.snapshot(table.id).rowCount).toBe(150);
    await db.close();

    const timed = await Database.open(dir, { flushIntervalMs: 50 });
    await timed.commit([{ tableId: table.id, batch: batchOf(def, rows(150, 5)) }]);
    expect(timed.pendingTailRows).toBe(5);
    await waitFor(() => timed.pendingTailRows === 0);
    expect(timed.snapshot(table.id).rowCount).toBe(155);
    await timed.close();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
