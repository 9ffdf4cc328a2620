import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { Database, emptyScanStats } from '../../../storage/database.js';
import { DbError } from '../../../storage/errors.js';
import { Types, type Value } from '../../../storage/types.js';
import { batchOf, column, removeTempDirs, rowsOf, scanRows, sortRows, tableDef, tempDataDir } from './helpers.js';
import { valueArbitrary } from './arbitraries.js';

afterAll(removeTempDirs);

const allTypes = tableDef(
  'all_types',
  [
    column('b', Types.bool),
    column('i2', Types.int2),
    column('i4', Types.int4),
    column('i8', Types.int8),
    column('f4', Types.float4),
    column('f8', Types.float8),
    column('n', Types.numeric),
    column('t', Types.text),
    column('v', Types.varchar),
    column('d', Types.date),
    column('ts', Types.timestamp),
    column('tz', Types.timestamptz),
    column('j', Types.jsonb),
  ],
  { partitionKey: 2, partitionCount: 3, sortKey: [10, 3] },
);

const rowArbitrary = fc.tuple(...allTypes.columns.map((c) => valueArbitrary(c.type))) as fc.Arbitrary<Value[]>;

/** Rows normalised through a vector (float4 rounding), as a scan must return them. */
function expectedRows(def: typeof allTypes, rows: Value[][]): Value[][] {
  return rowsOf(batchOf(def, rows));
}

/** Sort key for multiset comparison that tells -0 from 0 and NaN apart. */
function canonical(rows: Value[][]): string[] {
  return rows
    .map((r) => r.map((v) => (v === null ? 'N' : typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : JSON.stringify(String(v)))).join('|'))
    .sort();
}

describe('commit, snapshot, scan', () => {
  test('every type with NULLs round-trips through the tail, segments and a mix of both, and across restart', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir, { blockRows: 7 });
    const table = await db.createTable(allTypes);
    const batches = fc.sample(fc.array(rowArbitrary, { minLength: 1, maxLength: 40 }), { numRuns: 12, seed: 42 });
    const all: Value[][] = [];
    for (const [i, rows] of batches.entries()) {
      await db.commit([{ tableId: table.id, batch: batchOf(table, rows) }]);
      all.push(...expectedRows(allTypes, rows));
      expect(canonical(await scanRows(db.snapshot(table.id)))).toEqual(canonical(all));
      if (i % 4 === 1) await db.checkpoint(); // some rows in segments, later ones in the tail
    }
    expect(db.snapshot(table.id).rowCount).toBe(all.length);
    await db.close({ checkpoint: false });
    const reopened = await Database.open(dir, { blockRows: 7 });
    expect(canonical(await scanRows(reopened.snapshot(table.id)))).toEqual(canonical(all));
    await reopened.checkpoint();
    expect(reopened.pendingTailRows).toBe(0);
    expect(canonical(await scanRows(reopened.snapshot(table.id)))).toEqual(canonical(all));
    await reopened.close();
  });

  test('a snapshot keeps its view while later commits and a checkpoint happen', async () => {
    const db = await Database.open(tempDataDir());
    const def = tableDef('s', [column('x', Types.int4)], { partitionKey: 0, partitionCount: 4 });
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, [[1], [2], [3]]) }]);
    const before = db.snapshot(table.id);
    await db.commit([{ tableId: table.id, batch: batchOf(def, [[4], [5]]) }]);
    await db.checkpoint();
    await db.commit([{ tableId: table.id, batch: batchOf(def, [[6]]) }]);
    expect(before.rowCount).toBe(3);
    expect(sortRows(await scanRows(before))).toEqual([[1], [2], [3]]);
    expect(sortRows(await scanRows(db.snapshot(table.id)))).toEqual([[1], [2], [3], [4], [5], [6]]);
    await db.close();
  });

  test('one commit to several tables is visible as a whole', async () => {
    const db = await Database.open(tempDataDir());
    const a = await db.createTable(tableDef('a', [column('x', Types.int8)], { partitionKey: 0, partitionCount: 8 }));
    const b = await db.createTable(tableDef('b', [column('y', Types.text)]));
    const pending = db.commit([
      { tableId: a.id, batch: batchOf(a, Array.from({ length: 100 }, (_, i) => [BigInt(i)])) },
      { tableId: b.id, batch: batchOf(b, [['one'], ['two']]) },
    ]);
    // Not acknowledged yet: nothing visible.
    expect(db.snapshot(a.id).rowCount + db.snapshot(b.id).rowCount).toBe(0);
    await pending;
    expect(db.snapshot(a.id).rowCount).toBe(100);
    expect(db.snapshot(b.id).rowCount).toBe(2);
    await db.close();
  });

  test('rows are hash partitioned by key; scans can be limited to partitions', async () => {
    const db = await Database.open(tempDataDir());
    const def = tableDef('p', [column('user_id', Types.int8), column('n', Types.int4)], { partitionKey: 0, partitionCount: 4 });
    const table = await db.createTable(def);
    const rows = Array.from({ length: 400 }, (_, i) => [BigInt(i % 50), i]);
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows) }]);
    const seen = new Map<bigint, number>();
    let total = 0;
    for (let p = 0; p < 4; p++) {
      const part = await scanRows(db.snapshot(table.id), { partitions: [p] });
      total += part.length;
      for (const [user] of part) {
        const prior = seen.get(user as bigint);
        expect(prior === undefined || prior === p).toBe(true); // one key, one partition
        seen.set(user as bigint, p);
      }
    }
    expect(total).toBe(400);
    expect(new Set(seen.values()).size).toBeGreaterThan(1);
    await db.close();
  });

  test('batches respect batchRows and the requested column order', async () => {
    const db = await Database.open(tempDataDir(), { blockRows: 100 });
    const def = tableDef('c', [column('a', Types.int4), column('b', Types.text)]);
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, Array.from({ length: 250 }, (_, i) => [i, `s${i}`])) }]);
    await db.checkpoint();
    await db.commit([{ tableId: table.id, batch: batchOf(def, Array.from({ length: 50 }, (_, i) => [1000 + i, `t${i}`])) }]);
    const sizes: number[] = [];
    const stats = emptyScanStats();
    for await (const batch of db.snapshot(table.id).scan({ columns: [1, 0], batchRows: 30, stats })) {
      sizes.push(batch.length);
      expect(batch.columns.map((c) => c.type.id)).toEqual(['text', 'int4']);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(30);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
    expect(stats).toMatchObject({ segments: 1, blocks: 3, tailRows: 50, rowsRead: 300 });
    // No columns (count(*)): batches still carry the row counts.
    let counted = 0;
    for await (const batch of db.snapshot(table.id).scan({ columns: [] })) counted += batch.length;
    expect(counted).toBe(300);
    await db.close();
  });

  test('an aborted signal stops the scan with 57014', async () => {
    const db = await Database.open(tempDataDir());
    const def = tableDef('q', [column('a', Types.int4)]);
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, Array.from({ length: 100 }, (_, i) => [i])) }]);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = async () => {
      for await (const batch of db.snapshot(table.id).scan({ columns: [0], batchRows: 10, signal: controller.signal })) {
        seen.push(batch.length);
        if (seen.length === 2) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: '57014' });
    expect(seen.length).toBe(2);
    await db.close();
  });

  test('wrong table ids and batch shapes are refused', async () => {
    const db = await Database.open(tempDataDir());
    const def = tableDef('w', [column('a', Types.int4), column('b', Types.text)]);
    const table = await db.createTable(def);
    await expect(db.commit([{ tableId: 999, batch: batchOf(def, [[1, 'x']]) }])).rejects.toMatchObject({ code: '42P01' });
    const wrong = batchOf(tableDef('x', [column('a', Types.text), column('b', Types.text)]), [['1', 'x']]);
    await expect(db.commit([{ tableId: table.id, batch: wrong }])).rejects.toBeInstanceOf(DbError);
    expect(() => db.snapshot(999)).toThrow(DbError);
    await expect(db.createTable(def)).rejects.toMatchObject({ code: '42P07' });
    await db.close();
  });
});
