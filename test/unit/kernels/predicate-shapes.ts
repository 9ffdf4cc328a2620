/**
 * Random batches and random predicates of every compiled shape (and a few that are not), for the
 * compiled-versus-interpreted property test: edge values (NaN, -0, infinities, integer limits,
 * int64 values beyond 2^53 and across the 2^32 boundary) and NULLs in every column.
 */
import type { Expr } from '../../../planner/expr.js';
import { Types, type DataType, type Value } from '../../../storage/types.js';
import { dictionaryVector, vectorFromValues, type Batch, type Vector } from '../../../storage/vector.js';
import { Random } from '../../support/random.js';

export const columnTypes: readonly DataType[] = [Types.int4, Types.int2, Types.int8, Types.float8, Types.float4, Types.bool, Types.date, Types.timestamptz, Types.text];

const BOOL = Types.bool;

export function randomValue(random: Random, type: DataType): Value {
  const small = random.int(-4, 4);
  switch (type.id) {
    case 'int4':
      return random.chance(0.15) ? random.pick([-2147483648, 2147483647, 46341, -46341, 65536]) : small;
    case 'int2':
      return random.chance(0.15) ? random.pick([-32768, 32767, 182, -182]) : small;
    case 'int8':
      return random.chance(0.3)
        ? random.pick([4294967296n, -4294967296n, 4294967295n, -4294967295n, 2147483648n, -2147483649n, 9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n])
        : BigInt(small);
    case 'float8':
      return random.chance(0.25) ? random.pick([Number.NaN, Infinity, -Infinity, -0, 1e308, -1e308, 1e-308, 0.1]) : small / 4;
    case 'float4':
      return random.chance(0.25) ? random.pick([Number.NaN, Infinity, -Infinity, -0, Math.fround(3e38), Math.fround(1e-38)]) : small / 4;
    case 'bool':
      return random.chance(0.5);
    case 'date':
      return random.chance(0.1) ? random.pick([-2147483648, 2147483647]) : small;
    case 'timestamptz':
      return small * 1e6 + random.pick([0, 1, 999999]);
    case 'text':
    case 'varchar':
      return random.pick(['a', 'b', '', 'ab', 'B', 'é']);
    default:
      throw new Error(`no values for ${type.id}`);
  }
}

export function randomBatch(random: Random, rows: number): Batch {
  const columns = columnTypes.map((type) => {
    const nulls = random.chance(0.5) ? 0 : random.pick([0.1, 0.5, 1]);
    const values: Value[] = [];
    for (let i = 0; i < rows; i++) values.push(random.chance(nulls) ? null : randomValue(random, type));
    const vector = vectorFromValues(type, values);
    return type.id === 'text' && random.chance(0.5) ? dictionaryCoded(vector, random) : vector;
  });
  return { length: rows, columns, selection: null };
}

/** The same strings as a dictionary-coded vector (entries in a random order, some unused). */
function dictionaryCoded(vector: Vector, random: Random): Vector {
  const entries = [...new Set([...(vector.values as readonly string[]), ...(random.chance(0.5) ? ['zz', 'a'] : [])])].sort(() => random.next() - 0.5);
  const codes = Int32Array.from(vector.values as readonly string[], (v, i) => (vector.validity !== null && vector.validity[i] === 0 ? 0 : entries.indexOf(v)));
  return dictionaryVector(vector.type, vector.validity, entries, codes);
}

function literal(random: Random, type: DataType): Expr {
  return { kind: 'Literal', value: random.chance(0.1) ? null : randomValue(random, type), type };
}

const numericTypes: readonly DataType[] = [Types.int4, Types.int2, Types.int8, Types.float8, Types.float4, Types.bool, Types.date, Types.timestamptz, Types.text];

/** Exact widenings the binder inserts, by target type. */
const widenings: Partial<Record<string, readonly DataType[]>> = {
  int4: [Types.int2],
  int8: [Types.int2, Types.int4],
  float8: [Types.int2, Types.int4, Types.float4, Types.int8],
  float4: [Types.int2],
  text: [Types.varchar],
};

export class PredicateGenerator {
  constructor(private readonly random: Random) {}

  value(type: DataType, depth: number): Expr {
    const r = this.random;
    const column = columnTypes.indexOf(type);
    const choice = depth <= 0 ? r.int(0, 1) : r.int(0, 5);
    if (choice === 0 && column >= 0) return { kind: 'Column', index: column, type };
    if (choice <= 1) {
      if (type.id === 'int4' && r.chance(0.3)) return { kind: 'Param', index: 0, type };
      return literal(r, type);
    }
    const from = widenings[type.id];
    if (choice === 2 && from !== undefined) return { kind: 'Cast', arg: this.value(r.pick(from), depth - 1), type, explicit: false };
    const arithmetic = ['int2', 'int4', 'float4', 'float8', 'int8'].includes(type.id);
    if (choice === 3 && arithmetic) return { kind: 'Call', fn: 'neg', args: [this.value(type, depth - 1)], type };
    if (arithmetic) {
      const fn = r.pick(['add', 'sub', 'mul', 'div'] as const);
      return { kind: 'Call', fn, args: [this.value(type, depth - 1), this.value(type, depth - 1)], type };
    }
    if (type.id === 'date' && r.chance(0.5)) {
      return { kind: 'Call', fn: r.pick(['add', 'sub'] as const), args: [this.value(type, depth - 1), this.value(Types.int4, depth - 1)], type };
    }
    return column >= 0 ? { kind: 'Column', index: column, type } : literal(r, type);
  }

  condition(depth: number): Expr {
    const r = this.random;
    const choice = depth <= 0 ? r.int(0, 2) : r.int(0, 9);
    switch (choice) {
      case 0:
      case 1: {
        const type = r.pick(numericTypes);
        const fn = r.pick(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const);
        const left = this.value(type, depth - 1);
        const right = this.value(type, depth - 1);
        return { kind: 'Call', fn, args: r.chance(0.5) ? [left, right] : [right, left], type: BOOL };
      }
      case 2:
        return r.chance(0.8) ? { kind: 'Column', index: columnTypes.indexOf(Types.bool), type: BOOL } : literal(r, BOOL);
      case 3:
      case 4:
        return { kind: r.chance(0.5) ? 'And' : 'Or', args: [this.condition(depth - 1), this.condition(depth - 1), ...(r.chance(0.3) ? [this.condition(depth - 1)] : [])], type: BOOL };
      case 5:
        return { kind: 'Not', arg: this.condition(depth - 1), type: BOOL };
      case 6:
        return r.chance(0.5)
          ? { kind: 'IsNull', arg: r.chance(0.3) ? this.condition(depth - 1) : this.value(r.pick(numericTypes), depth - 1), negated: r.chance(0.5), type: BOOL }
          : { kind: 'IsBool', arg: this.condition(depth - 1), test: r.pick(['true', 'false', 'unknown'] as const), negated: r.chance(0.5), type: BOOL };
      case 7: {
        const type = r.pick(numericTypes);
        const list = Array.from({ length: r.chance(0.1) ? r.int(6, 70) : r.int(1, 5) }, () => literal(r, type));
        return { kind: 'InList', arg: this.value(type, depth - 1), list, negated: r.chance(0.5), type: BOOL };
      }
      case 8: {
        const type = r.pick(numericTypes);
        return { kind: 'DistinctFrom', left: this.value(type, depth - 1), right: this.value(type, depth - 1), negated: r.chance(0.5), type: BOOL };
      }
      default: {
        // LIKE with a constant pattern (compiled) or a column pattern (a shape the kernel does not take).
        const text: Expr = { kind: 'Column', index: columnTypes.indexOf(Types.text), type: Types.text };
        if (r.chance(0.6)) return this.condition(depth - 1);
        const pattern: Expr = r.chance(0.2) ? text : { kind: 'Literal', value: r.chance(0.1) ? null : r.pick(['a%', '_', '%b', 'A%', '%', 'é_']), type: Types.text };
        return { kind: 'Like', arg: text, pattern, negated: r.chance(0.5), caseInsensitive: r.chance(0.3), type: BOOL };
      }
    }
  }
}
