/**
 * Cast kernel. Common numeric widenings run as typed-array loops; every other pair goes through the
 * value codecs' castValue, which implements PostgreSQL's cast semantics row by row.
 */
import type { DataType, Value } from '../../storage/types.js';
import { castValue, timeConversion, type FormatSettings } from '../../storage/value-codecs.js';
import { allocateFixed, getValue, withType, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';

const timeTypes = new Set(['date', 'timestamp', 'timestamptz']);
const widening = new Set(['int2>int4', 'int2>float8', 'int4>float8', 'int2>float4', 'float4>float8', 'date>date', 'int4>int4']);

export function castVector(input: Vector, to: DataType, settings: FormatSettings, length: number, explicit: boolean): Vector {
  const from = input.type;
  if (from.id === to.id && to.typmod < 0) return withType(input, to);
  if (input.kind === 'fixed' && widening.has(`${from.id}>${to.id}`)) {
    const out = allocateFixed(to.layout, length) as Float64Array;
    out.set(input.values as Float64Array);
    return { kind: 'fixed', type: to, length, values: out, validity: input.validity };
  }
  if (input.kind === 'fixed' && (from.id === 'int2' || from.id === 'int4') && to.id === 'int8') {
    const out = new BigInt64Array(length);
    const a = input.values as Int32Array;
    for (let i = 0; i < length; i++) out[i] = BigInt(a[i] as number);
    return { kind: 'fixed', type: to, length, values: out, validity: input.validity };
  }
  if (input.kind === 'fixed' && timeTypes.has(from.id) && timeTypes.has(to.id) && to.typmod < 0) {
    // One resolved zone for the whole vector; NULL slots are skipped (they may hold anything).
    const convert = timeConversion(from.id, to.id, settings);
    const values = input.values as Float64Array | Int32Array;
    const out = allocateFixed(to.layout, length) as Float64Array | Int32Array;
    const validity = input.validity;
    for (let i = 0; i < length; i++) if (validity === null || validity[i] === 1) out[i] = convert(values[i] as number);
    return { kind: 'fixed', type: to, length, values: out, validity };
  }
  const builder = new VectorBuilder(to, length);
  for (let i = 0; i < length; i++) {
    const value: Value = getValue(input, i);
    builder.appendValue(value === null ? null : castValue(value, from, to, settings, explicit ? 'explicit' : 'assignment'));
  }
  return builder.view();
}
