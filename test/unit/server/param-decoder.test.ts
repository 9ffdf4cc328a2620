/**
 * Text parameters of a many-parameter Bind are decoded from one latin1 pass; each must come out as
 * it does alone (the per-parameter UTF-8 path), including its errors.
 */
import { describe, expect, test } from 'vitest';
import { decodeMessage, type BindMessage } from '../../../src/server/frontend-messages.js';
import { decodeParams } from '../../../src/server/param-decoder.js';
import { formatSettings } from '../../../src/server/format-settings.js';
import { Types, type DataType } from '../../../storage/types.js';

function bind(params: (Buffer | null)[], formats: number[] = []): BindMessage {
  const parts: Buffer[] = [Buffer.from([0, 0])];
  const counts = Buffer.alloc(2 + formats.length * 2);
  counts.writeUInt16BE(formats.length, 0);
  formats.forEach((f, i) => counts.writeUInt16BE(f, 2 + 2 * i));
  parts.push(counts);
  const n = Buffer.alloc(2);
  n.writeUInt16BE(params.length);
  parts.push(n);
  for (const p of params) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(p === null ? -1 : p.length);
    parts.push(length);
    if (p !== null) parts.push(p);
  }
  parts.push(Buffer.from([0, 0]));
  return decodeMessage(0x42, Buffer.concat(parts)) as BindMessage;
}

const settings = formatSettings(new Map());

function decodeAlone(param: Buffer | null, type: DataType): unknown {
  try {
    return decodeParams(bind([param]), [type], 's', settings)[0];
  } catch (error) {
    return { error: (error as Error).message, code: (error as { code?: string }).code };
  }
}

describe('text parameters of one Bind', () => {
  const cases: [Buffer | null, DataType][] = [
    [Buffer.from('plain'), Types.text],
    [Buffer.from('é日本🙂'), Types.text],
    [null, Types.text],
    [Buffer.from(''), Types.text],
    [Buffer.from('42'), Types.int8],
    [Buffer.from('{"a": "ü"}'), Types.jsonb],
    [Buffer.from('2024-06-01 12:00:00+00'), Types.timestamptz],
    [Buffer.from([0x61, 0x00, 0x62]), Types.text],
    [Buffer.from([0xc3, 0x28]), Types.text],
    [Buffer.from([0x61, 0xff]), Types.text],
    [Buffer.from('x'.repeat(300)), Types.text],
  ];

  test('each parameter decodes as it does alone', () => {
    const good = cases.filter(([p, t]) => !(typeof decodeAlone(p, t) === 'object' && decodeAlone(p, t) !== null));
    const values = decodeParams(bind(good.map(([p]) => p)), good.map(([, t]) => t), 's', settings);
    expect(values).toEqual(good.map(([p, t]) => decodeAlone(p, t)));
    expect(values).toContain('é日本🙂');
  });

  test.each([
    ['invalid UTF-8', Buffer.from([0xc3, 0x28])],
    ['a NUL byte', Buffer.from([0x61, 0x00, 0x62])],
    ['a stray high byte', Buffer.from([0x61, 0xff])],
  ])('%s among many parameters fails with the same error as alone', (_what, bad) => {
    const alone = decodeAlone(bad, Types.text) as { error: string; code: string };
    expect(alone.code).toBe('22021');
    const params = [Buffer.from('a'), Buffer.from('é'), bad, Buffer.from('b')];
    expect(() => decodeParams(bind(params), params.map(() => Types.text), 's', settings)).toThrow(alone.error);
  });

  test('binary-format parameters among text ones keep their own decoding', () => {
    const int4 = Buffer.alloc(4);
    int4.writeInt32BE(-7);
    const values = decodeParams(bind([Buffer.from('ü'), int4], [0, 1]), [Types.text, Types.int4], 's', settings);
    expect(values).toEqual(['ü', -7]);
  });
});
