/**
 * Decoding of startup-phase packets: SSLRequest, GSSENCRequest, CancelRequest and the protocol
 * 3.0 StartupMessage with its parameters (user, database, options, application_name, and any
 * setting given as `name=value`), plus the `options` switches. Errors are FATAL with
 * PostgreSQL's SQLSTATEs and messages.
 */
import { DbError } from '../../storage/errors.js';
import { fatalProtocolViolation } from './frame-reader.js';
import { cancelRequestCode, gssEncRequestCode, protocolVersion3, sslRequestCode } from './limits.js';

export interface StartupRequest {
  readonly kind: 'Startup';
  /** Minor protocol version the client asked for (3.x). */
  readonly minorVersion: number;
  readonly user: string;
  readonly database: string;
  /** Settings by lower-case name, from the packet's parameters. */
  readonly settings: ReadonlyMap<string, string>;
  /** The `options` parameter, applied with `applyOptions` once authentication has succeeded. */
  readonly options: string;
  /** `_pq_.*` protocol options, which this server does not recognize. */
  readonly protocolOptions: readonly string[];
}

export type StartupPacket =
  | { readonly kind: 'SslRequest' }
  | { readonly kind: 'GssEncRequest' }
  | { readonly kind: 'CancelRequest'; readonly processId: number; readonly secretKey: number }
  | StartupRequest;

const fatal = (code: string, message: string, hint?: string) =>
  new DbError(code, message, hint === undefined ? {} : { hint }, 'FATAL');

export function decodeStartupPacket(body: Buffer): StartupPacket {
  const code = body.readInt32BE(0);
  if (code === sslRequestCode) return { kind: 'SslRequest' };
  if (code === gssEncRequestCode) return { kind: 'GssEncRequest' };
  if (code === cancelRequestCode) {
    if (body.length !== 12) throw fatalProtocolViolation('invalid length of startup packet');
    return { kind: 'CancelRequest', processId: body.readInt32BE(4), secretKey: body.readInt32BE(8) };
  }
  const major = code >>> 16;
  const minor = code & 0xffff;
  if (major !== protocolVersion3 >>> 16) {
    throw fatal('0A000', `unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`);
  }
  return decodeStartupParameters(body, minor);
}

function decodeStartupParameters(body: Buffer, minorVersion: number): StartupRequest {
  const settings = new Map<string, string>();
  const protocolOptions: string[] = [];
  let user = '';
  let database = '';
  let options = '';
  let offset = 4;
  const readString = (): string | null => {
    const end = body.indexOf(0, offset);
    if (end < 0) return null;
    const text = body.toString('utf8', offset, end);
    offset = end + 1;
    return text;
  };
  for (;;) {
    if (offset >= body.length) throw fatalProtocolViolation('invalid startup packet layout: expected terminator as last byte');
    if (body[offset] === 0) {
      offset++;
      break;
    }
    const name = readString();
    const value = name === null ? null : readString();
    if (name === null || value === null) {
      throw fatalProtocolViolation('invalid startup packet layout: expected terminator as last byte');
    }
    if (name === 'user') user = value;
    else if (name === 'database') database = value;
    else if (name === 'options') options = value;
    else if (name === 'replication') throw fatal('0A000', 'replication connections are not supported');
    else if (name.startsWith('_pq_.')) protocolOptions.push(name);
    else settings.set(name.toLowerCase(), value);
  }
  if (offset !== body.length) throw fatalProtocolViolation('invalid startup packet layout: expected terminator as last byte');
  if (user === '') throw fatal('28000', 'no PostgreSQL user name specified in startup packet');
  return { kind: 'Startup', minorVersion, user, database: database === '' ? user : database, settings, options, protocolOptions };
}

/** Splits `options` on unescaped whitespace, as PostgreSQL's pg_split_opts does. */
export function splitOptions(options: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  for (let i = 0; i < options.length; i++) {
    const ch = options[i] as string;
    if (ch === '\\' && i + 1 < options.length) {
      current += options[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/**
 * Applies `-c name=value` and `--name=value` switches from the `options` parameter. As in
 * PostgreSQL, a bad switch is FATAL after authentication, not a malformed packet.
 */
export function applyOptions(options: string, settings: Map<string, string>): void {
  const words = splitOptions(options);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    let assignment: string | undefined;
    if (word === '-c') assignment = words[++i];
    else if (word.startsWith('-c')) assignment = word.slice(2);
    else if (word.startsWith('--')) assignment = word.slice(2);
    const equals = assignment === undefined ? -1 : assignment.indexOf('=');
    if (assignment === undefined || equals <= 0) {
      if (assignment !== undefined && word.startsWith('--')) {
        throw fatal('42601', `--${assignment} requires a value`);
      }
      if (assignment !== undefined) throw fatal('42601', `-c ${assignment} requires a value`);
      throw fatal('42601', `invalid command-line argument for server process: ${word}`, 'Try "postgres --help" for more information.');
    }
    // Long options spell words with dashes; settings use underscores.
    const name = assignment.slice(0, equals).replace(/-/g, '_').toLowerCase();
    settings.set(name, assignment.slice(equals + 1));
  }
}
