/**
 * The cast and binary-format inputs the codec oracle asks PostgreSQL about: a value sample per
 * type cast to every type, values for the send functions, and crafted binary parameters for the
 * receive functions. Only inputs live here.
 */
import { randomDecimal, type Settings, type TextCase } from './codec-oracle-random.js';

// ---- casts -----------------------------------------------------------------------------------

export interface CastCase {
  readonly from: string;
  readonly to: string;
  readonly input: string;
  readonly settings?: Settings;
}

export const castTypes = ['boolean', 'smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric', 'text',
  'character varying', 'date', 'timestamp without time zone', 'timestamp with time zone', 'jsonb'];

const castSamples: Record<string, string[]> = {
  boolean: ['true', 'false'],
  smallint: ['0', '-32768', '12'],
  integer: ['0', '1', '-7', '2147483647', '40000'],
  bigint: ['0', '9223372036854775807', '-9223372036854775808', '2147483648', '16777217', '9007199254740993', '-40000'],
  real: ['0', '1.5', '2.5', '-2.5', '3.5', '1e10', '3e9', 'NaN', 'Infinity', '-0', '0.1', '32767.5', '1e20', '16777216'],
  'double precision': ['0', '1.5', '2.5', '-2.5', '0.5', '-0.5', '2147483647.5', '2147483646.5', '-2147483648.5',
    '9.2233720368547758e18', '-9.2233720368547758e18', '1e300', '1e-300', '3.4e38', '3.5e38', '1e-46', 'NaN',
    '-Infinity', '0.1', '32767.4', '-32768.6', '123456789.987654321'],
  numeric: ['0', '1.5', '2.5', '-2.5', '-0.5', '32767.5', '2147483647.4', '9223372036854775807.5', 'NaN', 'Infinity',
    '1e400', '0.1', '123.4500'],
  text: ['true', ' 42 ', '1.5', '2024-01-31', '2024-01-31 13:45:00+02', '{"b":1,"a":[1,2]}', 'abc', 'yes'],
  'character varying': ['t', '7', '1e3', '2024-02-29 12:00', 'null'],
  date: ['2024-01-31', 'infinity', '-infinity', '0044-03-15 BC', '2024-03-10', '2024-03-31', '5874897-12-31', '200000-12-31', '294277-01-01'],
  'timestamp without time zone': ['2024-01-31 13:45:00.5', 'infinity', '-infinity', '2024-03-10 02:30:00',
    '2024-11-03 01:30:00', '1999-12-31 23:59:59.999999', '0044-03-15 12:00:00 BC', '200000-12-31', '275000-07-01 12:00:00'],
  'timestamp with time zone': ['2024-01-31 13:45:00.5+00', 'infinity', '-infinity', '2024-03-10 07:30:00+00',
    '2024-11-03 05:30:00+00', '1999-12-31 23:59:59.999999+00', '4714-11-24 00:00:00+00 BC'],
  jsonb: ['1', '1.5', '2.5', '-2.5', 'true', 'false', 'null', '"str"', '[1]', '{"a":1}', '32768', '1e20', '0.1'],
};

export function castCases(): CastCase[] {
  const cases: CastCase[] = [];
  for (const from of castTypes) {
    for (const to of [...castTypes, 'numeric(5,2)', 'character varying(3)', 'timestamp(0) without time zone']) {
      const samples = castSamples[from] ?? [];
      for (const input of samples) {
        cases.push({ from, to, input });
        if ((from.startsWith('timestamp') || from === 'date') && (to.startsWith('timestamp') || to === 'date')) {
          cases.push({ from, to, input, settings: { timeZone: 'America/New_York' } });
          cases.push({ from, to, input, settings: { timeZone: 'Europe/Berlin' } });
        }
      }
    }
  }
  return cases;
}

// ---- binary ----------------------------------------------------------------------------------

export function binarySendCases(): TextCase[] {
  const cases: TextCase[] = [];
  const samples: Record<string, string[]> = {
    boolean: ['true', 'false'],
    smallint: ['0', '-1', '32767', '-32768', '258'],
    integer: ['0', '-1', '2147483647', '-2147483648', '16909060'],
    bigint: ['0', '-1', '9223372036854775807', '-9223372036854775808', '72623859790382856'],
    real: ['0', '-0', '1.5', '-2.5', 'NaN', 'Infinity', '-Infinity', '1e-45', '3.4028235e38', '0.1'],
    'double precision': ['0', '-0', '1.5', '0.1', 'NaN', 'Infinity', '-Infinity', '5e-324', '1.7976931348623157e308'],
    numeric: ['0', '0.00', '-0.5', '1', '10000', '9999', '12345.678', '0.0001', '0.00001', '1e20', '-1e-20',
      '123456789012345678901234567890.123456789012', 'NaN', 'Infinity', '-Infinity', '100000000', '1.10', '-0.000100',
      '99990000', '0.9999', '1234.5678'],
    text: ['', 'abc', 'héllo', '😀'],
    'character varying': ['abc', ''],
    date: ['2024-01-31', '2000-01-01', '1970-01-01', '0044-03-15 BC', 'infinity', '-infinity', '5874897-12-31', '4714-11-24 BC'],
    'timestamp without time zone': ['2024-01-31 13:45:00.123456', '2000-01-01', '1970-01-01', 'infinity', '-infinity',
      '0044-03-15 BC', '294276-12-31', '4714-11-24 00:00:00 BC'],
    'timestamp with time zone': ['2024-01-31 13:45:00.123456+02', '2000-01-01 00:00:00+00', 'infinity', '-infinity'],
    jsonb: ['{"b":1,"a":[1,2.50]}', '"x"', 'null', '[]'],
  };
  for (const [type, inputs] of Object.entries(samples)) for (const input of inputs) cases.push({ type, input });
  for (let i = 0; i < 60; i++) cases.push({ type: 'numeric', input: randomDecimal(30, 20) });
  return cases;
}

export interface ReceiveCase {
  readonly type: string;
  /** The bytes the client sends, in hex. */
  readonly hex: string;
}

/** Binary parameters, including ones PostgreSQL's receive functions must normalize or reject. */
export function binaryReceiveCases(): ReceiveCase[] {
  const numeric = (ndigits: number, weight: number, sign: number, dscale: number, digits: number[]) => {
    const buffer = Buffer.alloc(8 + 2 * digits.length);
    buffer.writeInt16BE(ndigits, 0);
    buffer.writeInt16BE(weight, 2);
    buffer.writeUInt16BE(sign, 4);
    buffer.writeInt16BE(dscale, 6);
    digits.forEach((d, i) => buffer.writeUInt16BE(d, 8 + 2 * i));
    return { type: 'numeric', hex: buffer.toString('hex') };
  };
  return [
    numeric(1, 0, 0, 0, [1]),
    numeric(2, 0, 0, 2, [1, 5000]),
    numeric(2, 0, 0, 0, [1, 5000]),
    numeric(2, 0, 0x4000, 1, [1, 5678]),
    numeric(3, 1, 0, 0, [0, 1, 0]),
    numeric(1, -2, 0, 10, [12]),
    numeric(1, 0, 0, 0, [10000]),
    numeric(0, 0, 0x1234, 0, []),
    numeric(0, 0, 0xc000, 0, []),
    numeric(0, 0, 0xd000, 0, []),
    numeric(0, 0, 0xf000, 0, []),
    numeric(0, 5, 0, 3, []),
    numeric(1, 2, 0, 0, [7]),
    { type: 'date', hex: '7fffffff' },
    { type: 'date', hex: '80000000' },
    { type: 'date', hex: '7ffffff0' },
    { type: 'date', hex: '00000000' },
    { type: 'timestamp without time zone', hex: '7fffffffffffffff' },
    { type: 'timestamp without time zone', hex: '7ffffffffffffff0' },
    { type: 'timestamp with time zone', hex: '0000000000000001' },
    { type: 'boolean', hex: '02' },
    { type: 'boolean', hex: '00' },
    { type: 'text', hex: '61c328' },
    { type: 'text', hex: '616200' },
    { type: 'text', hex: 'e282ac' },
    { type: 'jsonb', hex: '017b2262223a312c2261223a327d' },
    { type: 'jsonb', hex: '027b7d' },
    { type: 'integer', hex: '0001' },
    { type: 'integer', hex: '0000000100' },
    { type: 'character varying', hex: '616263' },
  ];
}
