import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { type ColumnRange, Database, emptyScanStats } from '../../../storage/database.js';
import { encodeBlock } from '../../../storage/block-codec.js';
import { orderKind } from '../../../storage/sort-order.js';
import { Types, type Value } from '../../../storage/types.js';
import { vectorFromValues } from '../../../storage/vector.js';
import { computeZone, zoneOfDistinct } from '../../../storage/zone-map.js';
import { unsyncedFileSystem } from './faulty-fs.js';
import { batchOf, column, removeTempDirs, scanRows, tableDef, tempDataDir } from './helpers.js';

afterAll(removeTempDirs);

const def = tableDef(
  'events',
  [
    column('n', Types.int4),
    column('big', Types.int8),
    column('f', Types.float8),
    column('t', Types.text),
    column('amount', Types.numeric),
    column('flag', Types.bool),
    column('ts', Types.timestamp),
  ],
  { partitionKey: 3, partitionCount: 2, sortKey: [0] },
);

/** Reference comparison, written independently of storage's: PostgreSQL semantics per column. */
function compare(columnIndex: number, a: Value, b: Value): number {
  switch (columnIndex) {
    case 1: {
      const x = BigInt(a as bigint | number);
      const y = BigInt(b as bigint | number);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 2:
    case 0:
    case 6: {
      const x = a as number;
      const y = b as number;
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3: {
      return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string));
    }
    case 4: {
      const scale = (s: string) => {
        const [i, f = ''] = s.replace('-', '').split('.');
        const v = BigInt(i!) * 1000n + BigInt(f.padEnd(3, '0'));
        return s.startsWith('-') ? -v : v;
      };
      const x = scale(a as string);
      const y = scale(b as string);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 5:
      return Number(a) - Number(b);
  }
  throw new Error(`column ${columnIndex}`);
}

function matches(row: Value[], ranges: readonly ColumnRange[]): boolean {
  for (const r of ranges) {
    const v = row[r.column]!;
    if (r.isNull === true && v !== null) return false;
    if (r.isNull === false && v === null) return false;
    if (r.lower || r.upper) {
      if (v === null) return false;
      if (r.lower && r.lower.value !== null) {
        const c = compare(r.column, v, r.lower.value);
        if (c < 0 || (c === 0 && !r.lower.inclusive)) return false;
      }
      if (r.upper && r.upper.value !== null) {
        const c = compare(r.column, v, r.upper.value);
        if (c > 0 || (c === 0 && !r.upper.inclusive)) return false;
      }
    }
  }
  return true;
}

const amount = fc
  .tuple(fc.integer({ min: -20, max: 20 }), fc.constantFrom(0, 5, 50, 500, 999))
  .map(([i, f]) => `${i < 0 ? '-' : ''}${Math.abs(i)}.${String(f).padStart(3, '0')}`);
const columnValue = (c: number): fc.Arbitrary<Value> => {
  const v = [
    fc.integer({ min: -50, max: 50 }),
    fc.oneof(fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), fc.bigInt({ min: -5n, max: 5n })),
    fc.oneof(fc.double({ min: -100, max: 100 }), fc.integer({ min: -5, max: 5 }), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0)),
    fc.constantFrom('a', 'b', 'ab', 'é', '\u{1f600}', '\ufffd', 'z', ''),
    amount,
    fc.boolean(),
    fc.integer({ min: 0, max: 100 }).map((s) => 1.7e15 + s * 1e6),
  ][c]! as fc.Arbitrary<Value>;
  return fc.option(v, { nil: null, freq: 5 });
};
const rowArbitrary = fc.tuple(...def.columns.map((_, c) => columnValue(c))) as fc.Arbitrary<Value[]>;
/** Bounds often equal to a stored value, where off-by-one pruning mistakes show. */
const bound = (c: number, rows: Value[][]) => {
  const present = rows.map((r) => r[c]!).filter((v) => v !== null);
  const value = present.length > 0 ? fc.oneof({ arbitrary: columnValue(c), weight: 1 }, { arbitrary: fc.constantFrom(...present), weight: 4 }) : columnValue(c);
  return fc.option(fc.record({ value, inclusive: fc.boolean() }), { nil: undefined });
};
const rangeOn = (c: number, rows: Value[][]): fc.Arbitrary<ColumnRange> =>
  fc.record({
    column: fc.constant(c),
    lower: bound(c, rows),
    upper: bound(c, rows),
    isNull: fc.option(fc.boolean(), { nil: undefined }),
  });
/** Rows, then a range on `focus` and perhaps one on another column. */
const caseArbitrary = (focus: number) =>
  fc.array(rowArbitrary, { minLength: 1, maxLength: 60 }).chain((rows) =>
    fc.tuple(
      fc.constant(rows),
      fc.tuple(
        rangeOn(focus, rows),
        fc.option(fc.integer({ min: 0, max: def.columns.length - 1 }).chain((c) => rangeOn(c, rows)), { nil: undefined }),
      ).map(([first, second]) => (second === undefined ? [first] : [first, second])),
    ),
  );

describe('zone maps', () => {
  for (const [focus, { name }] of def.columns.entries()) {
    test(`pruning on ${name} never loses a matching row (against a plain filter)`, async () => {
      const db = await Database.open(tempDataDir(), { blockRows: 4, fileSystem: unsyncedFileSystem() });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(caseArbitrary(focus), fc.nat(3), async ([rows, ranges], split) => {
          const table = await db.createTable({ ...def, name: `events_${run++}` });
          // Rows in segments, in the tail, or both.
          const cut = Math.floor((rows.length * split) / 3);
          await db.commit([{ tableId: table.id, batch: batchOf(def, rows.slice(0, cut)) }]);
          await db.checkpoint();
          await db.commit([{ tableId: table.id, batch: batchOf(def, rows.slice(cut)) }]);
          const snapshot = db.snapshot(table.id);
          const all = await scanRows(snapshot);
          const stats = emptyScanStats();
          const pruned = await scanRows(snapshot, { ranges, stats });
          const expected = all.filter((r) => matches(r, ranges));
          const got = pruned.filter((r) => matches(r, ranges));
          expect(got.length).toBe(expected.length);
          expect(stats.rowsRead).toBe(pruned.length);
        }),
        { numRuns: 50 },
      );
      await db.close();
    });
  }

  test('bounds equal to a block minimum or maximum keep that block, for every column type', async () => {
    const db = await Database.open(tempDataDir(), { blockRows: 3 });
    const table = await db.createTable({ ...def, partitionCount: 1, name: 'edges' });
    const rows = fc.sample(rowArbitrary, { numRuns: 30, seed: 7 });
    await db.commit([{ tableId: table.id, batch: batchOf(def, rows) }]);
    await db.checkpoint();
    const snapshot = db.snapshot(table.id);
    for (let c = 0; c < def.columns.length; c++) {
      for (const row of rows) {
        const value = row[c]!;
        if (value === null) continue;
        for (const inclusive of [true, false]) {
          for (const ranges of [
            [{ column: c, lower: { value, inclusive } }],
            [{ column: c, upper: { value, inclusive } }],
            [{ column: c, lower: { value, inclusive: true }, upper: { value, inclusive: true } }],
          ] as ColumnRange[][]) {
            const got = (await scanRows(snapshot, { ranges })).filter((r) => matches(r, ranges));
            expect(got.length, `${def.columns[c]!.name} ${JSON.stringify(ranges, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`).toBe(
              rows.filter((r) => matches(r, ranges)).length,
            );
          }
        }
      }
    }
    await db.close();
  });

  test('a selective range skips blocks and segments', async () => {
    const db = await Database.open(tempDataDir(), { blockRows: 100 });
    const events = tableDef('t', [column('ts', Types.timestamp), column('user_id', Types.int8), column('kind', Types.text)], {
      sortKey: [0],
    });
    const table = await db.createTable(events);
    const rows = (from: number) => Array.from({ length: 1000 }, (_, i) => [1.7e15 + (from + i) * 1e6, BigInt(i % 37), i % 2 ? 'click' : 'view']);
    await db.commit([{ tableId: table.id, batch: batchOf(events, rows(0)) }]);
    await db.checkpoint();
    await db.commit([{ tableId: table.id, batch: batchOf(events, rows(1000)) }]);
    await db.checkpoint();
    const stats = emptyScanStats();
    const lower = 1.7e15 + 250 * 1e6;
    const upper = 1.7e15 + 349 * 1e6;
    const got = await scanRows(db.snapshot(table.id), {
      columns: [0],
      ranges: [{ column: 0, lower: { value: lower, inclusive: true }, upper: { value: upper, inclusive: true } }],
      stats,
    });
    expect(got.filter(([ts]) => (ts as number) >= lower && (ts as number) <= upper).length).toBe(100);
    expect(stats).toMatchObject({ segments: 2, segmentsSkipped: 1, blocks: 20 });
    expect(stats.blocksSkipped).toBe(18); // 10 of the other segment + 8 of this one
    expect(stats.rowsRead).toBe(200);

    const nullStats = emptyScanStats();
    await scanRows(db.snapshot(table.id), { columns: [0], ranges: [{ column: 2, isNull: true }], stats: nullStats });
    expect(nullStats.blocksSkipped).toBe(20);
    const textStats = emptyScanStats();
    await scanRows(db.snapshot(table.id), { columns: [0], ranges: [{ column: 2, lower: { value: 'zzz', inclusive: true } }], stats: textStats });
    expect(textStats.rowsRead).toBe(0);
    await db.close();
  });
});

describe('zone of a dictionary block', () => {
  test('built from the dictionary entries, it equals the zone a pass over the rows finds', () => {
    const texts = fc.constantFrom('a', 'b', 'Z', 'é', '\u{1F600}', '', 'a b', 'zz');
    const decimals = fc.constantFrom('1.50', '-2', '10', 'NaN', '0.001', '-Infinity');
    for (const [type, values] of [
      [Types.text, texts],
      [Types.numeric, decimals],
      [Types.jsonb, fc.constantFrom('{}', '[1]', '"x"')],
    ] as const) {
      fc.assert(
        fc.property(fc.array(fc.option(values, { nil: null }), { minLength: 4, maxLength: 300 }), (rows) => {
          const vector = vectorFromValues(type, rows);
          const encoded = encodeBlock(vector);
          fc.pre(encoded.distinct !== undefined);
          const kind = orderKind(type);
          expect(zoneOfDistinct(encoded.distinct!, kind, rows.length, encoded.nullCount)).toEqual(computeZone(vector, kind, encoded.nullCount));
        }),
        { numRuns: 200 },
      );
    }
    // Many distinct values: no value list, min and max still right.
    const many = Array.from({ length: 200 }, (_, i) => `v${i % 60}`);
    const vector = vectorFromValues(Types.text, many);
    const encoded = encodeBlock(vector);
    expect(encoded.encoding).toBe('dictionary');
    expect(zoneOfDistinct(encoded.distinct!, 'text', 200, 0)).toEqual(computeZone(vector, 'text', 0));
  });
});
