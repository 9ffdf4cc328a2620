/**
 * Decoding of frontend message bodies into plain objects. Malformed contents raise ERROR 08P01
 * (through MessageCursor) exactly where PostgreSQL's pq_getmsg* would.
 */
import { protocolViolation } from '../../storage/errors.js';
import { fatalProtocolViolation } from './frame-reader.js';
import { MessageCursor } from './message-cursor.js';

export interface ParseMessage {
  readonly kind: 'Parse';
  readonly statement: string;
  readonly sql: string;
  readonly paramTypeOids: readonly number[];
}

export interface BindMessage {
  readonly kind: 'Bind';
  readonly portal: string;
  readonly statement: string;
  /** Format codes as sent: none (all text), one (for all) or one per parameter. */
  readonly paramFormats: readonly number[];
  /** Raw parameter bytes, null for SQL NULL. */
  readonly params: readonly (Buffer | null)[];
  /** Result format codes as sent: none, one, or one per column. */
  readonly resultFormats: readonly number[];
}

export interface DescribeMessage {
  readonly kind: 'Describe';
  readonly target: 'S' | 'P';
  readonly name: string;
}

export interface CloseMessage {
  readonly kind: 'Close';
  readonly target: 'S' | 'P';
  readonly name: string;
}

export interface ExecuteMessage {
  readonly kind: 'Execute';
  readonly portal: string;
  /** Row limit; 0 means no limit. */
  readonly maxRows: number;
}

export interface QueryMessage {
  readonly kind: 'Query';
  readonly sql: string;
}

export type FrontendMessage =
  | QueryMessage
  | ParseMessage
  | BindMessage
  | DescribeMessage
  | CloseMessage
  | ExecuteMessage
  | { readonly kind: 'Sync' }
  | { readonly kind: 'Flush' }
  | { readonly kind: 'Terminate' }
  | { readonly kind: 'FunctionCall' }
  | { readonly kind: 'CopyData' }
  | { readonly kind: 'CopyDone' }
  | { readonly kind: 'CopyFail'; readonly message: string };

/** Message types of the extended query protocol: an error in one of them skips input to Sync. */
export function isExtendedQueryMessage(type: number): boolean {
  return type === 0x50 || type === 0x42 || type === 0x44 || type === 0x43 || type === 0x45 || type === 0x48 || type === 0x53;
}

export function decodeMessage(type: number, body: Buffer): FrontendMessage {
  const cursor = new MessageCursor(body);
  let message: FrontendMessage;
  switch (type) {
    case 0x51: // Q
      message = { kind: 'Query', sql: cursor.cstring() };
      break;
    case 0x50: // P
      message = decodeParse(cursor);
      break;
    case 0x42: // B
      message = decodeBind(cursor);
      break;
    case 0x44: {
      // D
      const target = cursor.byte();
      const name = cursor.cstring();
      if (target !== 0x53 && target !== 0x50) throw protocolViolation(`invalid DESCRIBE message subtype ${target}`);
      message = { kind: 'Describe', target: target === 0x53 ? 'S' : 'P', name };
      break;
    }
    case 0x43: {
      // C
      const target = cursor.byte();
      const name = cursor.cstring();
      if (target !== 0x53 && target !== 0x50) throw protocolViolation(`invalid CLOSE message subtype ${target}`);
      message = { kind: 'Close', target: target === 0x53 ? 'S' : 'P', name };
      break;
    }
    case 0x45: {
      // E
      const portal = cursor.cstring();
      const maxRows = cursor.int32();
      // PostgreSQL treats a negative count as "no limit", like zero.
      message = { kind: 'Execute', portal, maxRows: maxRows <= 0 ? 0 : maxRows };
      break;
    }
    case 0x53: // S
      message = { kind: 'Sync' };
      break;
    case 0x48: // H
      message = { kind: 'Flush' };
      break;
    case 0x58: // X
      message = { kind: 'Terminate' };
      break;
    case 0x46: // F: contents are not inspected, the message is refused as a whole.
      return { kind: 'FunctionCall' };
    case 0x64: // d: outside COPY these are ignored, so their contents do not matter.
      return { kind: 'CopyData' };
    case 0x63: // c
      return { kind: 'CopyDone' };
    case 0x66: // f
      message = { kind: 'CopyFail', message: cursor.cstring() };
      break;
    default:
      throw fatalProtocolViolation(`invalid frontend message type ${type}`);
  }
  cursor.end();
  return message;
}

function decodeParse(cursor: MessageCursor): ParseMessage {
  const statement = cursor.cstring();
  const sql = cursor.cstring();
  const count = cursor.uint16();
  const paramTypeOids: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) paramTypeOids[i] = cursor.uint32();
  return { kind: 'Parse', statement, sql, paramTypeOids };
}

function decodeBind(cursor: MessageCursor): BindMessage {
  const portal = cursor.cstring();
  const statement = cursor.cstring();
  const formatCount = cursor.uint16();
  const paramFormats: number[] = new Array<number>(formatCount);
  for (let i = 0; i < formatCount; i++) paramFormats[i] = cursor.int16();
  const paramCount = cursor.uint16();
  if (formatCount > 1 && formatCount !== paramCount) {
    throw protocolViolation(`bind message has ${formatCount} parameter formats but ${paramCount} parameters`);
  }
  const params: (Buffer | null)[] = new Array<Buffer | null>(paramCount);
  for (let i = 0; i < paramCount; i++) {
    const length = cursor.int32();
    params[i] = length === -1 ? null : cursor.bytes(length);
  }
  const resultCount = cursor.uint16();
  const resultFormats: number[] = new Array<number>(resultCount);
  for (let i = 0; i < resultCount; i++) resultFormats[i] = cursor.int16();
  return { kind: 'Bind', portal, statement, paramFormats, params, resultFormats };
}
