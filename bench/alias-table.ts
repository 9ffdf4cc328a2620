/**
 * Walker's alias method: O(1) draws from a fixed discrete distribution, one uniform per draw.
 * Used for every skewed choice of the generators (Zipf users and pages, countries, devices).
 * Construction is plain float64 arithmetic in a fixed order, so the table is identical on
 * every machine.
 */
import { DbError } from '../storage/errors.js';

export class AliasTable {
  readonly size: number;
  /** Probability of keeping column i rather than taking its alias. */
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new DbError('22023', 'alias table needs at least one weight');
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) throw new DbError('22023', `invalid weight ${w} at index ${i}`);
      total += w;
    }
    if (!(total > 0)) throw new DbError('22023', 'alias table weights sum to zero');
    this.size = n;
    this.keep = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let smallCount = 0;
    let largeCount = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] as number) * n) / total;
      if ((scaled[i] as number) < 1) small[smallCount++] = i;
      else large[largeCount++] = i;
    }
    while (smallCount > 0 && largeCount > 0) {
      const s = small[--smallCount] as number;
      const l = large[largeCount - 1] as number;
      this.keep[s] = scaled[s] as number;
      this.alias[s] = l;
      scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
      if ((scaled[l] as number) < 1) {
        largeCount--;
        small[smallCount++] = l;
      }
    }
    // Leftovers are 1 up to rounding: they always keep themselves.
    while (largeCount > 0) this.keep[large[--largeCount] as number] = 1;
    while (smallCount > 0) this.keep[small[--smallCount] as number] = 1;
  }

  /** The index drawn for a uniform `unit` in [0, 1). */
  sample(unit: number): number {
    const x = unit * this.size;
    const column = Math.floor(x);
    return x - column < (this.keep[column] as number) ? column : (this.alias[column] as number);
  }
}

/** Zipf weights 1/(rank+1)^exponent for ranks 0..size-1. */
export function zipfWeights(size: number, exponent: number): Float64Array {
  const weights = new Float64Array(size);
  for (let i = 0; i < size; i++) weights[i] = Math.pow(i + 1, -exponent);
  return weights;
}
