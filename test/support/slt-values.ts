/**
 * How result values and column types are written in .slt files: values exactly as PostgreSQL's
 * text output prints them, NULL as `NULL`, the empty string as `(empty)`, columns separated by a
 * tab; column types as one letter each, derived from the RowDescription type OID.
 */

export const nullText = 'NULL';
export const emptyText = '(empty)';

/** Encodes one value received in text format. Values holding a tab or newline cannot be written. */
export function encodeValue(value: string | null): string {
  if (value === null) return nullText;
  if (value === '') return emptyText;
  if (/[\t\n\r]/.test(value)) {
    throw new Error(`value ${JSON.stringify(value)} holds a tab or line break, which an .slt row cannot hold; replace() it in the query`);
  }
  return value;
}

// Type OIDs from PostgreSQL's pg_type.dat.
const integerOids = new Set([20, 21, 23, 26]); // int8, int2, int4, oid
const realOids = new Set([700, 701, 1700]); // float4, float8, numeric
const boolOids = new Set([16]);
const dateTimeOids = new Set([1082, 1083, 1114, 1184, 1186, 1266]); // date, time, timestamp, timestamptz, interval, timetz

/** The .slt letter of a column type: I integer, R float/numeric, B bool, D date/time, T anything else. */
export function typeLetter(oid: number): string {
  if (integerOids.has(oid)) return 'I';
  if (realOids.has(oid)) return 'R';
  if (boolOids.has(oid)) return 'B';
  if (dateTimeOids.has(oid)) return 'D';
  return 'T';
}

/** Rows joined as lines; rowsort compares these lines sorted by code unit, so the order is the same everywhere. */
export function rowLines(rows: readonly (readonly string[])[], sort: 'rowsort' | 'nosort'): string[] {
  const lines = rows.map((row) => row.join('\t'));
  if (sort === 'rowsort') lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return lines;
}
