/**
 * The scalar inputs the codec oracle asks PostgreSQL about (integers, booleans, floats, numeric,
 * text, jsonb): hand-picked edge cases plus seeded random values (floats by bit pattern,
 * decimals). Only inputs live here; every expected output comes from PostgreSQL.
 */
import { nextRandom, pick, randomDecimal, randomInt, type TextCase } from './codec-oracle-random.js';

export { type Settings, type TextCase } from './codec-oracle-random.js';

// ---- integers and booleans -------------------------------------------------------------------

export function integerCases(): TextCase[] {
  const inputs = [
    '0', '1', '-1', '+5', ' -0012 ', '  42', '42  ', '\t7\n', '007', '-0', '- 5', '1.0', '1e3', 'abc', '', ' ',
    '12abc', '0x1F', '1_000', '++1', '--1', '+', '-', '32767', '32768', '-32768', '-32769', '2147483647',
    '2147483648', '-2147483648', '-2147483649', '99999999999', '99999999999x', '9223372036854775807',
    '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '00000000000000000000000001',
    '123456789012345678901234567890', ' 1 2', '１２',
  ];
  const cases: TextCase[] = [];
  for (const type of ['smallint', 'integer', 'bigint']) for (const input of inputs) cases.push({ type, input });
  for (let i = 0; i < 60; i++) {
    const digits = 1 + randomInt(19);
    let text = String(1 + randomInt(9));
    for (let d = 1; d < digits; d++) text += String(randomInt(10));
    const signed = nextRandom() < 0.5 ? '-' + text : text;
    cases.push({ type: pick(['smallint', 'integer', 'bigint']), input: signed });
  }
  return cases;
}

export function booleanCases(): TextCase[] {
  const inputs = [
    't', 'tr', 'tru', 'true', 'TRUE', 'True', ' true ', 'truex', 'f', 'fa', 'false', 'FALSE', 'y', 'ye', 'yes',
    'YES', 'yess', 'n', 'no', 'NO', 'on', 'ON', 'o', 'of', 'off', 'OFF', 'offf', '1', '0', '01', '10', '2', '',
    ' ', 'x', 'null', '\ttrue\n',
  ];
  return inputs.map((input) => ({ type: 'boolean', input }));
}

// ---- floats ----------------------------------------------------------------------------------

const scratch = new DataView(new ArrayBuffer(8));

function randomDouble(): number {
  for (;;) {
    scratch.setUint32(0, (nextRandom() * 4294967296) >>> 0);
    scratch.setUint32(4, (nextRandom() * 4294967296) >>> 0);
    const value = scratch.getFloat64(0);
    if (Number.isFinite(value)) return value;
  }
}

function randomFloat32(): number {
  for (;;) {
    scratch.setUint32(0, (nextRandom() * 4294967296) >>> 0);
    const value = scratch.getFloat32(0);
    if (Number.isFinite(value)) return value;
  }
}

/** A decimal with few digits and a moderate exponent: the values people actually store. */
function randomHumanNumber(): number {
  const mantissa = randomInt(10 ** (1 + randomInt(8)));
  const exponent = randomInt(30) - 15;
  const value = Number(`${mantissa}e${exponent}`);
  return nextRandom() < 0.3 ? -value : value;
}

export function floatCases(): TextCase[] {
  const cases: TextCase[] = [];
  const fixedInputs = [
    '1e15', '123456789012345', '1e-5', '1e-4', '1.5e300', 'NaN', 'nan', '-Infinity', 'Infinity', 'inf', '-inf',
    '+inf', 'infinity', '-INFINITY', 'NaN(12)', '-nan', '  1.5  ', '1e400', '-1e400', '1e-400', '1e-310', '1e-320',
    '5e-324', '4e-324', '2e-324', '1.7976931348623157e308', '1.7976931348623159e308', '0', '-0', '0.0', '-0.0',
    '100', '1e14', '1e16', '0.1', '0.2', '0.3', '1.1', '2.5', '0.125', '123456789012345678', '9007199254740993',
    '0x10', '0x1.8p1', '0X1P-2', '1.', '.5', '.', '1e', '1e+', '', ' ', '1_000', '+.5e-3', '0e-999', '1e-45',
    'abc', '1.5x', '1,5', '1e-7', '1.234e-5', '99999.99', '999999', '1000000', '1234567', '123456.7', '3.4028235e38',
    '3.4028236e38', '3.5e38', '1.17549435e-38', '1.4e-45', '7e-46', '1e-46', '16777217', '0.30000000000000004',
    // Decimals on a bound of the rounding interval, which PostgreSQL's Ryu never prints.
    '1e23', '1e22', '1e21', '1e24', '9.5e20', '5e22', '1152921504606846976', '4503599627370497', '9007199254740993',
    '18014398509481985', '580156032', '-479990000', '4194305', '8388609', '1e10', '3e9', '4294967296',
  ];
  for (const type of ['double precision', 'real']) for (const input of fixedInputs) cases.push({ type, input });
  for (let i = 0; i < 400; i++) cases.push({ type: 'double precision', input: randomDouble().toPrecision(17) });
  for (let i = 0; i < 200; i++) cases.push({ type: 'double precision', input: String(randomHumanNumber()) });
  for (let i = 0; i < 300; i++) cases.push({ type: 'real', input: randomFloat32().toPrecision(9) });
  for (let i = 0; i < 100; i++) cases.push({ type: 'real', input: String(randomHumanNumber()) });
  // Large float4 integers and float8 round numbers, where interval bounds can be short decimals.
  for (let i = 0; i < 100; i++) cases.push({ type: 'real', input: String(randomInt(2 ** 31) * 2 ** randomInt(40)) });
  for (let i = 0; i < 100; i++) {
    cases.push({ type: 'double precision', input: `${1 + randomInt(99)}e${16 + randomInt(290)}` });
  }
  // Double rounding traps for float4 input: decimals a hair away from a float32 midpoint.
  for (const input of ['1.00000005960464477539', '1.0000000596046447753906251', '1.0000000596046447753906249',
    '16777217', '16777219', '33554434', '0x1.000001p0', '0x1.0000018p0']) cases.push({ type: 'real', input });
  for (const efd of [0, -1, -4, -15, 2, 3]) {
    const settings = { extraFloatDigits: efd };
    for (let i = 0; i < 40; i++) {
      const value = i < 20 ? randomDouble() : randomHumanNumber();
      cases.push({ type: 'double precision', input: value.toPrecision(17), settings });
    }
    for (const input of ['0.125', '0.375', '2.5', '3.5', '0.25', '1e15', '1e16', '123456789012345678', '1e-5', '0.0001',
      '5e-324', '-0', 'NaN', '-Infinity', '1e22', '1.5', '0.1']) {
      cases.push({ type: 'double precision', input, settings });
      cases.push({ type: 'real', input, settings });
    }
    for (let i = 0; i < 20; i++) cases.push({ type: 'real', input: randomFloat32().toPrecision(9), settings });
  }
  return cases;
}

// ---- numeric ---------------------------------------------------------------------------------

export function numericInputCases(): TextCase[] {
  const inputs = [
    '0', '-0', '0.000', '-0.00', '1.50', '  1.50 ', '+1.5', '.5', '5.', '-.5', '1.5e3', '1.50e1', '1e-3', '1E+2',
    '1e 5', '1e', '1e+', 'e5', '1.2.3', '--1', '', ' ', 'abc', 'NaN', 'nan', ' NaN ', 'NaNx', 'Infinity',
    '-Infinity', '+Infinity', 'inf', '-inf', '+inf', 'infinity', 'INFINITY', 'Infinityx', '1e400', '-1e-400',
    '1e-20000', '1e200000', '0e-20000', '1e-16383', '1e131071', '1e131072', '123456789012345678901234567890.123456789',
    '0000123.4500', '1_000', '0x10', '1e2147483647', '1e-2147483648', '12345678901234567890e-30', '1.0e0',
    '9.99999999999999999999999999999e5',
  ];
  const cases: TextCase[] = inputs.map((input) => ({ type: 'numeric', input }));
  for (let i = 0; i < 60; i++) cases.push({ type: 'numeric', input: randomDecimal(40, 25) });
  const typmods = ['numeric(5,2)', 'numeric(3)', 'numeric(10,4)', 'numeric(2,2)', 'numeric(3,5)', 'numeric(4,-2)', 'numeric(1,0)', 'numeric(38,10)'];
  const typmodInputs = ['0', '1.005', '-1.005', '999.995', '999.994', '99.5', '9.5', '0.5', '0.05', '0.005', '0.001',
    '0.0049', '0.01', '12345', '123.456', '-123.456', '1234567', 'NaN', 'Infinity', '-Infinity', '0.00001', '150', '149'];
  for (const type of typmods) for (const input of typmodInputs) cases.push({ type, input });
  return cases;
}

export interface NumericOpCase {
  readonly op: string;
  readonly args: readonly string[];
}

export function numericOpCases(): NumericOpCase[] {
  const specials = ['NaN', 'Infinity', '-Infinity', '0', '0.00', '1', '-1', '2.5', '-2.5', '0.001', '1e20', '3'];
  const cases: NumericOpCase[] = [];
  for (const a of specials) {
    for (const b of specials) for (const op of ['add', 'sub', 'mul', 'div', 'mod', 'cmp']) cases.push({ op, args: [a, b] });
  }
  for (let i = 0; i < 150; i++) {
    const a = randomDecimal(25, 15);
    const b = nextRandom() < 0.2 ? a : randomDecimal(25, 15);
    for (const op of ['add', 'sub', 'mul', 'div', 'mod', 'cmp']) cases.push({ op, args: [a, b] });
  }
  // select_div_scale corner cases: equal leading base-10000 digits, tiny and huge weights.
  const divisions: [string, string][] = [
    ['1', '3'], ['2', '3'], ['10', '3'], ['1', '7'], ['1', '10000'], ['10000', '1'], ['9999', '9999'], ['1234', '1234.5'],
    ['1', '0.0001'], ['0.0001', '3'], ['1e-20', '3'], ['1e20', '3'], ['100', '0.3'], ['1.000000000000000000001', '3'],
    ['5', '2'], ['-5', '2'], ['5', '-2'], ['0', '5'], ['0.000', '7'], ['1', '0'], ['0', '0'], ['7', '0.000'],
    ['123456789', '0.000001'], ['2', '3.00000000000000000000'], ['99999999', '100000000'], ['1', '99999999'],
  ];
  for (const [a, b] of divisions) for (const op of ['div', 'mod']) cases.push({ op, args: [a, b] });
  const roundInputs = ['0', '1.5', '2.5', '-2.5', '-1.5', '0.5', '-0.5', '1234.5678', '-1234.5678', '9.999', '99.95',
    'NaN', 'Infinity', '-Infinity', '0.0049', '5555', '0.00000'];
  for (const a of roundInputs) {
    for (const scale of ['0', '1', '2', '5', '-1', '-2', '-4']) {
      cases.push({ op: 'round', args: [a, scale] });
      cases.push({ op: 'trunc', args: [a, scale] });
    }
    cases.push({ op: 'abs', args: [a] });
    cases.push({ op: 'neg', args: [a] });
  }
  const conversionInputs = ['0', '1.5', '2.5', '-2.5', '-0.5', '0.5', '32767.4', '32767.5', '-32768.5', '-32768.4',
    '2147483647.49', '2147483647.5', '-2147483648.5', '9223372036854775807.4', '9223372036854775807.5',
    '-9223372036854775808.5', '1e20', 'NaN', 'Infinity', '-Infinity', '0.1', '1e308', '1e309', '-1e309', '1e-400',
    '3.4028235e38', '3.5e38', '1e-46', '1e-45', '123456789.123456789', '0.30000000000000004441'];
  for (const a of conversionInputs) {
    for (const op of ['to_int2', 'to_int4', 'to_int8', 'to_float4', 'to_float8']) cases.push({ op, args: [a] });
  }
  const floats = ['0', '-0', '1.5', '0.1', '1e-300', '1e20', '1.5e-7', '123456789012345678', '9007199254740993',
    '3.141592653589793', '2.5', '0.125', '1e15', '1e16', 'NaN', 'Infinity', '-Infinity', '5e-324', '1e308', '-1234.5678'];
  for (const f of floats) {
    cases.push({ op: 'from_float8', args: [f] });
    cases.push({ op: 'from_float4', args: [f] });
  }
  for (let i = 0; i < 40; i++) {
    const value = randomDouble().toPrecision(17);
    cases.push({ op: 'from_float8', args: [value] });
  }
  const lists = [
    ['1', '2', '3'], ['1.5', '2.25', '-3'], ['1', '2'], ['0.1', '0.2'], ['1e20', '1'], ['NaN', '1'], ['Infinity', '1'],
    ['Infinity', '-Infinity'], ['-Infinity', '-Infinity', '5'], ['7'], ['10', '20', '30', '40.000'], ['1', '1', '1'],
    ['2', '3'], ['0.0001', '0.0002', '0.0004'], ['123456789012345678901234567890', '1'],
  ];
  for (let i = 0; i < 15; i++) lists.push(Array.from({ length: 1 + randomInt(8) }, () => randomDecimal(12, 6)));
  for (const list of lists) cases.push({ op: 'sum_avg', args: list });
  const integerLists = [['1', '2'], ['1', '2', '2'], ['-7', '3'], ['9223372036854775807', '9223372036854775807'], ['5']];
  for (const list of integerLists) cases.push({ op: 'sum_avg_int8', args: list });
  return cases;
}

// ---- text and jsonb --------------------------------------------------------------------------

export function textCases(): TextCase[] {
  const inputs = ['', 'abc', 'héllo wörld', '日本語', '😀 emoji', 'tab\there', 'a\u0000b', '  spaced  ', 'x'.repeat(300)];
  const cases: TextCase[] = [];
  for (const input of inputs) cases.push({ type: 'text', input });
  for (const input of ['abc', 'abcd', 'ab  ', 'abc   ', 'abcd  ', '日本語', '日本語x', '😀😀😀', '😀😀😀😀', '']) {
    cases.push({ type: 'character varying', input });
  }
  return cases;
}

/**
 * Inputs stored into a column of a type with a modifier (INSERT ... RETURNING): the input
 * function with the modifier, which rejects where an explicit cast would truncate.
 */
export function assignmentCases(): TextCase[] {
  const cases: TextCase[] = [];
  for (const input of ['abc', 'abcd', 'ab  ', 'abc   ', 'abcd  ', '日本語', '日本語x', '😀😀😀', '😀😀😀😀', '', 'a b c']) {
    cases.push({ type: 'character varying(3)', input });
  }
  for (const input of ['1.005', '999.994', '999.995', '-999.995', '0', 'NaN', 'Infinity', 'abc', '12345']) {
    cases.push({ type: 'numeric(5,2)', input });
  }
  for (const input of ['2024-01-31 13:45:00.5', '1999-12-31 23:59:59.5', '1969-12-31 23:59:59.5', 'infinity']) {
    cases.push({ type: 'timestamp(0) without time zone', input });
    cases.push({ type: 'timestamp(2) with time zone', input });
  }
  return cases;
}

export function jsonbCases(): TextCase[] {
  const documents = [
    '{"a":1,"b":[1,2.50,1e2,-0],"a":"x\\u0001y","aa":null,"":true}', '"\\u0000"', '{"a":1,}', 'nul', '1e400', '1',
    '-0', '-0.0', '1.50', '1E-3', '0.1e1', '1e+2', '01', '-', '-a', '1.', '.5', '+1', 'true', 'false', 'null', 'TRUE',
    '"abc"', '""', '[]', '{}', '[ ]', '{ }', '  [1 , 2 ]  ', '[1,]', '[,1]', '[1 2]', '{"a" 1}', '{"a":}', '{1:2}',
    '{"b":1,"a":2}', '{"bb":1,"a":2,"ccc":3,"b":4}', '{"é":1,"z":2,"ab":3}', '{"a":{"d":1,"c":2},"b":[{"y":1,"x":2}]}',
    '"tab\\there"', '"new\\nline"', '"quote\\"d"', '"back\\\\slash"', '"sl\\/ash"', '"\\b\\f\\r"', '"\\u001f"',
    '"\\u007f"', '"\\u00e9"', '"\\ud83d\\ude00"', '"\\ud83d"', '"\\ude00"', '"\\ud83d\\ud83d"', '"\\ud83dx"',
    '"\\u12"', '"\\u12g4"', '"\\x"', '"abc', '"a\tb"', '"a\nb"', '"😀"', '[1,2', '{"a":1', '', ' ', '[', '{',
    '[true,false,null]', '{"a":[]}', '[[[[[]]]]]', '123456789012345678901234567890', '-1.23e-5', '1e-400x', '1ee2',
    '{"a":1}x', '[1] [2]', 'nullx', 'true1', '@', '[1,@]', '{"a\\u0000b":1}', '{"dup":1,"dup":2,"dup":3}',
    '{"a":"\\u00e9\\u0041"}', '"\\/"', '{"key with space":1,"k":2}', '[1e2, 1E2, 100, 1.0e2]',
  ];
  return documents.map((input) => ({ type: 'jsonb', input }));
}
