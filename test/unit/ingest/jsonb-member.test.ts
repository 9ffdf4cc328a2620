/** jsonbMemberText, the ingest path's `document->>'key'`, against the query engine's own ->>. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonbMemberText } from '../../../src/ingest/jsonb-member.js';
import { jsonbAsText, jsonbGet } from '../../../planner/kernels/jsonb-access.js';
import { parseJsonb } from '../../../storage/jsonb.js';

const keys = ['ua', 'user_agent', 'u', 'a"b', 'x\\y', ''];

describe('jsonbMemberText', () => {
  it('gives what ->> gives on normalized jsonb documents', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom(...keys), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys, 'other', 'p'), value, { maxKeys: 5 }), fc.constantFrom(...keys), (object, key) => {
        const document = parseJsonb(JSON.stringify(object));
        expect(jsonbMemberText(document, key)).toBe(jsonbAsText(jsonbGet(document, key)));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives null for a non-object document', () => {
    expect(jsonbMemberText(parseJsonb('["ua"]'), 'ua')).toBeNull();
    expect(jsonbMemberText(parseJsonb('"ua"'), 'ua')).toBeNull();
    expect(jsonbMemberText(parseJsonb('{}'), 'ua')).toBeNull();
  });
});
