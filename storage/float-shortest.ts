/**
 * The shortest decimal digits of a float8 or float4 exactly as PostgreSQL's copy of Ryu chooses
 * them. PostgreSQL builds Ryu without STRICTLY_SHORTEST, so a decimal lying exactly on a bound of
 * the rounding interval is never taken even when it would read back correctly (1e23 prints as
 * 9.999999999999999e+22); among the shortest candidates strictly inside, the exact value rounded
 * half to even wins.
 *
 * For float8, JS's own shortest digits are used unless they lie exactly on a bound, which needs
 * the value to be at least 2^52 and is then checked exactly. float4 digits are computed exactly.
 */
const scratch = new DataView(new ArrayBuffer(8));

/** Digits without trailing zeros and the decimal exponent of the first: d.ddd × 10^exponent. */
export type DecimalDigits = [digits: string, exponent: number];

export function shortestFloat64Digits(magnitude: number): DecimalDigits {
  const text = magnitude.toExponential();
  const e = text.indexOf('e');
  const mantissa = text.slice(0, e);
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  const exponent = Number(text.slice(e + 1));
  if (magnitude < 4503599627370496) return [digits, exponent];
  scratch.setFloat64(0, magnitude);
  const high = scratch.getUint32(0);
  const low = scratch.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const significand = fraction | (1n << 52n);
  const binaryExponent = biased - 1075;
  const halfLowerGap = fraction === 0n && biased > 1;
  // JS may have taken a decimal exactly on a bound of the interval; only then compute Ryu's answer.
  if (!onIntervalBound(digits, exponent, significand, binaryExponent, halfLowerGap)) return [digits, exponent];
  return shortestStrictlyInside(significand, binaryExponent, halfLowerGap, magnitude, 17);
}

/**
 * Whether digits × 10^(exponent - length + 1) lies exactly on a bound of the rounding interval of
 * significand × 2^binaryExponent (binaryExponent >= 0 here: the value is an integer).
 */
function onIntervalBound(
  digits: string,
  exponent: number,
  significand: bigint,
  binaryExponent: number,
  halfLowerGap: boolean,
): boolean {
  const power = exponent - digits.length + 1;
  // A bound is (2m ± 1) or (4m - 1) times a power of two, below 2^55 < 5^24 in its odd part: it
  // cannot carry 24 or more trailing decimal zeros.
  if (power >= 24) return false;
  // Four times the values, so the bounds (half an ulp, or a quarter below a power of two) are
  // integers: compare 4·candidate with 4·value + 2·ulp and 4·value - (2 or 1)·ulp.
  let candidate = 4n * BigInt(digits);
  let value = significand << BigInt(binaryExponent + 2);
  let ulp = 1n << BigInt(binaryExponent);
  if (power >= 0) candidate *= pow10(power);
  else {
    value *= pow10(-power);
    ulp *= pow10(-power);
  }
  const difference = candidate - value;
  if (difference === 2n * ulp) return true;
  return difference === -(halfLowerGap ? ulp : 2n * ulp);
}

/** Ryu's float4 digits, computed exactly with BigInt (about 3 µs a value). */
export function shortestFloat32Digits(magnitude: number): DecimalDigits {
  scratch.setFloat32(0, magnitude);
  const bits = scratch.getUint32(0);
  const biased = (bits >>> 23) & 0xff;
  const fraction = bits & 0x7fffff;
  const mantissa = BigInt(biased === 0 ? fraction : fraction | 0x800000);
  const exponent = biased === 0 ? -149 : biased - 150;
  const halfLowerGap = fraction === 0 && biased > 1;
  return shortestStrictlyInside(mantissa, exponent, halfLowerGap, magnitude, 9);
}

/** Ryu's float8 digits computed exactly with BigInt (the reference for the fast path). */
export function exactShortestFloat64Digits(magnitude: number): DecimalDigits {
  scratch.setFloat64(0, magnitude);
  const high = scratch.getUint32(0);
  const low = scratch.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  return shortestStrictlyInside(mantissa, biased === 0 ? -1074 : biased - 1075, fraction === 0n && biased > 1, magnitude, 17);
}

const powersOfTen: bigint[] = [1n];
function pow10(n: number): bigint {
  for (let i = powersOfTen.length; i <= n; i++) powersOfTen.push((powersOfTen[i - 1] as bigint) * 10n);
  return powersOfTen[n] as bigint;
}

/**
 * value = mantissa × 2^exponent; the rounding interval is (value - lowerGap, value + 2^(exponent-1))
 * with lowerGap = 2^(exponent-1), or half that just above a power of two.
 */
function shortestStrictlyInside(
  mantissa: bigint,
  exponent: number,
  halfLowerGap: boolean,
  approx: number,
  maxDigits: number,
): DecimalDigits {
  // Quarter-ulp units: value, lower and upper bound as multiples of 2^(exponent-2).
  const mv = 4n * mantissa;
  const mm = mv - (halfLowerGap ? 1n : 2n);
  const mp = mv + 2n;
  const binary = exponent - 2;
  const leading = Number(approx.toExponential().split('e')[1]);
  /** Ryu's choice among decimals of `length` digits, or null when none is strictly inside. */
  const attempt = (length: number): DecimalDigits | null => {
    const power = leading - length + 1;
    // Everything over a common denominator: x × 2^binary / 10^power.
    let scale = 1n;
    let denominator = 1n;
    if (binary >= 0) scale <<= BigInt(binary);
    else denominator <<= BigInt(-binary);
    if (power >= 0) denominator *= pow10(power);
    else scale *= pow10(-power);
    const value = mv * scale;
    const lower = mm * scale;
    const upper = mp * scale;
    const floor = value / denominator;
    const inside = (c: bigint) => c * denominator > lower && c * denominator < upper;
    const ceiling = floor + 1n;
    if (!inside(floor) && !inside(ceiling)) return null;
    const twiceRemainder = 2n * (value - floor * denominator);
    let chosen: bigint;
    if (twiceRemainder > denominator) chosen = ceiling;
    else if (twiceRemainder < denominator) chosen = floor;
    else chosen = (floor & 1n) === 0n ? floor : ceiling;
    if (!inside(chosen)) chosen = chosen === floor ? ceiling : floor;
    const digits = chosen.toString();
    let end = digits.length;
    while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
    return [digits.slice(0, end), power + digits.length - 1];
  };
  // A length that fits makes every longer one fit (append a zero), so bisect for the shortest.
  let low = 1;
  let high = maxDigits + 1;
  let found: DecimalDigits | null = null;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const result = attempt(middle);
    if (result === null) low = middle + 1;
    else {
      found = result;
      high = middle - 1;
    }
  }
  if (found === null) throw new Error(`no shortest decimal found for ${approx}`);
  return found;
}
