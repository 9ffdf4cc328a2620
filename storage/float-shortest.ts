/**
 * The shortest decimal digits of a float8 or float4 exactly as PostgreSQL's copy of Ryu chooses
 * them. PostgreSQL builds Ryu without STRICTLY_SHORTEST, so a decimal lying exactly on a bound of
 * the rounding interval is never taken even when it would read back correctly (1e23 prints as
 * 9.999999999999999e+22); among the shortest candidates strictly inside, the exact value rounded
 * half to even wins.
 *
 * For float8 below 2^52 no bound can have 17 or fewer significant digits, so JS's own shortest
 * digits (which may take a bound) are the same and are used; everything else is computed exactly.
 */
const scratch = new DataView(new ArrayBuffer(8));

/** Digits without trailing zeros and the decimal exponent of the first: d.ddd × 10^exponent. */
export type DecimalDigits = [digits: string, exponent: number];

export function shortestFloat64Digits(magnitude: number): DecimalDigits {
  if (magnitude < 4503599627370496) {
    const text = magnitude.toExponential();
    const e = text.indexOf('e');
    const mantissa = text.slice(0, e);
    return [mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa, Number(text.slice(e + 1))];
  }
  scratch.setFloat64(0, magnitude);
  const high = scratch.getUint32(0);
  const low = scratch.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = biased === 0 ? -1074 : biased - 1075;
  const halfLowerGap = fraction === 0n && biased > 1;
  return shortestStrictlyInside(mantissa, exponent, halfLowerGap, magnitude, 17);
}

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
  for (let length = 1; length <= maxDigits + 1; length++) {
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
    if (!inside(floor) && !inside(ceiling)) continue;
    const twiceRemainder = 2n * (value - floor * denominator);
    let chosen: bigint;
    if (twiceRemainder > denominator) chosen = ceiling;
    else if (twiceRemainder < denominator) chosen = floor;
    else chosen = (floor & 1n) === 0n ? floor : ceiling;
    if (!inside(chosen)) chosen = chosen === floor ? ceiling : floor;
    let digits = chosen.toString();
    const first = power + digits.length - 1;
    let end = digits.length;
    while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
    digits = digits.slice(0, end);
    return [digits, first];
  }
  throw new Error(`no shortest decimal found for ${approx}`);
}
