/**
 * Malformed message contents: the SQLSTATEs and messages below are what PostgreSQL 15 answers
 * to the same bytes (checked against a real server; see protocol-postgres-parity for the flows).
 */
import { describe, expect, test } from 'vitest';
import { DbError } from '../../../storage/errors.js';
import { decodeMessage } from '../../../src/server/frontend-messages.js';
import { checkUtf8, firstInvalidUtf8 } from '../../../src/server/utf8.js';

const b = (...bytes: number[]) => Buffer.from(bytes);

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DbError);
    const e = error as DbError;
    return `${e.severity} ${e.code} ${e.message}`;
  }
  return 'no error';
}

const decode = (type: string, body: Buffer) => () => decodeMessage(type.charCodeAt(0), body);

describe('frontend message contents', () => {
  test('a string without its terminator', () => {
    expect(errorOf(decode('P', Buffer.from('abc')))).toBe('ERROR 08P01 invalid string in message');
    expect(errorOf(decode('Q', Buffer.from('select 1')))).toBe('ERROR 08P01 invalid string in message');
  });

  test('a count that overruns the message', () => {
    expect(errorOf(decode('P', Buffer.from('\0select 1\0\0\x05')))).toBe('ERROR 08P01 insufficient data left in message');
    expect(errorOf(decode('E', Buffer.from('\0')))).toBe('ERROR 08P01 insufficient data left in message');
    // A parameter length of -2 (only -1 means NULL).
    expect(errorOf(decode('B', Buffer.concat([Buffer.from('\0\0'), b(0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0, 0)])))).toBe(
      'ERROR 08P01 insufficient data left in message',
    );
  });

  test('bytes left over after the last field', () => {
    expect(errorOf(decode('P', Buffer.from('\0select 1\0\0\0xyz')))).toBe('ERROR 08P01 invalid message format');
    expect(errorOf(decode('Q', Buffer.from('select 1\0x')))).toBe('ERROR 08P01 invalid message format');
    expect(errorOf(decode('S', Buffer.from('x')))).toBe('ERROR 08P01 invalid message format');
  });

  test('Describe and Close with an unknown target', () => {
    expect(errorOf(decode('D', Buffer.from('X\0')))).toBe('ERROR 08P01 invalid DESCRIBE message subtype 88');
    expect(errorOf(decode('C', Buffer.from('X\0')))).toBe('ERROR 08P01 invalid CLOSE message subtype 88');
  });

  test('Bind with a parameter format count that matches neither one nor the parameters', () => {
    const body = Buffer.concat([Buffer.from('\0q\0'), b(0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0x31, 0, 0)]);
    expect(errorOf(decode('B', body))).toBe('ERROR 08P01 bind message has 2 parameter formats but 1 parameters');
  });

  test('Bind decodes formats, NULLs and values', () => {
    const body = Buffer.concat([
      Buffer.from('p\0s\0'),
      b(0, 1, 0, 1), // one parameter format: binary
      b(0, 2, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2, 7, 8), // NULL, then two bytes
      b(0, 2, 0, 0, 0, 1), // result formats text, binary
    ]);
    const m = decodeMessage(0x42, body);
    expect(m).toMatchObject({ kind: 'Bind', portal: 'p', statement: 's', paramFormats: [1], resultFormats: [0, 1] });
    expect(m.kind === 'Bind' && m.params.map((p) => (p === null ? null : [...p]))).toEqual([null, [7, 8]]);
  });

  test('Execute treats a negative row count as no limit', () => {
    expect(decodeMessage(0x45, Buffer.concat([Buffer.from('p\0'), b(0xff, 0xff, 0xff, 0xff)]))).toEqual({
      kind: 'Execute',
      portal: 'p',
      maxRows: 0,
    });
  });

  test('Parse reads type OIDs as unsigned', () => {
    const m = decodeMessage(0x50, Buffer.concat([Buffer.from('\0select $1\0'), b(0, 1, 0xff, 0xff, 0xff, 0xfe)]));
    expect(m).toEqual({ kind: 'Parse', statement: '', sql: 'select $1', paramTypeOids: [4294967294] });
  });
});

describe('UTF-8 validation', () => {
  test('reports the bytes of the first invalid character as PostgreSQL does', () => {
    const q = (...bytes: number[]) => Buffer.concat([Buffer.from("select 'a"), b(...bytes), Buffer.from("'\0")]);
    expect(errorOf(decode('Q', q(0xc3, 0x28, 0xe2, 0x82)))).toBe('ERROR 22021 invalid byte sequence for encoding "UTF8": 0xc3 0x28');
    expect(errorOf(decode('Q', q(0xe2, 0x82)))).toBe('ERROR 22021 invalid byte sequence for encoding "UTF8": 0xe2 0x82 0x27');
    expect(errorOf(decode('Q', q(0xff)))).toBe('ERROR 22021 invalid byte sequence for encoding "UTF8": 0xff');
    expect(errorOf(() => checkUtf8(b(0x61, 0)))).toBe('ERROR 22021 invalid byte sequence for encoding "UTF8": 0x00');
  });

  test('agrees with the platform validator on overlongs, surrogates and out-of-range code points', () => {
    const cases = [
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x98, 0x80],
      [0xe2, 0x82, 0xac],
    ];
    for (const bytes of cases) {
      const buffer = b(...bytes);
      const valid = new TextDecoder('utf-8', { fatal: false }).decode(buffer).includes('\ufffd') === false;
      expect(firstInvalidUtf8(buffer) === buffer.length).toBe(valid);
    }
  });
});
