/** String functions: lower, upper, length (more of PostgreSQL's string functions join here). */
import { Types } from '../../storage/types.js';
import type { StringVector, Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';

function mapStrings(input: Vector, length: number, f: (s: string) => string): Vector {
  const values = (input as StringVector).values;
  const out = new Array<string>(length);
  for (let i = 0; i < length; i++) out[i] = f(values[i] as string);
  return { kind: 'string', type: Types.text, length, values: out, validity: input.validity };
}

export const stringFunctions: readonly ScalarFunctionDef[] = [
  {
    name: 'lower',
    signatures: [{ argTypes: [Types.text], returnType: Types.text }],
    strict: true,
    // The C collation's case mapping changes only ASCII letters, as PostgreSQL's lower() under C.
    evaluate: (_s, [input], n) => mapStrings(input as Vector, n, (s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase())),
  },
  {
    name: 'upper',
    signatures: [{ argTypes: [Types.text], returnType: Types.text }],
    strict: true,
    evaluate: (_s, [input], n) => mapStrings(input as Vector, n, (s) => s.replace(/[a-z]+/g, (m) => m.toUpperCase())),
  },
  {
    name: 'length',
    signatures: [{ argTypes: [Types.text], returnType: Types.int4 }],
    strict: true,
    evaluate: (_s, [input], n) => {
      const values = (input as StringVector).values;
      const out = new Int32Array(n);
      // Characters, not UTF-16 code units: count code points.
      for (let i = 0; i < n; i++) {
        const s = values[i] as string;
        let count = s.length;
        for (let k = 0; k < s.length; k++) {
          const c = s.charCodeAt(k);
          if (c >= 0xd800 && c <= 0xdbff) count--;
        }
        out[i] = count;
      }
      return { kind: 'fixed', type: Types.int4, length: n, values: out, validity: (input as Vector).validity };
    },
  },
];
