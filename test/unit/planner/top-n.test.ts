/**
 * The top-N (ORDER BY ... LIMIT) against the full stable sort: the same rows in the same order,
 * ties in input order, NULLS FIRST/LAST, batches with and without selections.
 */
import { describe, expect, test } from 'vitest';
import type { Expr } from '../../../planner/expr.js';
import type { Field, SortKey } from '../../../planner/logical-plan.js';
import type { ExecContext } from '../../../planner/physical/context.js';
import { sortPermutation, stableSortPermutation } from '../../../planner/physical/sort.js';
import { topRows } from '../../../planner/physical/sort-top-n.js';
import { type DataType, Types, type Value } from '../../../storage/types.js';
import { getValue, sliceVector, vectorFromValues, type Batch, type Vector } from '../../../storage/vector.js';
import { Random } from '../../support/random.js';

const context = { params: [], settings: {}, signal: new AbortController().signal, batchRows: 1024, profile: null } as unknown as ExecContext;

const keyTypes = [Types.int4, Types.int8, Types.float8, Types.numeric, Types.text];

function randomValue(random: Random, type: DataType, domain: number): Value {
  if (random.chance(0.1)) return null;
  const k = random.int(-domain, domain);
  switch (type.id) {
    case 'int4':
      return k;
    case 'int8':
      return random.chance(0.02) ? 9007199254740993n * BigInt(Math.sign(k) || 1) : BigInt(k);
    case 'float8':
      return random.chance(0.03) ? Number.NaN : random.chance(0.03) ? -0 : k / 4;
    case 'numeric':
      return random.pick([`${k}`, `${k}.50`, `${k}.5`]);
    default:
      return random.pick(['a', 'B', 'ab', '', 'é']) + String(k % 5);
  }
}

/** Splits columns into batches of random sizes; some carry a selection over extra dead rows. */
async function* batchesOf(random: Random, columns: readonly Vector[], n: number): AsyncIterable<Batch> {
  let start = 0;
  while (start < n) {
    const end = Math.min(n, start + random.int(1, 3000));
    if (random.chance(0.3) && end - start > 1) {
      // Keep every row of [start, end) but expose them through a selection over a wider slice.
      const from = Math.max(0, start - 5);
      const selection = Int32Array.from({ length: end - start }, (_, i) => start - from + i);
      yield { length: end - from, columns: columns.map((c) => sliceVector(c, from, end)), selection };
    } else {
      yield { length: end - start, columns: columns.map((c) => sliceVector(c, start, end)), selection: null };
    }
    start = end;
  }
}

describe('top-N', () => {
  test('keeps the same rows in the same order as the full sort', async () => {
    const random = new Random(11);
    for (let round = 0; round < 60; round++) {
      const n = random.pick([0, 5, 300, 9000, 20000]);
      const keyCount = random.int(1, 3);
      const types = Array.from({ length: keyCount }, () => random.pick(keyTypes));
      const domain = random.pick([1, 3, 100, 100000]);
      const keyColumns = types.map((t) => vectorFromValues(t, Array.from({ length: n }, () => randomValue(random, t, domain))));
      const ids = vectorFromValues(Types.int4, Array.from({ length: n }, (_, i) => i));
      const columns = [ids, ...keyColumns];
      const schema: Field[] = [{ name: 'id', type: Types.int4 }, ...types.map((t, i) => ({ name: `k${i}`, type: t }))] as Field[];
      const keys: SortKey[] = types.map((t, i) => ({ expr: { kind: 'Column', index: i + 1, type: t } as Expr, descending: random.chance(0.5), nullsFirst: random.chance(0.5) }));
      const keep = random.pick([0, 1, 10, 100, 2500]);
      const expected = [...sortPermutation(keyColumns, keys, n).subarray(0, keep)];
      const top = await topRows(batchesOf(random, columns, n), schema, keys, keep, context);
      const got = [...top.order].map((r) => getValue(top.columns[0] as Vector, r));
      expect(got, `round ${round}`).toEqual(expected);
    }
  });

  test('the rank sort and the comparator sort agree through stableSortPermutation', () => {
    const random = new Random(5);
    for (let round = 0; round < 50; round++) {
      const n = random.int(0, 500);
      const t = random.pick(keyTypes);
      const vector = vectorFromValues(t, Array.from({ length: n }, () => randomValue(random, t, 20)));
      const keys: SortKey[] = [{ expr: { kind: 'Column', index: 0, type: t } as Expr, descending: random.chance(0.5), nullsFirst: random.chance(0.5) }];
      expect([...stableSortPermutation([vector], keys, n)]).toEqual([...sortPermutation([vector], keys, n)]);
    }
  });
});
