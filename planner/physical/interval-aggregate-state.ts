/**
 * sum/avg over interval: months, days and microseconds add up separately (interval_pl), and avg
 * divides the sum by the count as PostgreSQL 15's interval_avg does (interval_div).
 */
import { decodeInterval, divideInterval, encodeInterval, type Interval } from '../../storage/interval.js';
import type { DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { AggregateState } from './aggregate-states.js';

export class IntervalSumState implements AggregateState {
  private readonly sums: (Interval & { count: number })[] = [];
  constructor(readonly type: DataType, readonly average: boolean) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const vector = arg as Vector;
    const values = vector.values as readonly string[];
    const validity = vector.validity;
    const span: Interval = { months: 0, days: 0, micros: 0 };
    for (let i = 0; i < length; i++) {
      if ((mask !== null && mask[i] === 0) || (validity !== null && validity[i] === 0)) continue;
      const g = groups[i] as number;
      decodeInterval(values[i] as string, span);
      const sum = (this.sums[g] ??= { months: 0, days: 0, micros: 0, count: 0 });
      sum.months += span.months;
      sum.days += span.days;
      sum.micros += span.micros;
      sum.count++;
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const sum = this.sums[g];
      if (sum === undefined) builder.appendValue(null);
      else builder.appendValue(this.average ? divideInterval(sum, sum.count) : encodeInterval(sum.months, sum.days, sum.micros));
    }
    return builder.view();
  }
}
