import { afterAll, describe, expect, test } from 'vitest';
import { Database, emptyScanStats } from '../../../storage/database.js';
import { maxLateBuckets, minLateBucketRows, timeBuckets } from '../../../storage/time-buckets.js';
import { Types, type Value } from '../../../storage/types.js';
import { vectorFromValues } from '../../../storage/vector.js';
import { batchOf, column, removeTempDirs, scanRows, sortRows, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const dayUs = 86_400e6;
const today = 19_500 * dayUs; // midnight UTC of some day in 2023
const def = tableDef('events', [column('t', Types.timestamptz), column('id', Types.int4)], { sortKey: [0] });

/** Rows spread over the first hours of `today`, plus `late` rows per given day offset. */
function eventRows(onTime: number, lateDays: readonly number[], late: number): Value[][] {
  const out: Value[][] = [];
  for (let i = 0; i < onTime; i++) out.push([today + i * 10e6, i]);
  for (const d of lateDays) for (let i = 0; i < late; i++) out.push([today - d * dayUs + i * 1e6, 100_000 + d * 1000 + i]);
  return out.sort(() => Math.random() - 0.5);
}

async function scanDay(db: Database, tableId: number, from: number, to: number | null) {
  const stats = emptyScanStats();
  const ranges = [{ column: 0, lower: { value: from, inclusive: true }, ...(to === null ? {} : { upper: { value: to, inclusive: false } }) }];
  const rows = (await scanRows(db.snapshot(tableId), { ranges, stats })).filter((r) => (r[0] as number) >= from && (to === null || (r[0] as number) < to));
  return { rows, stats };
}

describe('late events get segments of their own', () => {
  test.each(['flush', 'bulk load'])('%s: old days are skipped by recent ranges and found by their own day', async (path) => {
    const dir = tempDataDir();
    const db = await Database.open(dir, { flushIntervalMs: 0, bulkLoad: { smallLoadRows: 0, stageRows: 1 << 20 } });
    const table = await db.createTable(def);
    const all = eventRows(2000, [3, 5], 10);
    if (path === 'flush') {
      await db.commit([{ tableId: table.id, batch: batchOf(def, all) }]);
      await db.checkpoint();
    } else {
      const load = db.bulkLoad(table.id);
      await load.append(batchOf(def, all));
      await load.commit();
    }
    // A trickle of late rows: the late days share one segment, apart from the bulk's.
    const segments = db.snapshot(table.id).split!().partitions[0]!.segments;
    expect(segments.map((s) => s.rows)).toEqual([20, 2000]);

    const recent = await scanDay(db, table.id, today - dayUs / 2, null);
    expect(recent.rows.length).toBe(2000);
    expect(recent.stats.segmentsSkipped).toBe(1);

    const old = await scanDay(db, table.id, today - 3 * dayUs, today - 2 * dayUs);
    expect(sortRows(old.rows)).toEqual(sortRows(all.filter((r) => (r[1] as number) >= 103_000 && (r[1] as number) < 104_000)));
    expect(old.stats.segmentsSkipped).toBe(1);
    expect(sortRows(await scanRows(db.snapshot(table.id)))).toEqual(sortRows(all));
    await db.close();
  });

  test('rows within a day of the bulk stay in one segment', async () => {
    const dir = tempDataDir();
    const db = await Database.open(dir, { flushIntervalMs: 0 });
    const table = await db.createTable(def);
    await db.commit([{ tableId: table.id, batch: batchOf(def, eventRows(1000, [0.5], 50)) }]);
    await db.checkpoint();
    expect(db.snapshot(table.id).split!().partitions[0]!.segments.length).toBe(1);
    await db.close();
  });
});

describe('timeBuckets', () => {
  const ranges = (values: readonly Value[], type = Types.timestamptz) => {
    const d = tableDef('t', [column('t', type)], { sortKey: [0] });
    return timeBuckets({ ...d, id: 1 }, [vectorFromValues(type, values)], null, values.length);
  };

  test('one range when nothing is late, or the key is not a time', () => {
    expect(ranges([today, today + 1, today + 2])).toEqual([[0, 3]]);
    const d = tableDef('t', [column('t', Types.int8)], { sortKey: [0] });
    expect(timeBuckets({ ...d, id: 1 }, [vectorFromValues(Types.int8, [1n, 10n ** 15n, 10n ** 16n])], null, 3)).toEqual([[0, 3]]);
  });

  const bulk = (n: number, at = today) => Array.from({ length: n }, (_, i) => at + i);

  test('a trickle of late rows is one bucket; NULLs stay with the bulk', () => {
    const values = [today - 5 * dayUs, today - 5 * dayUs + 5, today - 2 * dayUs, ...bulk(30), null, null];
    expect(ranges(values)).toEqual([
      [0, 3],
      [3, 35],
    ]);
  });

  test(`one bucket per late day once a day has ${minLateBucketRows} rows`, () => {
    const day = (offset: number, n: number) => Array.from({ length: n }, (_, i) => today - offset * dayUs + i);
    const values = [...day(5, minLateBucketRows), ...day(4, 10), ...day(2, minLateBucketRows), ...bulk(100_000)];
    const late = 2 * minLateBucketRows + 10;
    expect(ranges(values)).toEqual([
      [0, minLateBucketRows],
      [minLateBucketRows, late], // day -4's few rows join the next day

      [late, late + 100_000],
    ]);
  });

  test('a steady stream over a few days is not cut; a late tenth is', () => {
    const stream = Array.from({ length: 4000 }, (_, i) => today + i * 60e6); // 2.8 days, one a minute
    expect(ranges(stream)).toEqual([[0, 4000]]);
    const late = Array.from({ length: 300 }, (_, i) => today - 3 * dayUs + i);
    expect(ranges([...late, ...stream])).toEqual([
      [0, 300],
      [300, 4300],
    ]);
  });

  test(`at most ${maxLateBuckets} late buckets, adjacent days grouped`, () => {
    const days = 20;
    const late = Array.from({ length: days * minLateBucketRows }, (_, i) => today - (days - Math.floor(i / minLateBucketRows)) * dayUs + (i % 1000));
    const out = ranges([...late, ...bulk(10 * late.length)]);
    expect(out.length).toBe(Math.ceil(days / Math.ceil(days / maxLateBuckets)) + 1);
    expect(out.length).toBeLessThanOrEqual(maxLateBuckets + 1);
    expect(out.at(-1)).toEqual([late.length, 11 * late.length]);
    expect(out[0]![0]).toBe(0);
    for (let i = 1; i < out.length; i++) expect(out[i]![0]).toBe(out[i - 1]![1]);
  });

  test('-infinity gets its own bucket; dates count in days', () => {
    expect(ranges([-Infinity, today - 3 * dayUs, ...bulk(20)])).toEqual([
      [0, 1],
      [1, 2],
      [2, 22],
    ]);
    const days = (n: number, day: number) => Array<number>(n).fill(day);
    expect(ranges([...days(minLateBucketRows, 100), ...days(5, 101), ...days(100_000, 105)], Types.date)).toEqual([
      [0, minLateBucketRows],
      [minLateBucketRows, minLateBucketRows + 5],
      [minLateBucketRows + 5, minLateBucketRows + 100_005],
    ]);
  });
});
