import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { Database } from '../../../storage/database.js';
import { partitionsOf } from '../../../storage/partition-hash.js';
import { Types, type Value } from '../../../storage/types.js';
import { dictionaryVector, makeBatch, vectorFromValues } from '../../../storage/vector.js';
import { FaultyFileSystem, errno } from './faulty-fs.js';
import { batchOf, column, removeTempDirs, scanRows, sortRows, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const def = tableDef('events', [column('id', Types.int4), column('name', Types.text)], { partitionKey: 0, partitionCount: 3, sortKey: [0] });
const rows = (from: number, n: number): Value[][] => Array.from({ length: n }, (_, i) => [from + i, `e${from + i}`]);
/** Small stage bounds, so a few thousand rows already spill to files. */
const limits = { stageRows: 1000, stageBytes: 1 << 30, smallLoadRows: 500 };

const segmentFiles = (dir: string, tableId: number, partitions = 3) =>
  Array.from({ length: partitions }, (_, p) => readdirSync(`${dir}/tables/${tableId}/p${p}`)).flat();
const manifestOf = (dir: string, tableId: number) =>
  (JSON.parse(readFileSync(`${dir}/tables/${tableId}/manifest.json`, 'utf8')) as { content: { flushedLsn: number; nextSegmentId: number; partitions: { segments: { file: string }[] }[] } }).content;

async function openWithTable(options: Parameters<typeof Database.open>[1] = {}) {
  const dir = tempDataDir();
  const db = await Database.open(dir, { flushIntervalMs: 0, bulkLoad: limits, ...options });
  const table = await db.createTable(def);
  return { dir, db, table };
}

describe('bulk load', () => {
  test('rows become visible all at once at commit, in the partitions commit() would use', async () => {
    const { dir, db, table } = await openWithTable();
    const load = db.bulkLoad(table.id);
    for (let i = 0; i < 10; i++) await load.append(batchOf(def, rows(i * 500, 500)));
    expect(load.filesWritten).toBeGreaterThan(0);
    expect(segmentFiles(dir, table.id).length).toBe(load.filesWritten); // written, unpublished
    expect(db.snapshot(table.id).rowCount).toBe(0);
    const before = db.snapshot(table.id);
    expect(await load.commit()).toBe(5000);
    expect(before.rowCount).toBe(0);
    expect(await scanRows(before)).toEqual([]);
    const after = db.snapshot(table.id);
    expect(sortRows(await scanRows(after))).toEqual(sortRows(rows(0, 5000)));
    for (let p = 0; p < 3; p++) {
      const inPartition = await scanRows(after, { partitions: [p], columns: [0] });
      const ids = inPartition.map((r) => r[0] as number);
      const expected = partitionsOf(vectorFromValues(Types.int4, ids), 3);
      expect(ids.length).toBeGreaterThan(1000);
      expect([...expected].every((q) => q === p)).toBe(true);
    }
    // Published without the WAL: nothing to replay, everything there after a restart.
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir);
    expect(reopened.recovery.replayedRows).toBe(0);
    expect(sortRows(await scanRows(reopened.snapshot(table.id)))).toEqual(sortRows(rows(0, 5000)));
    await reopened.close();
  });

  test('each written segment is sorted by the sort key', async () => {
    const { db, table } = await openWithTable();
    const load = db.bulkLoad(table.id);
    await load.append(batchOf(def, rows(0, 3000).reverse()));
    await load.commit();
    const snapshot = db.snapshot(table.id);
    for (const part of snapshot.split!().partitions) {
      for (const segment of part.segments) {
        const ids = (await scanRows(snapshot.split!().view([segment]), { columns: [0] })).map((r) => r[0] as number);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
      }
    }
    await db.close();
  });

  test('abort removes the staged files and nothing is ever visible', async () => {
    const { dir, db, table } = await openWithTable();
    const load = db.bulkLoad(table.id);
    for (let i = 0; i < 5; i++) await load.append(batchOf(def, rows(i * 1000, 1000)));
    expect(segmentFiles(dir, table.id).length).toBeGreaterThan(0);
    await load.abort();
    expect(segmentFiles(dir, table.id)).toEqual([]);
    expect(db.snapshot(table.id).rowCount).toBe(0);
    await expect(load.append(batchOf(def, rows(0, 1)))).rejects.toMatchObject({ code: '55000' });
    await expect(load.commit()).rejects.toMatchObject({ code: '55000' });
    await db.close();
    const reopened = await Database.open(dir);
    expect(reopened.snapshot(table.id).rowCount).toBe(0);
    await reopened.close();
  });

  test('a small load goes through the WAL and makes no segment file', async () => {
    const { dir, db, table } = await openWithTable();
    const load = db.bulkLoad(table.id);
    await load.append(batchOf(def, rows(0, 200)));
    await load.append(batchOf(def, rows(200, 200)));
    expect(await load.commit()).toBe(400);
    expect(db.snapshot(table.id).rowCount).toBe(400);
    expect(db.pendingTailRows).toBe(400);
    expect(segmentFiles(dir, table.id)).toEqual([]);
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir);
    expect(reopened.recovery.replayedRows).toBe(400);
    expect(sortRows(await scanRows(reopened.snapshot(table.id)))).toEqual(sortRows(rows(0, 400)));
    await reopened.close();
  });

  test('files of a load that never committed are deleted at startup', async () => {
    const { dir, db, table } = await openWithTable();
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(-10, 10)) }]);
    const load = db.bulkLoad(table.id);
    for (let i = 0; i < 3; i++) await load.append(batchOf(def, rows(i * 1000, 1000)));
    const staged = segmentFiles(dir, table.id);
    expect(staged.length).toBeGreaterThan(0);
    await db.close(); // as if the process died: the load is neither committed nor aborted
    const published = manifestOf(dir, table.id).partitions.flatMap((p) => p.segments.map((s) => s.file));
    expect(staged.some((f) => published.includes(f))).toBe(false);
    const reopened = await Database.open(dir);
    expect(segmentFiles(dir, table.id).sort()).toEqual([...published].sort());
    expect(sortRows(await scanRows(reopened.snapshot(table.id)))).toEqual(sortRows(rows(-10, 10)));
    await reopened.close();
  });

  test('dropping the table during a load fails its commit with 42P01 and removes its files', async () => {
    const { dir, db, table } = await openWithTable();
    const load = db.bulkLoad(table.id);
    await load.append(batchOf(def, rows(0, 3000)));
    await db.dropTable(table.id);
    await expect(load.append(batchOf(def, rows(0, 10)))).rejects.toMatchObject({ code: '42P01' });
    await expect(load.commit()).rejects.toMatchObject({ code: '42P01' });
    await load.abort();
    expect(existsSync(`${dir}/tables/${table.id}`)).toBe(false);
    await db.close();
  });

  test('a drop between the last append and the commit is reported by commit', async () => {
    const { dir, db, table } = await openWithTable();
    const load = db.bulkLoad(table.id);
    await load.append(batchOf(def, rows(0, 3000)));
    await load.append(batchOf(def, rows(3000, 10)));
    const dropped = db.dropTable(table.id);
    await expect(load.commit()).rejects.toMatchObject({ code: '42P01' });
    await dropped;
    expect(existsSync(`${dir}/tables/${table.id}`)).toBe(false);
    await db.close();
  });

  test('loads interleave with commits and checkpoints: flushedLsn and segment ids stay consistent', async () => {
    const { dir, db, table } = await openWithTable({ flushRowThreshold: 700 });
    const load = db.bulkLoad(table.id);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 8; i++) {
      await load.append(batchOf(def, rows(i * 1000, 1000)));
      work.push(db.commit([{ tableId: table.id, batch: batchOf(def, rows(100_000 + i * 300, 300)) }]));
      if (i % 3 === 0) work.push(db.checkpoint());
    }
    await Promise.all(work);
    const flushedBefore = manifestOf(dir, table.id).flushedLsn;
    const committed = load.commit();
    const checkpoint = db.checkpoint();
    await committed;
    await checkpoint;
    const expected = sortRows([...rows(0, 8000), ...Array.from({ length: 8 }, (_, i) => rows(100_000 + i * 300, 300)).flat()]);
    expect(sortRows(await scanRows(db.snapshot(table.id)))).toEqual(expected);
    const manifest = manifestOf(dir, table.id);
    expect(manifest.flushedLsn).toBeGreaterThanOrEqual(flushedBefore);
    const files = manifest.partitions.flatMap((p) => p.segments.map((s) => s.file));
    expect(new Set(files).size).toBe(files.length);
    expect(Math.max(...files.map((f) => Number(f.slice(0, 8))))).toBeLessThan(manifest.nextSegmentId);
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(200_000, 5)) }]);
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir);
    expect(reopened.recovery.replayedRows).toBe(5);
    expect(sortRows(await scanRows(reopened.snapshot(table.id)))).toEqual(sortRows([...expected, ...rows(200_000, 5)]));
    await reopened.close();
  });

  test('a bulk publish leaves flushedLsn alone: WAL rows not yet flushed are replayed', async () => {
    const { dir, db, table } = await openWithTable();
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(-100, 100)) }]);
    const load = db.bulkLoad(table.id);
    await load.append(batchOf(def, rows(0, 2000)));
    await load.commit();
    expect(manifestOf(dir, table.id).flushedLsn).toBe(0);
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir);
    expect(reopened.recovery.replayedRows).toBe(100);
    expect(reopened.snapshot(table.id).rowCount).toBe(2100);
    await reopened.close();
  });

  test('without a partition key, whole batches go to partitions in turn', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir, { flushIntervalMs: 0, bulkLoad: limits });
    const plain = await db.createTable({ ...def, name: 'plain', partitionKey: null });
    const load = db.bulkLoad(plain.id);
    for (let i = 0; i < 6; i++) await load.append(batchOf(def, rows(i * 400, 400)));
    await load.commit();
    const snapshot = db.snapshot(plain.id);
    for (let p = 0; p < 3; p++) {
      const ids = (await scanRows(snapshot, { partitions: [p], columns: [0] })).map((r) => Math.floor((r[0] as number) / 400)).sort();
      expect(ids.length).toBe(800);
      expect(new Set(ids)).toEqual(new Set([p, p + 3]));
    }
    await db.close();
  });

  test('a failed segment write fails the load; abort cleans up; the database keeps working', async () => {
    const fs = new FaultyFileSystem();
    const { dir, db, table } = await openWithTable({ fileSystem: fs });
    const load = db.bulkLoad(table.id);
    await load.append(batchOf(def, rows(0, 1000)));
    fs.rule = (operation, path) => (operation === 'sync' && path.endsWith('.seg.tmp') ? errno('EIO', 'i/o error') : null);
    await expect(load.append(batchOf(def, rows(1000, 1000)))).rejects.toMatchObject({ code: '58030' });
    fs.rule = null;
    await expect(load.commit()).rejects.toMatchObject({ code: '58030' });
    await load.abort();
    expect(segmentFiles(dir, table.id)).toEqual([]);
    expect(db.snapshot(table.id).rowCount).toBe(0);
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows(0, 10)) }]);
    expect(db.snapshot(table.id).rowCount).toBe(10);
    await db.close();
  });

  test('a failed manifest write publishes nothing in memory', async () => {
    const fs = new FaultyFileSystem();
    const { db, table } = await openWithTable({ fileSystem: fs });
    const load = db.bulkLoad(table.id);
    await load.append(batchOf(def, rows(0, 3000)));
    fs.rule = (operation, path) => (operation === 'sync' && path.endsWith('manifest.json.tmp') ? errno('ENOSPC', 'full') : null);
    await expect(load.commit()).rejects.toMatchObject({ code: '53100' });
    fs.rule = null;
    expect(db.snapshot(table.id).rowCount).toBe(0);
    await db.close();
  });

  test('dictionary-coded strings count once per entry against the stage bound, and load intact', async () => {
    const { db, table } = await openWithTable({ bulkLoad: { stageRows: 1 << 30, stageBytes: 200_000, smallLoadRows: 0 } });
    const long = ['a'.repeat(1000), 'b'.repeat(1000)];
    const ids = Array.from({ length: 1000 }, (_, i) => i);
    const codes = Int32Array.from(ids, (i) => i % 2);
    const coded = makeBatch([vectorFromValues(Types.int4, ids), dictionaryVector(Types.text, null, long, codes)]);
    const dictionaryLoad = db.bulkLoad(table.id);
    await dictionaryLoad.append(coded);
    expect(dictionaryLoad.filesWritten).toBe(0); // ~20 KB estimated
    const plainLoad = db.bulkLoad(table.id);
    await plainLoad.append(batchOf(def, ids.map((i) => [i, long[i % 2]!])));
    expect(plainLoad.filesWritten).toBeGreaterThan(0); // ~2 MB estimated
    await plainLoad.abort();
    await dictionaryLoad.commit();
    expect(sortRows(await scanRows(db.snapshot(table.id)))).toEqual(sortRows(ids.map((i) => [i, long[i % 2]!])));
    await db.close();
  });

  test('a batch whose columns do not match the table is refused', async () => {
    const { db, table } = await openWithTable();
    const load = db.bulkLoad(table.id);
    await expect(load.append({ length: 1, columns: [vectorFromValues(Types.int4, [1])], selection: null })).rejects.toMatchObject({ code: 'XX000' });
    await load.abort();
    await db.close();
  });
});
