/**
 * Orders numeric values in their canonical decimal text form ("-12.50", "0", "NaN", "Infinity",
 * "-Infinity") by value, as PostgreSQL orders numeric: -Infinity < finite < Infinity < NaN.
 * Only the order is needed by storage (sort keys, zone maps), so nothing is parsed into numbers.
 */

function rank(s: string): number {
  if (s === 'NaN') return 3;
  if (s === 'Infinity') return 2;
  if (s === '-Infinity') return 0;
  return 1;
}

/** Splits an unsigned decimal into integer digits without leading zeros and the fraction digits. */
function parts(s: string, from: number): [string, string] {
  const dot = s.indexOf('.', from);
  let integer = dot < 0 ? s.slice(from) : s.slice(from, dot);
  let i = 0;
  while (i < integer.length - 1 && integer.charCodeAt(i) === 48) i++;
  integer = integer.slice(i);
  if (integer === '0') integer = '';
  return [integer, dot < 0 ? '' : s.slice(dot + 1)];
}

function isZero(integer: string, fraction: string): boolean {
  return integer === '' && /^0*$/.test(fraction);
}

function compareMagnitude(a: [string, string], b: [string, string]): number {
  if (a[0].length !== b[0].length) return a[0].length - b[0].length;
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  const n = Math.max(a[1].length, b[1].length);
  const fa = a[1].padEnd(n, '0');
  const fb = b[1].padEnd(n, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

export function compareDecimalText(a: string, b: string): number {
  if (a === b) return 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== 1 || rb !== 1) return ra - rb;
  const negativeA = a.charCodeAt(0) === 45;
  const negativeB = b.charCodeAt(0) === 45;
  const pa = parts(a, negativeA ? 1 : a.charCodeAt(0) === 43 ? 1 : 0);
  const pb = parts(b, negativeB ? 1 : b.charCodeAt(0) === 43 ? 1 : 0);
  const signA = isZero(pa[0], pa[1]) ? 0 : negativeA ? -1 : 1;
  const signB = isZero(pb[0], pb[1]) ? 0 : negativeB ? -1 : 1;
  if (signA !== signB) return signA - signB;
  if (signA === 0) return 0;
  const m = compareMagnitude(pa, pb);
  return signA < 0 ? -m : m;
}
