/**
 * The codec oracle's seeded random source and the case shapes shared by its case lists, so the
 * fixtures it records are the same on every run.
 */
/** A small seeded generator (mulberry32) so the fixtures are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(20240131);

/** A number in [0, 1) from the oracle's one seeded stream. */
export function nextRandom(): number {
  return random();
}

export const randomInt = (n: number) => Math.floor(random() * n);
export const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;

export interface TextCase {
  /** SQL type name, possibly with a modifier: numeric(5,2), varchar(3), timestamp(3). */
  readonly type: string;
  readonly input: string;
  readonly settings?: Settings;
}

export interface Settings {
  readonly timeZone?: string;
  readonly dateStyle?: string;
  readonly extraFloatDigits?: number;
  readonly intervalStyle?: string;
}

/** A decimal with up to maxDigits integer digits and maxScale fraction digits, either sign. */
export function randomDecimal(maxDigits = 30, maxScale = 20): string {
  const integerDigits = randomInt(maxDigits);
  const scale = randomInt(maxScale);
  let text = '';
  for (let i = 0; i < integerDigits; i++) text += String(i === 0 ? 1 + randomInt(9) : randomInt(10));
  if (text === '') text = '0';
  if (scale > 0) {
    let fraction = '';
    for (let i = 0; i < scale; i++) fraction += String(randomInt(10));
    text += '.' + fraction;
  }
  return random() < 0.4 ? '-' + text : text;
}
