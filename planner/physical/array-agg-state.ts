/**
 * array_agg: every input row's value per group, NULLs included, in arrival order (with ORDER BY
 * inside the call, SortedInputState feeds the rows already sorted). A group that saw no rows
 * is NULL.
 */
import { encodeArray } from '../../storage/array-value.js';
import { assert } from '../../storage/errors.js';
import { elementType, type DataType, type Value } from '../../storage/types.js';
import { getValue, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { AggregateCall } from '../expr.js';
import type { AggregateState } from './aggregate-state.js';

export class ArrayAggState implements AggregateState {
  private readonly values: Value[][] = [];
  private readonly element: DataType;

  constructor(private readonly call: AggregateCall) {
    const element = elementType(call.type);
    assert(element !== null, 'array_agg returns an array');
    this.element = element;
  }

  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    assert(arg !== null, 'array_agg has an argument');
    for (let i = 0; i < length; i++) {
      if (mask !== null && mask[i] === 0) continue;
      const g = groups[i] as number;
      (this.values[g] ??= []).push(getValue(arg, i));
    }
  }

  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.call.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const list = this.values[g];
      builder.appendValue(list === undefined ? null : encodeArray(list, this.element));
    }
    return builder.view();
  }
}
