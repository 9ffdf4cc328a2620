/**
 * The hash join's tables against a nested loop: the same (probe, build) pairs in the same order,
 * NULL keys matching nothing, numerics equal by value, -0 = 0, NaN = NaN, dense integer keys
 * (negative int4, int8 beyond the dense range falling back to the word table).
 */
import { describe, expect, test } from 'vitest';
import { buildDenseTable, probeDenseTable } from '../../../planner/physical/join-dense-table.js';
import { buildWordTable, probeWordTable, type Pairs } from '../../../planner/physical/join-hash-table.js';
import { type DataType, Types, type Value } from '../../../storage/types.js';
import { getValue, vectorFromValues, type Vector } from '../../../storage/vector.js';
import { Random } from '../../support/random.js';

function randomValue(random: Random, type: DataType, domain: number): Value {
  if (random.chance(0.1)) return null;
  const k = random.int(-domain, domain);
  switch (type.id) {
    case 'int4':
      return k;
    case 'int8':
      return random.chance(0.02) ? 2n ** 40n + BigInt(k) : BigInt(k);
    case 'float8':
      return random.chance(0.05) ? Number.NaN : random.chance(0.05) ? -0 : k / 2;
    case 'numeric':
      return random.pick([`${k}`, `${k}.0`, `${k}.50`, `${k}.5`]);
    default:
      return `s${k}`;
  }
}

function equal(type: DataType, a: Value, b: Value): boolean {
  if (a === null || b === null) return false;
  if (type.id === 'numeric') return Number(a) === Number(b);
  if (type.id === 'float8') return (a as number) === (b as number) || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

function pairsOf(chunks: Iterable<Pairs>): [number, number][] {
  const out: [number, number][] = [];
  for (const { left, right } of chunks) for (let i = 0; i < left.length; i++) out.push([left[i] as number, right[i] as number]);
  return out;
}

const types = [Types.int4, Types.int8, Types.float8, Types.numeric, Types.text];

describe('join tables', () => {
  test('give the pairs of a nested loop, in probe order then build order', () => {
    const random = new Random(3);
    for (let round = 0; round < 200; round++) {
      const keyCount = random.int(1, 2);
      const keyTypes = Array.from({ length: keyCount }, () => random.pick(types));
      const domain = random.pick([2, 20, 1000]);
      const buildRows = random.int(0, 300);
      const probeRows = random.int(0, 300);
      const column = (t: DataType, n: number): Vector => vectorFromValues(t, Array.from({ length: n }, () => randomValue(random, t, domain)));
      const build = keyTypes.map((t) => column(t, buildRows));
      const probe = keyTypes.map((t) => column(t, probeRows));
      const expected: [number, number][] = [];
      for (let i = 0; i < probeRows; i++) {
        for (let r = 0; r < buildRows; r++) {
          if (keyTypes.every((t, k) => equal(t, getValue(probe[k] as Vector, i), getValue(build[k] as Vector, r)))) expected.push([i, r]);
        }
      }
      const step = random.pick([1, 7, 1000]);
      const words = buildWordTable(keyTypes, build, buildRows);
      expect(pairsOf(probeWordTable(words, probe, probeRows, step)), `round ${round}`).toEqual(expected);
      const dense = keyCount === 1 ? buildDenseTable(build[0] as Vector, buildRows) : null;
      if (dense !== null) expect(pairsOf(probeDenseTable(dense, probe[0] as Vector, probeRows, step)), `round ${round} dense`).toEqual(expected);
    }
  });

  test('dense tables only for integers in a narrow range', () => {
    expect(buildDenseTable(vectorFromValues(Types.int4, [-5, 3, null, 7]), 4)).not.toBeNull();
    expect(buildDenseTable(vectorFromValues(Types.int8, [1n, 2n ** 40n]), 2)).toBeNull();
    expect(buildDenseTable(vectorFromValues(Types.int8, [-1n, 2n]), 2)).toBeNull();
    expect(buildDenseTable(vectorFromValues(Types.int4, [0, 10_000_000]), 2)).toBeNull();
    expect(buildDenseTable(vectorFromValues(Types.float8, [1, 2]), 2)).toBeNull();
  });
});
