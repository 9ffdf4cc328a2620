/**
 * jsonb functions that build documents: to_jsonb (one signature per type, as the binder has no
 * "any" parameter), jsonb_build_object (the binder wraps every argument in to_jsonb), and the
 * functions behind `||` (jsonb_concat) and `-` (jsonb_delete). Results are normalized jsonb text:
 * assembled JSON goes through parseJsonb, which sorts and de-duplicates keys as jsonb_in does.
 */
import { decodeArray } from '../../storage/array-value.js';
import { DbError, featureNotSupported } from '../../storage/errors.js';
import { parseJsonb, quoteJsonString } from '../../storage/jsonb.js';
import { decodeString, jsonbChildren, jsonbTypeOf } from '../../storage/jsonb-value.js';
import { elementType, Types, type DataType, type Value } from '../../storage/types.js';
import { formatText, type FormatSettings } from '../../storage/value-codecs.js';
import { getValue, type Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { numbersOf, stringResult, stringsOf, strictValidity } from './function-vectors.js';

const J = Types.jsonb;
const T = Types.text;

/** ISO 8601 as PostgreSQL's JSON output writes datetimes ("2024-06-01T10:00:00+00:00"). */
function isoDateTime(type: DataType, value: Value, settings: FormatSettings): string {
  const text = formatText(type, value, { ...settings, dateStyle: 'ISO, MDY' });
  if (!/^\d{4,}-\d\d-\d\d/.test(text)) return quoteJsonString(text); // infinity, BC dates
  const iso = text.replace(' ', 'T');
  return quoteJsonString(type.id === 'timestamptz' && /[+-]\d\d$/.test(iso) ? iso + ':00' : iso);
}

/** to_jsonb of one non-null value of `type`. */
export function toJsonb(type: DataType, value: Value, settings: FormatSettings): string {
  const element = elementType(type);
  if (element !== null) {
    const items = decodeArray(value as string, element).map((v) => (v === null ? 'null' : toJsonb(element, v, settings)));
    return '[' + items.join(', ') + ']';
  }
  switch (type.id) {
    case 'jsonb':
      return value as string;
    case 'bool':
      return value === true || value === 1 ? 'true' : 'false';
    case 'int2':
    case 'int4':
    case 'int8':
      return String(value);
    case 'float4':
    case 'float8':
    case 'numeric': {
      const text = formatText(type, value, settings);
      return /^-?\d/.test(text) ? parseJsonb(text) : quoteJsonString(text);
    }
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return isoDateTime(type, value, settings);
    case 'text':
    case 'varchar':
    case 'unknown':
      return quoteJsonString(value as string);
    case 'interval':
      return quoteJsonString(formatText(type, value, settings));
    default:
      throw featureNotSupported(`to_jsonb(${type.name})`);
  }
}

const toJsonbTypes: readonly DataType[] = [
  Types.jsonb, Types.bool, Types.int2, Types.int4, Types.int8, Types.float4, Types.float8, Types.numeric,
  Types.text, Types.varchar, Types.date, Types.timestamp, Types.timestamptz, Types.interval,
  Types._bool, Types._int2, Types._int4, Types._int8, Types._float4, Types._float8, Types._numeric,
  Types._text, Types._varchar, Types._date, Types._timestamp, Types._timestamptz, Types._interval, Types._jsonb,
];

/** An object key from a to_jsonb'd argument: strings unquoted, other scalars as their text. */
function keyText(document: string, position: number): string {
  const kind = jsonbTypeOf(document);
  if (kind === 'string') return decodeString(document);
  if (kind === 'object' || kind === 'array') {
    throw new DbError('22023', 'key value must be scalar, not array, composite, or json');
  }
  if (kind === 'null') throw new DbError('22004', `argument ${position}: key must not be null`);
  return document;
}

/** Both operands as element lists (a scalar is one element), or objects as key/value lists. */
function concat(left: string, right: string): string {
  const l = jsonbChildren(left);
  const r = jsonbChildren(right);
  if (l !== null && r !== null && l.keys !== null && r.keys !== null) {
    const entries = [...l.keys.map((k, i) => [k, l.values[i]]), ...r.keys.map((k, i) => [k, r.values[i]])];
    return parseJsonb('{' + entries.map(([k, v]) => quoteJsonString(k as string) + ': ' + (v as string)).join(', ') + '}');
  }
  const items = (text: string, parts: ReturnType<typeof jsonbChildren>) => (parts === null || parts.keys !== null ? [text] : parts.values);
  return '[' + [...items(left, l), ...items(right, r)].join(', ') + ']';
}

function deleteKey(document: string, key: string): string {
  const parts = jsonbChildren(document);
  if (parts === null) throw new DbError('22023', 'cannot delete from scalar');
  if (parts.keys !== null) {
    const kept = parts.keys.flatMap((k, i) => (k === key ? [] : [quoteJsonString(k) + ': ' + (parts.values[i] as string)]));
    return '{' + kept.join(', ') + '}';
  }
  const kept = parts.values.filter((v) => !(v.charCodeAt(0) === 34 && decodeString(v) === key));
  return '[' + kept.join(', ') + ']';
}

function deleteIndex(document: string, index: number): string {
  const parts = jsonbChildren(document);
  if (parts === null) throw new DbError('22023', 'cannot delete from scalar');
  if (parts.keys !== null) throw new DbError('22023', 'cannot delete from object using integer index');
  const at = index < 0 ? parts.values.length + index : index;
  return '[' + parts.values.filter((_, i) => i !== at).join(', ') + ']';
}

function mapJsonb(args: readonly Vector[], n: number, f: (row: number) => string): Vector {
  const validity = strictValidity(args, n);
  const out = new Array<string>(n).fill('');
  for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = f(i);
  return stringResult(J, out, validity);
}

export const jsonbBuildFunctions: readonly ScalarFunctionDef[] = [
  {
    name: 'to_jsonb',
    signatures: toJsonbTypes.map((t) => ({ argTypes: [t], returnType: J })),
    strict: true,
    evaluate: (_s, args, n, context) => {
      const arg = args[0] as Vector;
      return mapJsonb(args, n, (i) => toJsonb(arg.type, getValue(arg, i), context.settings));
    },
  },
  {
    name: 'jsonb_build_object',
    signatures: [{ argTypes: [J], returnType: J, variadic: true }],
    strict: false,
    evaluate: (_s, args, n) => {
      if (args.length % 2 !== 0) {
        throw new DbError('22023', 'argument list must have even number of elements', {
          hint: 'The arguments of jsonb_build_object() must consist of alternating keys and values.',
        });
      }
      const out = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const entries: string[] = [];
        for (let k = 0; k < args.length; k += 2) {
          const key = args[k] as Vector;
          const value = args[k + 1] as Vector;
          if (key.validity !== null && key.validity[i] === 0) throw new DbError('22004', `argument ${k + 1}: key must not be null`);
          const valueText = value.validity !== null && value.validity[i] === 0 ? 'null' : ((value.values as readonly string[])[i] as string);
          entries.push(quoteJsonString(keyText((key.values as readonly string[])[i] as string, k + 1)) + ': ' + valueText);
        }
        out[i] = parseJsonb('{' + entries.join(', ') + '}');
      }
      return stringResult(J, out, null);
    },
  },
  {
    name: 'jsonb_concat',
    signatures: [{ argTypes: [J, J], returnType: J }],
    strict: true,
    evaluate: (_s, args, n) => {
      const left = stringsOf(args[0]);
      const right = stringsOf(args[1]);
      return mapJsonb(args, n, (i) => concat(left[i] as string, right[i] as string));
    },
  },
  {
    name: 'jsonb_delete',
    signatures: [
      { argTypes: [J, T], returnType: J },
      { argTypes: [J, Types.int4], returnType: J },
    ],
    strict: true,
    evaluate: (signature, args, n) => {
      const documents = stringsOf(args[0]);
      if (signature === 1) {
        const indexes = numbersOf(args[1]);
        return mapJsonb(args, n, (i) => deleteIndex(documents[i] as string, indexes[i] as number));
      }
      const keys = stringsOf(args[1]);
      return mapJsonb(args, n, (i) => deleteKey(documents[i] as string, keys[i] as string));
    },
  },
];
