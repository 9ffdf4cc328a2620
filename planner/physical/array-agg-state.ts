/**
 * array_agg: every input row's value (NULLs included, unlike the aggregates SortedInputState
 * feeds) per group, with the values of the call's ORDER BY keys (the extra vectors); `finish`
 * sorts each group's rows by those keys (stable, so equal keys keep input order) and builds the
 * array. A group that saw no rows is NULL.
 */
import { encodeArray } from '../../storage/array-value.js';
import { assert } from '../../storage/errors.js';
import { elementType, type DataType, type Value } from '../../storage/types.js';
import { getValue, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { AggregateCall, AggregateOrder } from '../expr.js';
import { valueOrder } from '../kernels/compare.js';
import type { AggregateState } from './aggregate-state.js';

type Ordered = number | bigint | string;

export class ArrayAggState implements AggregateState {
  private readonly values: Value[][] = [];
  private readonly keys: Value[][][] = [];
  private readonly element: DataType;
  private readonly orderBy: readonly AggregateOrder[];

  constructor(private readonly call: AggregateCall) {
    const element = elementType(call.type);
    assert(element !== null, 'array_agg returns an array');
    this.element = element;
    this.orderBy = call.orderBy ?? [];
  }

  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, order?: readonly Vector[]): void {
    assert(arg !== null, 'array_agg has an argument');
    for (let i = 0; i < length; i++) {
      if (mask !== null && mask[i] === 0) continue;
      const g = groups[i] as number;
      let list = this.values[g];
      if (list === undefined) {
        list = this.values[g] = [];
        this.keys[g] = [];
      }
      list.push(getValue(arg, i));
      if (order !== undefined && order.length > 0) (this.keys[g] as Value[][]).push(order.map((v) => getValue(v, i)));
    }
  }

  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.call.type, groupCount);
    const orders = this.orderBy.map((k, j) => ({ key: k, order: valueOrder(k.expr.type), j }));
    for (let g = 0; g < groupCount; g++) {
      const list = this.values[g];
      if (list === undefined) {
        builder.appendValue(null);
        continue;
      }
      const keys = this.keys[g] as Value[][];
      let values = list;
      if (orders.length > 0) {
        const rows = list.map((_, i) => i);
        rows.sort((a, b) => {
          for (const { key, order, j } of orders) {
            const x = (keys[a] as Value[])[j] as Value;
            const y = (keys[b] as Value[])[j] as Value;
            if (x === null || y === null) {
              if (x === y) continue;
              return (x === null) === key.nullsFirst ? -1 : 1;
            }
            const c = order(ordered(x), ordered(y));
            if (c !== 0) return key.descending ? -c : c;
          }
          return a - b;
        });
        values = rows.map((i) => list[i] as Value);
      }
      builder.appendValue(encodeArray(values, this.element));
    }
    return builder.view();
  }
}

function ordered(v: Value): Ordered {
  return typeof v === 'boolean' ? Number(v) : (v as Ordered);
}
