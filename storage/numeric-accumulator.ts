/**
 * Running sum/avg over numeric values with PostgreSQL's semantics: the sum is exact with the
 * largest input scale; NaN anywhere, or both infinities, makes the result NaN; avg is the sum
 * divided by the count with numeric division's result scale. Integer inputs enter as BigInt so an
 * aggregate over int columns can accumulate natively and convert once.
 */
import {
  decimalFromCanonical,
  finite,
  formatDecimal,
  nanDecimal,
  negativeInfinity,
  positiveInfinity,
  pow10,
  Special,
  type Decimal,
} from './numeric-decimal.js';
import { divideDecimal } from './numeric-arithmetic.js';

export interface NumericAccumulatorState {
  readonly count: number;
  readonly total: bigint;
  readonly scale: number;
  readonly nanCount: number;
  readonly positiveInfinities: number;
  readonly negativeInfinities: number;
}

export class NumericAccumulator {
  /** Number of non-null inputs. */
  count = 0;
  private total = 0n;
  private scale = 0;
  private nanCount = 0;
  private positiveInfinities = 0;
  private negativeInfinities = 0;

  add(s: string): void {
    this.addDecimal(decimalFromCanonical(s));
  }

  addDecimal(decimal: Decimal): void {
    this.addDecimalTimes(decimal, 1);
  }

  /** Adds the same value `times` times (a dictionary entry and how many rows hold it). */
  addDecimalTimes(decimal: Decimal, times: number): void {
    this.count += times;
    switch (decimal.special) {
      case Special.NaN:
        this.nanCount += times;
        return;
      case Special.PositiveInfinity:
        this.positiveInfinities += times;
        return;
      case Special.NegativeInfinity:
        this.negativeInfinities += times;
        return;
      case Special.Finite:
        break;
    }
    if (decimal.scale > this.scale) {
      this.total *= pow10(decimal.scale - this.scale);
      this.scale = decimal.scale;
    }
    const value = decimal.scale === this.scale ? decimal.value : decimal.value * pow10(this.scale - decimal.scale);
    this.total += times === 1 ? value : value * BigInt(times);
  }

  addBigInt(n: bigint): void {
    this.count++;
    this.total += this.scale === 0 ? n : n * pow10(this.scale);
  }

  /** Adds `rows` integers already summed into `sum` (an aggregate's partial state). */
  addBigIntSum(sum: bigint, rows: number): void {
    this.count += rows;
    this.total += this.scale === 0 ? sum : sum * pow10(this.scale);
  }

  /** Merges another accumulator (partial aggregates from parallel workers). */
  merge(other: NumericAccumulator): void {
    this.nanCount += other.nanCount;
    this.positiveInfinities += other.positiveInfinities;
    this.negativeInfinities += other.negativeInfinities;
    const scale = Math.max(this.scale, other.scale);
    this.total = this.total * pow10(scale - this.scale) + other.total * pow10(scale - other.scale);
    this.scale = scale;
    this.count += other.count;
  }

  /** The state as plain data, for a partial aggregate sent between threads. */
  toPlain(): NumericAccumulatorState {
    const { count, total, scale, nanCount, positiveInfinities, negativeInfinities } = this;
    return { count, total, scale, nanCount, positiveInfinities, negativeInfinities };
  }

  static fromPlain(state: NumericAccumulatorState): NumericAccumulator {
    const accumulator = new NumericAccumulator();
    Object.assign(accumulator, state);
    return accumulator;
  }

  private sumDecimal(): Decimal {
    if (this.nanCount > 0 || (this.positiveInfinities > 0 && this.negativeInfinities > 0)) return nanDecimal;
    if (this.positiveInfinities > 0) return positiveInfinity;
    if (this.negativeInfinities > 0) return negativeInfinity;
    return finite(this.total, this.scale);
  }

  /** sum(numeric), or null when nothing was added. */
  sum(): string | null {
    if (this.count === 0) return null;
    return formatDecimal(this.sumDecimal());
  }

  /** avg(numeric) and avg of integers: sum / count with numeric division rules, or null. */
  avg(): string | null {
    if (this.count === 0) return null;
    return formatDecimal(divideDecimal(this.sumDecimal(), finite(BigInt(this.count), 0)));
  }
}
