/**
 * Deterministic randomness for the dataset generators, in 32-bit integer arithmetic only
 * (Math.imul, shifts), so one seed yields the same stream on every machine and Node version.
 *
 * - `Random` is xoshiro128** seeded through splitmix32: a sequential stream for the row loop.
 * - `hash32` is a counter-based mixer: a value keyed by (seed, key, salt) without any state, so
 *   an attribute of user 1234 is the same in the events and the users generator.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** murmur3's finalizer: a bijective avalanche on 32 bits. */
export function mix32(value: number): number {
  let z = value | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A well-mixed unsigned 32-bit value for (seed, key, salt); `key` must be below 2^53. */
export function hash32(seed: number, key: number, salt: number): number {
  const low = key >>> 0;
  const high = Math.floor(key / TWO_POW_32) >>> 0;
  let h = mix32(seed ^ Math.imul(salt + 1, 0x9e3779b9));
  h = mix32(h ^ low);
  h = mix32(h ^ Math.imul(high + 0x632be5ab, 0x27d4eb2f));
  return h;
}

/** `hash32` scaled to [0, 1). */
export function hashUnit(seed: number, key: number, salt: number): number {
  return hash32(seed, key, salt) / TWO_POW_32;
}

const EXPONENTIAL_STEPS = 4096;
/** -ln(1 - i / EXPONENTIAL_STEPS): quantiles of the unit exponential distribution. */
const EXPONENTIAL_QUANTILES = Float64Array.from({ length: EXPONENTIAL_STEPS }, (_, i) => -Math.log(1 - i / EXPONENTIAL_STEPS));

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    // splitmix32 expands the seed into four words; an all-zero state cannot come out of it
    // for every word at once, and xoshiro needs only one non-zero word.
    let state = seed >>> 0;
    const next = () => {
      state = (state + 0x9e3779b9) >>> 0;
      return mix32(state);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1;
  }

  /** Next unsigned 32-bit value. */
  nextUint32(): number {
    const s1 = this.s1;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution: enough for coin flips and small tables. */
  nextUnit(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [0, 1) with 53 bits of resolution: for large alias tables. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** Uniform integer in [0, bound), bound <= 2^32. */
  nextBelow(bound: number): number {
    return Math.floor(this.nextUnit() * bound);
  }

  /**
   * Exponentially distributed with the given mean: -ln(1 - u) read from a table with linear
   * interpolation (Math.log per row was the generator's largest cost), exact in the last bucket
   * where the curve is steep.
   */
  nextExponential(mean: number): number {
    const x = this.nextUnit() * EXPONENTIAL_STEPS;
    const i = Math.floor(x);
    if (i >= EXPONENTIAL_STEPS - 1) return -Math.log(1 - x / EXPONENTIAL_STEPS) * mean;
    const low = EXPONENTIAL_QUANTILES[i] as number;
    return (low + (x - i) * ((EXPONENTIAL_QUANTILES[i + 1] as number) - low)) * mean;
  }
}
