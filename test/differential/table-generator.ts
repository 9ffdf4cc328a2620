/**
 * A generated table: one column of each core type plus a few more of random types, and rows drawn
 * from small domains (so groups, duplicates and ties happen) with NULLs. Every value is exactly
 * representable: float8 values are multiples of 1/4, numeric values fit their (p, s).
 */
import type { Random } from '../support/random.js';

export type ColumnType = 'bool' | 'int2' | 'int4' | 'int8' | 'float8' | 'numeric' | 'text' | 'date' | 'timestamptz';

export const coreTypes: readonly ColumnType[] = ['bool', 'int2', 'int4', 'int8', 'float8', 'numeric', 'text', 'date', 'timestamptz'];

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** Largest absolute value (numbers only), for the generator's overflow bounds. */
  readonly bound: number;
  /** numeric only: the declared precision and scale. */
  readonly precision: number;
  readonly scale: number;
  /** How many distinct values the column draws from: small means many duplicates. */
  readonly domain: number;
  readonly nullChance: number;
}

export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  /** CREATE TABLE, then INSERTs: run the same on both servers. */
  readonly statements: readonly string[];
}

/** Characters of generated text: letters of both cases and LIKE's wildcards, so patterns matter. */
export const textAlphabet = ['a', 'b', 'c', 'A', 'B', '_', '%', ' ', 'é', 'É'];
export const baseDate = Date.UTC(2024, 0, 1);
const dayMs = 86_400_000;

export function generateTable(random: Random, name = 'diff_t'): Table {
  const types = [...coreTypes];
  for (let extra = random.int(0, 3); extra > 0; extra--) types.push(random.pick(coreTypes));
  // Shuffle, so column positions vary between seeds.
  for (let i = types.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [types[i], types[j]] = [types[j]!, types[i]!];
  }
  const columns = types.map((type, index) => generateColumn(random, `c${index}`, type));
  const rowCount = random.int(20, 160);
  const rows: string[] = [];
  for (let i = 0; i < rowCount; i++) rows.push(`(${columns.map((column) => literalValue(random, column)).join(', ')})`);
  const definitions = columns.map((column) =>
    column.type === 'numeric' ? `${column.name} numeric(${column.precision}, ${column.scale})` : `${column.name} ${column.type}`,
  );
  const statements = [`CREATE TABLE ${name} (${definitions.join(', ')})`];
  for (let start = 0; start < rows.length; start += 50) {
    statements.push(`INSERT INTO ${name} VALUES ${rows.slice(start, start + 50).join(', ')}`);
  }
  return { name, columns, statements };
}

function generateColumn(random: Random, name: string, type: ColumnType): Column {
  const domain = random.pick([3, 8, 40, 1000]);
  const nullChance = random.pick([0, 0.1, 0.3]);
  const precision = random.int(4, 12);
  const scale = random.int(0, Math.min(4, precision - 1));
  const bounds: Record<ColumnType, number> = {
    bool: 1,
    int2: 100,
    int4: 10_000,
    int8: 1_000_000,
    float8: 1000,
    numeric: Math.min(10 ** (precision - scale) - 1, 10_000),
    text: 0,
    date: 0,
    timestamptz: 0,
  };
  return { name, type, bound: bounds[type], precision, scale, domain, nullChance };
}

function literalValue(random: Random, column: Column): string {
  if (random.chance(column.nullChance)) return 'NULL';
  // Values come from a domain of `column.domain` seeds, each seed mapping to one value.
  const seed = random.int(0, column.domain - 1);
  return valueFromSeed(column, seed);
}

/** Deterministic value number `seed` of the column's domain (a hash spreads seeds over the range). */
function valueFromSeed(column: Column, seed: number): string {
  const spread = (Math.imul(seed + 1, 0x9e3779b1) >>> 0) / 4294967296;
  const signed = (bound: number) => Math.round((spread * 2 - 1) * bound);
  switch (column.type) {
    case 'bool':
      return seed % 2 === 0 ? 'true' : 'false';
    case 'int2':
    case 'int4':
    case 'int8':
      return String(signed(column.bound));
    case 'float8':
      return String(signed(column.bound * 4) / 4);
    case 'numeric': {
      const units = signed(column.bound * 10 ** column.scale);
      return column.scale === 0 ? String(units) : (units / 10 ** column.scale).toFixed(column.scale);
    }
    case 'text': {
      const length = seed % 5;
      let text = '';
      for (let i = 0; i < length; i++) text += textAlphabet[Math.floor(spread * 7919 * (i + 1)) % textAlphabet.length];
      return `'${text}'`;
    }
    case 'date':
      return `'${isoDate(baseDate + signed(45) * dayMs)}'`;
    case 'timestamptz': {
      const quarterHours = signed(45 * 96);
      const offset = seed % 3 === 0 ? '+02' : '+00';
      return `'${isoDate(baseDate + quarterHours * 900_000)} ${isoTime(quarterHours)}${offset}'`;
    }
  }
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoTime(quarterHours: number): string {
  const inDay = ((quarterHours % 96) + 96) % 96;
  const hours = String(Math.floor(inDay / 4)).padStart(2, '0');
  const minutes = String((inDay % 4) * 15).padStart(2, '0');
  return `${hours}:${minutes}:00`;
}
