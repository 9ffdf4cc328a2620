import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DbError } from '../../../storage/errors.js';
import { FrameReader, type Frame } from '../../../src/server/frame-reader.js';
import { decodeMessage } from '../../../src/server/frontend-messages.js';
import { decodeStartupPacket } from '../../../src/server/startup-packet.js';
import { message, serialize, startupPacket } from './support/wire-client.js';

const maxMessageBytes = 1024 * 1024;

/** A conversation touching every message type a client sends. */
const conversation = Buffer.concat([
  startupPacket(3, 0, { user: 'u', database: 'd', application_name: 'é' }),
  serialize.query('select 1; select \'ü\''),
  serialize.parse({ name: 's1', text: 'select $1::int4 as a, $2::text as b', types: [23, 25] }),
  serialize.bind({ portal: 'p1', statement: 's1', values: ['42', null, Buffer.from([1, 2, 3])] }),
  serialize.describe({ type: 'P', name: 'p1' }),
  serialize.describe({ type: 'S', name: 's1' }),
  serialize.execute({ portal: 'p1', rows: 2 }),
  serialize.execute(),
  serialize.flush(),
  serialize.close({ type: 'S', name: 's1' }),
  serialize.close({ type: 'P', name: '' }),
  serialize.sync(),
  serialize.copyData(Buffer.from('a,b\n')),
  serialize.copyDone(),
  serialize.copyFail('stop'),
  serialize.end(),
]);

function readAll(chunks: readonly Buffer[]): Frame[] {
  const reader = new FrameReader(maxMessageBytes);
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let frame = reader.next(); frame !== null; frame = reader.next()) {
      frames.push(frame);
      // The first packet is the startup message; the rest are typed.
      reader.startupPhase = false;
    }
  }
  expect(reader.bufferedBytes).toBe(0);
  return frames;
}

const describeFrames = (frames: Frame[]) => frames.map((f) => `${f.type}:${f.body.toString('hex')}`);

describe('FrameReader', () => {
  const whole = readAll([conversation]);

  test('reads every message of a conversation fed at once', () => {
    expect(whole.map((f) => (f.type === 0 ? 'startup' : String.fromCharCode(f.type)))).toEqual(
      ['startup', 'Q', 'P', 'B', 'D', 'D', 'E', 'E', 'H', 'C', 'C', 'S', 'd', 'c', 'f', 'X'],
    );
    // Bodies decode to what was sent.
    const startup = decodeStartupPacket((whole[0] as Frame).body);
    expect(startup).toMatchObject({ kind: 'Startup', user: 'u', database: 'd' });
    expect(startup.kind === 'Startup' && startup.settings.get('application_name')).toBe('é');
    const bind = decodeMessage(0x42, (whole[3] as Frame).body);
    expect(bind).toMatchObject({ kind: 'Bind', portal: 'p1', statement: 's1', resultFormats: [0] });
    expect(bind.kind === 'Bind' && bind.params.map((p) => p?.toString('hex') ?? null)).toEqual(['3432', null, '010203']);
    expect(decodeMessage(0x45, (whole[6] as Frame).body)).toEqual({ kind: 'Execute', portal: 'p1', maxRows: 2 });
  });

  test('gives the same frames when the bytes are split at every boundary', () => {
    const expected = describeFrames(whole);
    for (let cut = 0; cut <= conversation.length; cut++) {
      const frames = readAll([conversation.subarray(0, cut), conversation.subarray(cut)]);
      expect(describeFrames(frames)).toEqual(expected);
    }
  });

  test('gives the same frames when fed one byte at a time', () => {
    const bytes = [...conversation].map((b) => Buffer.from([b]));
    expect(describeFrames(readAll(bytes))).toEqual(describeFrames(whole));
  });

  test('returns nothing until a truncated message is complete', () => {
    const reader = new FrameReader(maxMessageBytes);
    reader.startupPhase = false;
    const query = serialize.query('select 1');
    reader.push(query.subarray(0, query.length - 1));
    expect(reader.next()).toBeNull();
    reader.push(query.subarray(query.length - 1));
    expect(reader.next()?.body.toString()).toBe('select 1\0');
  });

  const fatal = (bytes: Buffer, startupPhase: boolean, limit = maxMessageBytes) => {
    const reader = new FrameReader(limit);
    reader.startupPhase = startupPhase;
    reader.push(bytes);
    try {
      reader.next();
    } catch (error) {
      expect(error).toBeInstanceOf(DbError);
      const e = error as DbError;
      return `${e.severity} ${e.code} ${e.message}`;
    }
    return 'no error';
  };

  test('rejects an unknown message type as soon as its first byte arrives', () => {
    expect(fatal(Buffer.from('z'), false)).toBe('FATAL 08P01 invalid frontend message type 122');
    // A password message outside authentication is not a valid message either.
    expect(fatal(Buffer.from('p'), false)).toBe('FATAL 08P01 invalid frontend message type 112');
  });

  test('rejects lengths below 4 and above the limit before buffering the body', () => {
    expect(fatal(Buffer.from([0x51, 0, 0, 0, 3]), false)).toBe('FATAL 08P01 invalid message length');
    expect(fatal(Buffer.from([0x51, 0xff, 0xff, 0xff, 0xff]), false)).toBe('FATAL 08P01 invalid message length');
    expect(fatal(Buffer.from([0x51, 0, 0, 4, 1]), false, 1024)).toBe('FATAL 08P01 invalid message length');
    expect(fatal(Buffer.from([0x51, 0, 0, 4, 0]), false, 1024)).toBe('no error');
    // Messages without user data have PostgreSQL's small limit whatever maxMessageBytes is.
    expect(fatal(Buffer.from([0x53, 0, 0, 0x27, 0x11]), false)).toBe('FATAL 08P01 invalid message length');
  });

  test('rejects startup packets shorter than 8 or longer than 10000 bytes', () => {
    expect(fatal(Buffer.from([0, 0, 0, 7]), true)).toBe('FATAL 08P01 invalid length of startup packet');
    expect(fatal(Buffer.from([0, 0, 0x27, 0x11]), true)).toBe('FATAL 08P01 invalid length of startup packet');
    expect(fatal(Buffer.from('GET / HTTP/1.1\r\n'), true)).toBe('FATAL 08P01 invalid length of startup packet');
  });

  test('random bytes in random chunks only ever raise DbError', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 16 }),
        (startupPhase, chunks) => {
          const reader = new FrameReader(4096);
          reader.startupPhase = startupPhase;
          try {
            for (const chunk of chunks) {
              reader.push(chunk);
              for (let frame = reader.next(); frame !== null; frame = reader.next()) {
                if (reader.startupPhase) decodeStartupPacket(frame.body);
                else decodeMessage(frame.type, frame.body);
                reader.startupPhase = false;
              }
            }
          } catch (error) {
            if (!(error instanceof DbError)) throw error;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('random message bodies of every type decode or raise DbError 08P01/22021', () => {
    const types = [...'QPBDCESHXFdcf'].map((c) => c.charCodeAt(0));
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 48 }), (type, body) => {
        try {
          decodeMessage(type, Buffer.from(body));
        } catch (error) {
          expect(error).toBeInstanceOf(DbError);
          expect(['08P01', '22021']).toContain((error as DbError).code);
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('random startup bodies decode or raise a FATAL DbError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 64 }), fc.boolean(), (bytes, version3) => {
        const body = Buffer.from(bytes);
        if (version3) body.writeInt32BE(3 << 16, 0);
        try {
          decodeStartupPacket(body);
        } catch (error) {
          expect(error).toBeInstanceOf(DbError);
          expect((error as DbError).severity).toBe('FATAL');
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('message() helper builds the same bytes as pg-protocol', () => {
    expect(message('S')).toEqual(serialize.sync());
  });
});
