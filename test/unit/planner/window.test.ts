/**
 * Window machinery against simple references: the rank-based sort against the comparator sort, and
 * frames plus aggregates against a per-row scan of the frame as PostgreSQL defines it.
 */
import { describe, expect, test } from 'vitest';
import type { Expr } from '../../../planner/expr.js';
import type { SortKey } from '../../../planner/logical-plan.js';
import type { ExecContext } from '../../../planner/physical/context.js';
import { sortPermutation } from '../../../planner/physical/sort.js';
import { rankSortPermutation } from '../../../planner/physical/sort-ranks.js';
import { windowAggregate } from '../../../planner/physical/window-aggregates.js';
import { computeFrames, windowLayout } from '../../../planner/physical/window-frames.js';
import type { FrameBound, WindowFrame } from '../../../planner/window-call.js';
import { type DataType, Types, type Value } from '../../../storage/types.js';
import { getValue, takeRows, vectorFromValues, type Vector } from '../../../storage/vector.js';
import { Random } from '../../support/random.js';

const context = { params: [], settings: {}, signal: new AbortController().signal, batchRows: 1024, profile: null } as unknown as ExecContext;

function randomVector(random: Random, type: DataType, n: number): Vector {
  const values: Value[] = [];
  const domain = random.pick([2, 5, 50]);
  for (let i = 0; i < n; i++) {
    if (random.chance(0.15)) {
      values.push(null);
      continue;
    }
    const k = random.int(-domain, domain);
    switch (type.id) {
      case 'int4':
        values.push(k);
        break;
      case 'int8':
        values.push(random.chance(0.05) ? 9007199254740993n * BigInt(Math.sign(k) || 1) : BigInt(k));
        break;
      case 'float8':
        values.push(random.chance(0.05) ? Number.NaN : random.chance(0.05) ? -0 : k / 4);
        break;
      case 'numeric':
        values.push(random.pick([`${k}`, `${k}.50`, `${k}.5`]));
        break;
      default:
        values.push(random.pick(['a', 'B', 'ab', '', 'é', 'b']) + String(k % 3));
    }
  }
  return vectorFromValues(type, values);
}

const keyTypes = [Types.int4, Types.int8, Types.float8, Types.numeric, Types.text];

describe('rank sort', () => {
  test('orders exactly as the comparator sort', () => {
    const random = new Random(7);
    for (let round = 0; round < 300; round++) {
      const n = random.int(0, 200);
      const count = random.int(1, 3);
      const vectors = Array.from({ length: count }, () => randomVector(random, random.pick(keyTypes), n));
      const keys: SortKey[] = vectors.map(() => ({ expr: { kind: 'Literal', value: null, type: Types.int4 }, descending: random.chance(0.5), nullsFirst: random.chance(0.5) }));
      const fast = rankSortPermutation(vectors, keys, n);
      if (fast === null) continue;
      expect([...fast]).toEqual([...sortPermutation(vectors, keys, n)]);
    }
  });
});

/** The frame of row i by definition: ROWS by position, RANGE by value, GROUPS by peer group. */
function referenceFrame(i: number, frame: WindowFrame, partition: readonly number[], order: readonly (number | null)[]): number[] {
  const members = partition.map((p, r) => (p === partition[i] ? r : -1)).filter((r) => r >= 0);
  const position = members.indexOf(i);
  const groupOf = (r: number) => new Set(members.filter((m) => members.indexOf(m) <= members.indexOf(r)).map((m) => order[m])).size;
  const offset = (b: FrameBound) => (b.kind === 'preceding' ? -Number((b.offset as { value: number }).value) : b.kind === 'following' ? Number((b.offset as { value: number }).value) : 0);
  const inside = (r: number, b: FrameBound, isStart: boolean): boolean => {
    if (b.kind === 'unbounded_preceding') return true;
    if (b.kind === 'unbounded_following') return true;
    const d = offset(b);
    let c: number;
    if (frame.mode === 'rows') c = members.indexOf(r) - (position + d);
    else if (frame.mode === 'groups') c = groupOf(r) - (groupOf(i) + d);
    else {
      const x = order[r] as number | null;
      const y = order[i] as number | null;
      if (x === null || y === null) c = x === y ? 0 : x === null ? 1 : -1;
      else c = b.kind === 'current_row' ? x - y : x - (y + d);
    }
    return isStart ? c >= 0 : c <= 0;
  };
  return members.filter((r) => {
    if (!inside(r, frame.start, true) || !inside(r, frame.end, false)) return false;
    const peer = order[r] === order[i];
    if (frame.exclude === 'current_row') return r !== i;
    if (frame.exclude === 'group') return !peer;
    if (frame.exclude === 'ties') return r === i || !peer;
    return true;
  });
}

describe('frames and aggregates', () => {
  test('count, sum and max match a scan of each frame', async () => {
    const random = new Random(11);
    const literal = (value: number): Expr => ({ kind: 'Literal', value: BigInt(value), type: Types.int8 });
    for (let round = 0; round < 200; round++) {
      const n = random.int(1, 40);
      // Rows already sorted by (partition, order key ascending, NULLS LAST).
      const rows = Array.from({ length: n }, () => ({ p: random.int(0, 2), o: random.chance(0.1) ? null : random.int(0, 6), v: random.chance(0.2) ? null : random.int(-9, 9) }));
      rows.sort((a, b) => a.p - b.p || (a.o === null ? 1 : 0) - (b.o === null ? 1 : 0) || (a.o ?? 0) - (b.o ?? 0));
      const partition = vectorFromValues(Types.int4, rows.map((r) => r.p));
      const order = vectorFromValues(Types.int4, rows.map((r) => r.o));
      const values = vectorFromValues(Types.int4, rows.map((r) => r.v));
      const orderKey: SortKey = { expr: { kind: 'Column', index: 0, type: Types.int4 }, descending: false, nullsFirst: false };
      const mode = random.pick(['rows', 'range', 'groups'] as const);
      const bound = (): FrameBound => {
        const kind = random.pick(['unbounded_preceding', 'preceding', 'current_row', 'following', 'unbounded_following'] as const);
        return kind === 'preceding' || kind === 'following' ? { kind, offset: literal(random.int(0, 3)) } : { kind };
      };
      let start = bound();
      let end = bound();
      if (start.kind === 'unbounded_following') start = { kind: 'current_row' };
      if (end.kind === 'unbounded_preceding') end = { kind: 'current_row' };
      const frame: WindowFrame = { mode, start, end, exclude: random.pick(['no_others', 'current_row', 'group', 'ties'] as const) };
      const layout = windowLayout(n, [partition], [order], [orderKey]);
      const frames = computeFrames(frame, layout, [order], [orderKey], context);
      const call = (fn: 'count' | 'sum' | 'max', type: DataType) => windowAggregate({ fn, args: [], filter: null, frame, type }, frames, values, null, async () => {});
      const counts = await call('count', Types.int8);
      const sums = await call('sum', Types.int8);
      const maxes = await call('max', Types.int4);
      for (let i = 0; i < n; i++) {
        const inFrame = referenceFrame(i, frame, rows.map((r) => r.p), rows.map((r) => r.o)).map((r) => rows[r]?.v).filter((v): v is number => v !== null && v !== undefined);
        const where = `round ${round} row ${i} ${JSON.stringify(frame, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`;
        expect(Number(getValue(counts, i)), where).toBe(inFrame.length);
        expect(getValue(sums, i), where).toBe(inFrame.length === 0 ? null : BigInt(inFrame.reduce((a, b) => a + b, 0)));
        expect(getValue(maxes, i), where).toBe(inFrame.length === 0 ? null : Math.max(...inFrame));
      }
    }
  });

  test('sorted rows can be taken back', () => {
    const v = vectorFromValues(Types.int4, [3, 1, 2]);
    expect([...takeRows(v, Int32Array.from([1, 2, 0])).values]).toEqual([1, 2, 3]);
  });
});
