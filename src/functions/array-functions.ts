/**
 * Array functions over one-dimensional arrays with lower bound 1: array_length, cardinality,
 * array_lower/array_upper, array_to_string and string_to_array. PostgreSQL declares them over
 * anyarray; here each array type has its own signature (the binder has no polymorphic types).
 */
import { arrayLength, decodeArray, encodeArray } from '../../storage/array-value.js';
import { elementType, Types, type DataType, type Value } from '../../storage/types.js';
import { formatText } from '../../storage/value-codecs.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { fixedResult, numbersOf, stringResult, stringsOf, strictValidity, codePoints } from './function-vectors.js';

const I4 = Types.int4;
const T = Types.text;

export const arrayTypes: readonly DataType[] = [
  Types._bool, Types._int2, Types._int4, Types._int8, Types._float4, Types._float8, Types._numeric,
  Types._text, Types._varchar, Types._date, Types._timestamp, Types._timestamptz, Types._interval, Types._jsonb,
];

/** An int4 per valid row; `f` returning null makes the row NULL. */
function mapInt4(args: readonly Vector[], n: number, f: (row: number) => number | null): Vector {
  const validity = strictValidity(args, n) ?? new Uint8Array(n).fill(1);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (validity[i] === 0) continue;
    const value = f(i);
    if (value === null) validity[i] = 0;
    else out[i] = value;
  }
  return fixedResult(I4, out, validity);
}

/** array_length/array_upper: the length in dimension 1; NULL for other dimensions and empty arrays. */
function dimensionLength(args: readonly Vector[], n: number, lower: boolean): Vector {
  const arrays = stringsOf(args[0]);
  const dimensions = numbersOf(args[1]);
  return mapInt4(args, n, (i) => {
    const length = arrayLength(arrays[i] as string);
    if (dimensions[i] !== 1 || length === 0) return null;
    return lower ? 1 : length;
  });
}

function arrayToString(args: readonly Vector[], n: number, settings: Parameters<ScalarFunctionDef['evaluate']>[3]['settings']): Vector {
  const arrays = args[0] as Vector;
  const element = elementType(arrays.type) as DataType;
  const texts = stringsOf(arrays);
  const delimiters = stringsOf(args[1]);
  const nullTexts = args[2];
  const validity = strictValidity(args.slice(0, 2), n);
  const out = new Array<string>(n).fill('');
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    // A NULL null_string is the same as none: NULL elements are skipped.
    const nullText = nullTexts === undefined || (nullTexts.validity !== null && nullTexts.validity[i] === 0) ? null : (stringsOf(nullTexts)[i] as string);
    const parts: string[] = [];
    for (const v of decodeArray(texts[i] as string, element)) {
      if (v === null) {
        if (nullText !== null) parts.push(nullText);
      } else parts.push(formatText(element, v, settings));
    }
    out[i] = parts.join(delimiters[i] as string);
  }
  return stringResult(T, out, validity);
}

/** string_to_array: split at each delimiter; a NULL delimiter splits into characters, '' keeps the whole string. */
function stringToArray(args: readonly Vector[], n: number): Vector {
  const input = args[0] as Vector;
  const delimiters = args[1] as Vector;
  const nullTexts = args[2];
  const out = new Array<string>(n).fill('');
  const validity = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (input.validity !== null && input.validity[i] === 0) continue;
    validity[i] = 1;
    const text = stringsOf(input)[i] as string;
    const delimiter = delimiters.validity !== null && delimiters.validity[i] === 0 ? null : (stringsOf(delimiters)[i] as string);
    const nullText = nullTexts === undefined || (nullTexts.validity !== null && nullTexts.validity[i] === 0) ? null : (stringsOf(nullTexts)[i] as string);
    let parts: string[];
    if (text.length === 0) parts = [];
    else if (delimiter === null) parts = Array.from(codePoints(text));
    else if (delimiter.length === 0) parts = [text];
    else parts = text.split(delimiter);
    const values: Value[] = parts.map((p) => (nullText !== null && p === nullText ? null : p));
    out[i] = encodeArray(values, T);
  }
  return stringResult(Types._text, out, validity);
}

export const arrayFunctions: readonly ScalarFunctionDef[] = [
  {
    name: 'array_length',
    signatures: arrayTypes.map((t) => ({ argTypes: [t, I4], returnType: I4 })),
    strict: true,
    evaluate: (_s, args, n) => dimensionLength(args, n, false),
  },
  {
    name: 'array_upper',
    signatures: arrayTypes.map((t) => ({ argTypes: [t, I4], returnType: I4 })),
    strict: true,
    evaluate: (_s, args, n) => dimensionLength(args, n, false),
  },
  {
    name: 'array_lower',
    signatures: arrayTypes.map((t) => ({ argTypes: [t, I4], returnType: I4 })),
    strict: true,
    evaluate: (_s, args, n) => dimensionLength(args, n, true),
  },
  {
    name: 'cardinality',
    signatures: arrayTypes.map((t) => ({ argTypes: [t], returnType: I4 })),
    strict: true,
    evaluate: (_s, args, n) => {
      const arrays = stringsOf(args[0]);
      return mapInt4(args, n, (i) => arrayLength(arrays[i] as string));
    },
  },
  {
    name: 'array_to_string',
    signatures: arrayTypes.flatMap((t) => [
      { argTypes: [t, T], returnType: T },
      { argTypes: [t, T, T], returnType: T },
    ]),
    // Not strict: a NULL null_string is allowed; NULL array or delimiter give NULL.
    strict: false,
    evaluate: (_s, args, n, context) => arrayToString(args, n, context.settings),
  },
  {
    name: 'string_to_array',
    signatures: [
      { argTypes: [T, T], returnType: Types._text },
      { argTypes: [T, T, T], returnType: Types._text },
    ],
    strict: false,
    evaluate: (_s, args, n) => stringToArray(args, n),
  },
];

/**
 * One definition from two families' signatures of the same name (array_to_string over Eventide's
 * arrays and over the system catalog's name[]/oid[] columns): each call goes to the family whose
 * signature the binder chose.
 */
export function mergeSignatures(first: ScalarFunctionDef, second: ScalarFunctionDef): ScalarFunctionDef {
  const split = first.signatures.length;
  return {
    name: first.name,
    signatures: [...first.signatures, ...second.signatures],
    // Each family sets the validity of its rows itself.
    strict: false,
    evaluate: (signature, args, n, context) =>
      signature < split ? first.evaluate(signature, args, n, context) : second.evaluate(signature - split, args, n, context),
  };
}
