/**
 * jsonb functions that read a document: jsonb_typeof, jsonb_array_length, jsonb_extract_path(_text)
 * and the functions behind the operators (`?` jsonb_exists, `?|` jsonb_exists_any, `?&`
 * jsonb_exists_all, `@>` jsonb_contains, `<@` jsonb_contained, `#>`/`#>>` the path extraction
 * over a text[]). Documents are normalized jsonb text: kernels scan it, and build a tree only for
 * containment, where a constant operand's tree is built once per batch.
 */
import { decodeArray } from '../../storage/array-value.js';
import { DbError } from '../../storage/errors.js';
import { jsonbAsText, jsonbGet } from '../../planner/kernels/jsonb-access.js';
import { jsonbContains, jsonbExists, jsonbTree, jsonbTypeOf, jsonbChildren, type JsonbNode } from '../../storage/jsonb-value.js';
import { Types } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { fixedResult, stringResult, stringsOf, strictValidity } from './function-vectors.js';

const J = Types.jsonb;
const T = Types.text;
const TA = Types._text;
const B = Types.bool;

/** Runs `f` on each valid row of a strict call; `null` from `f` makes the row NULL. */
function mapStrings(args: readonly Vector[], n: number, type: typeof J, f: (row: number) => string | null): Vector {
  const validity = strictValidity(args, n) ?? new Uint8Array(n).fill(1);
  const out = new Array<string>(n).fill('');
  for (let i = 0; i < n; i++) {
    if (validity[i] === 0) continue;
    const value = f(i);
    if (value === null) validity[i] = 0;
    else out[i] = value;
  }
  return stringResult(type, out, validity);
}

function mapBool(args: readonly Vector[], n: number, f: (row: number) => boolean): Vector {
  const validity = strictValidity(args, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = f(i) ? 1 : 0;
  return fixedResult(B, out, validity);
}

/** A path step: a member of an object, or an array element by integer position (negative from the end). */
function pathStep(document: string, step: string): string | null {
  const first = document.charCodeAt(0);
  if (first === 123) return jsonbGet(document, step);
  if (first !== 91) return null;
  if (!/^\s*[+-]?\d+$/.test(step)) return null;
  const index = Number(step);
  return Number.isSafeInteger(index) ? jsonbGet(document, index) : null;
}

/** jsonb_extract_path: follows the path; a NULL step or a missing member gives NULL. */
export function extractPath(document: string, path: readonly (string | null)[]): string | null {
  let current: string | null = document;
  for (const step of path) {
    if (current === null || step === null) return null;
    current = pathStep(current, step);
  }
  return current;
}

function extractPathVariadic(asText: boolean): ScalarFunctionDef['evaluate'] {
  return (_s, args, n) => {
    const documents = stringsOf(args[0]);
    const steps = args.slice(1);
    return mapStrings([args[0] as Vector], n, asText ? T : J, (i) => {
      const path = steps.map((s) => (s.validity !== null && s.validity[i] === 0 ? null : ((s.values as readonly string[])[i] as string)));
      const found = extractPath(documents[i] as string, path);
      return asText ? jsonbAsText(found) : found;
    });
  };
}

function extractPathArray(asText: boolean): ScalarFunctionDef['evaluate'] {
  return (_s, args, n) => {
    const documents = stringsOf(args[0]);
    const paths = stringsOf(args[1]);
    let lastPath = '';
    let steps: (string | null)[] = [];
    return mapStrings(args, n, asText ? T : J, (i) => {
      if (paths[i] !== lastPath || i === 0) {
        lastPath = paths[i] as string;
        steps = decodeArray(lastPath, T) as (string | null)[];
      }
      const found = extractPath(documents[i] as string, steps);
      return asText ? jsonbAsText(found) : found;
    });
  };
}

function existsAnyAll(all: boolean): ScalarFunctionDef['evaluate'] {
  return (_s, args, n) => {
    const documents = stringsOf(args[0]);
    const keyArrays = stringsOf(args[1]);
    let lastKeys = '';
    let keys: string[] = [];
    return mapBool(args, n, (i) => {
      if (keyArrays[i] !== lastKeys || i === 0) {
        lastKeys = keyArrays[i] as string;
        // NULL keys never match and are skipped, as PostgreSQL does.
        keys = (decodeArray(lastKeys, T) as (string | null)[]).filter((k): k is string => k !== null);
      }
      const document = documents[i] as string;
      return all ? keys.every((k) => jsonbExists(document, k)) : keys.some((k) => jsonbExists(document, k));
    });
  };
}

/** A tree per distinct text of a batch's run of equal values (constants are parsed once). */
function treeReader(values: readonly string[]): (row: number) => JsonbNode {
  let lastText: string | null = null;
  let lastTree: JsonbNode = { kind: 'null' };
  return (row) => {
    const text = values[row] as string;
    if (text !== lastText) {
      lastText = text;
      lastTree = jsonbTree(text);
    }
    return lastTree;
  };
}

function containment(swap: boolean): ScalarFunctionDef['evaluate'] {
  return (_s, args, n) => {
    const left = treeReader(stringsOf(args[0]));
    const right = treeReader(stringsOf(args[1]));
    return mapBool(args, n, (i) => (swap ? jsonbContains(right(i), left(i)) : jsonbContains(left(i), right(i))));
  };
}

const arrayLengthError = (document: string) =>
  new DbError('22023', jsonbTypeOf(document) === 'object' ? 'cannot get array length of a non-array' : 'cannot get array length of a scalar');

export const jsonbReadFunctions: readonly ScalarFunctionDef[] = [
  {
    name: 'jsonb_typeof',
    signatures: [{ argTypes: [J], returnType: T }],
    strict: true,
    evaluate: (_s, args, n) => {
      const documents = stringsOf(args[0]);
      return mapStrings(args, n, T, (i) => jsonbTypeOf(documents[i] as string));
    },
  },
  {
    name: 'jsonb_array_length',
    signatures: [{ argTypes: [J], returnType: Types.int4 }],
    strict: true,
    evaluate: (_s, args, n) => {
      const documents = stringsOf(args[0]);
      const validity = strictValidity(args, n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (validity !== null && validity[i] === 0) continue;
        const document = documents[i] as string;
        if (document.charCodeAt(0) !== 91) throw arrayLengthError(document);
        out[i] = (jsonbChildren(document) as { values: string[] }).values.length;
      }
      return fixedResult(Types.int4, out, validity);
    },
  },
  // VARIADIC text: a NULL path element gives NULL, so only the document makes the call strict.
  { name: 'jsonb_extract_path', signatures: [{ argTypes: [J, T], returnType: J, variadic: true }], strict: false, evaluate: extractPathVariadic(false) },
  { name: 'jsonb_extract_path_text', signatures: [{ argTypes: [J, T], returnType: T, variadic: true }], strict: false, evaluate: extractPathVariadic(true) },
  { name: 'jsonb_extract_path_op', signatures: [{ argTypes: [J, TA], returnType: J }], strict: true, evaluate: extractPathArray(false) },
  { name: 'jsonb_extract_path_text_op', signatures: [{ argTypes: [J, TA], returnType: T }], strict: true, evaluate: extractPathArray(true) },
  {
    name: 'jsonb_exists',
    signatures: [{ argTypes: [J, T], returnType: B }],
    strict: true,
    evaluate: (_s, args, n) => {
      const documents = stringsOf(args[0]);
      const keys = stringsOf(args[1]);
      return mapBool(args, n, (i) => jsonbExists(documents[i] as string, keys[i] as string));
    },
  },
  { name: 'jsonb_exists_any', signatures: [{ argTypes: [J, TA], returnType: B }], strict: true, evaluate: existsAnyAll(false) },
  { name: 'jsonb_exists_all', signatures: [{ argTypes: [J, TA], returnType: B }], strict: true, evaluate: existsAnyAll(true) },
  { name: 'jsonb_contains', signatures: [{ argTypes: [J, J], returnType: B }], strict: true, evaluate: containment(false) },
  { name: 'jsonb_contained', signatures: [{ argTypes: [J, J], returnType: B }], strict: true, evaluate: containment(true) },
];
