import { describe, expect, test } from 'vitest';
import { DbError } from '../../../storage/errors.js';
import { applyOptions, decodeStartupPacket, splitOptions } from '../../../src/server/startup-packet.js';
import { serialize, startupPacket } from './support/wire-client.js';

const body = (packet: Buffer) => packet.subarray(4);

function fatalOf(packet: Buffer): string {
  return errorOf(() => decodeStartupPacket(body(packet)));
}

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

describe('startup packets', () => {
  test('recognizes SSLRequest, GSSENCRequest and CancelRequest', () => {
    expect(decodeStartupPacket(body(serialize.requestSsl()))).toEqual({ kind: 'SslRequest' });
    const gss = Buffer.alloc(8);
    gss.writeInt32BE(8, 0);
    gss.writeInt32BE(80877104, 4);
    expect(decodeStartupPacket(body(gss))).toEqual({ kind: 'GssEncRequest' });
    expect(decodeStartupPacket(body(serialize.cancel(4242, -7)))).toEqual({ kind: 'CancelRequest', processId: 4242, secretKey: -7 });
  });

  test('reads user, database and settings; database defaults to the user', () => {
    const request = decodeStartupPacket(body(startupPacket(3, 0, { user: 'ann', application_name: 'app', TimeZone: 'Europe/Paris' })));
    expect(request).toMatchObject({ kind: 'Startup', minorVersion: 0, user: 'ann', database: 'ann', protocolOptions: [] });
    expect(request.kind === 'Startup' && [...request.settings]).toEqual([
      ['application_name', 'app'],
      ['timezone', 'Europe/Paris'],
    ]);
  });

  test('applies -c and --name=value switches from options', () => {
    const options = '-c search_path=a\\ b --extra-float-digits=3 -cstatement_timeout=5';
    const request = decodeStartupPacket(body(startupPacket(3, 0, { user: 'u', options })));
    expect(request).toMatchObject({ kind: 'Startup', options });
    const settings = new Map<string, string>();
    applyOptions(options, settings);
    expect([...settings]).toEqual([
      ['search_path', 'a b'],
      ['extra_float_digits', '3'],
      ['statement_timeout', '5'],
    ]);
  });

  test('splits options on unescaped whitespace', () => {
    expect(splitOptions('  -c  a=1\t--b=x\\ y\\\\ ')).toEqual(['-c', 'a=1', '--b=x y\\']);
    expect(splitOptions('')).toEqual([]);
  });

  test('keeps 3.x minor versions and _pq_ options for NegotiateProtocolVersion', () => {
    const request = decodeStartupPacket(body(startupPacket(3, 2, { user: 'u', '_pq_.compression': 'on' })));
    expect(request).toMatchObject({ kind: 'Startup', minorVersion: 2, protocolOptions: ['_pq_.compression'] });
  });

  test('refuses what PostgreSQL refuses, with its messages', () => {
    expect(fatalOf(startupPacket(2, 0, { user: 'u' }))).toBe('FATAL 0A000 unsupported frontend protocol 2.0: server supports 3.0 to 3.0');
    expect(fatalOf(startupPacket(4, 0, { user: 'u' }))).toBe('FATAL 0A000 unsupported frontend protocol 4.0: server supports 3.0 to 3.0');
    expect(fatalOf(startupPacket(3, 0, { database: 'd' }))).toBe('FATAL 28000 no PostgreSQL user name specified in startup packet');
    const noTerminator = Buffer.concat([Buffer.alloc(8), Buffer.from('user\0u\0database\0\0')]);
    noTerminator.writeInt32BE(noTerminator.length, 0);
    noTerminator.writeInt16BE(3, 4);
    expect(fatalOf(noTerminator)).toBe('FATAL 08P01 invalid startup packet layout: expected terminator as last byte');
    const options = (value: string) => errorOf(() => applyOptions(value, new Map()));
    expect(options('-Z')).toBe('FATAL 42601 invalid command-line argument for server process: -Z');
    expect(options('-c')).toBe('FATAL 42601 invalid command-line argument for server process: -c');
    expect(options('bogus')).toBe('FATAL 42601 invalid command-line argument for server process: bogus');
    expect(options('-c foo')).toBe('FATAL 42601 -c foo requires a value');
    expect(options('--foo')).toBe('FATAL 42601 --foo requires a value');
  });
});
