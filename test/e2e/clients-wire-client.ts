/**
 * A minimal frontend over a raw socket, for what node `pg` hides or mangles: the SSLRequest answer,
 * every ParameterStatus and BackendKeyData of the startup, CancelRequest, and the exact bytes of
 * binary-format values (pg's parser decodes every DataRow field as UTF-8, so binary values reach a
 * pg user lossily; here they stay Buffers). Messages are built with pg-protocol's serializer.
 */
import { connect, type Socket } from 'node:net';
import { serialize } from 'pg-protocol';

export interface BackendMessage {
  readonly type: string;
  readonly body: Buffer;
}

export interface RawField {
  readonly name: string;
  readonly typeOid: number;
  readonly typeSize: number;
  readonly typeModifier: number;
  readonly format: number;
}

export interface RawResult {
  readonly fields: RawField[];
  readonly rows: (Buffer | null)[][];
  readonly commandTag: string | null;
  /** SQLSTATE of an ErrorResponse, or null. */
  readonly errorCode: string | null;
}

export class WireClient {
  private buffered = Buffer.alloc(0);
  private readonly queue: BackendMessage[] = [];
  private waiter: (() => void) | null = null;
  private closed = false;
  readonly parameters = new Map<string, string>();
  processId = 0;
  secretKey = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.split();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(host: string, port: number): Promise<WireClient> {
    return new Promise((resolveOpen, reject) => {
      const socket = connect({ host, port }, () => resolveOpen(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends SSLRequest and returns the single answer byte ('N' or 'S'). */
  async requestSsl(): Promise<string> {
    this.socket.write(serialize.requestSsl());
    while (this.buffered.length < 1) await this.waitForData();
    const answer = String.fromCharCode(this.buffered[0] ?? 0);
    this.buffered = this.buffered.subarray(1);
    this.split();
    return answer;
  }

  /** StartupMessage, then everything up to the first ReadyForQuery. */
  async startup(user = 'eventide', database = 'eventide'): Promise<BackendMessage[]> {
    this.socket.write(serialize.startup({ user, database, client_encoding: 'UTF8' }));
    const messages = await this.readUntilReady();
    for (const message of messages) {
      if (message.type === 'S') {
        const [name, value] = cstrings(message.body, 0, 2);
        this.parameters.set(name ?? '', value ?? '');
      } else if (message.type === 'K') {
        this.processId = message.body.readInt32BE(0);
        this.secretKey = message.body.readInt32BE(4);
      } else if (message.type === 'E') {
        throw new Error(`startup failed: ${errorFields(message.body).get('M') ?? ''}`);
      }
    }
    return messages;
  }

  /** Parse/Bind/Describe/Execute/Sync of one statement with text parameters. */
  async extendedQuery(text: string, values: readonly (string | null)[], binaryResults: boolean): Promise<RawResult> {
    this.socket.write(
      Buffer.concat([
        serialize.parse({ text }),
        serialize.bind({ values: [...values], binary: binaryResults }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    );
    return toResult(await this.readUntilReady());
  }

  async simpleQuery(text: string): Promise<RawResult> {
    this.socket.write(serialize.query(text));
    return toResult(await this.readUntilReady());
  }

  /** Sends bytes as they are (for startup packets of our own making). */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async readUntilReady(): Promise<BackendMessage[]> {
    const messages: BackendMessage[] = [];
    for (;;) {
      const message = await this.next();
      messages.push(message);
      if (message.type === 'Z') return messages;
    }
  }

  async next(): Promise<BackendMessage> {
    for (;;) {
      const message = this.queue.shift();
      if (message !== undefined) return message;
      if (this.closed) throw new Error('connection closed by the server');
      await this.waitForData();
    }
  }

  /** Resolves once the server has closed the connection. */
  async waitClosed(): Promise<void> {
    while (!this.closed) await this.waitForData();
  }

  close(): void {
    this.socket.destroy();
  }

  private waitForData(): Promise<void> {
    return new Promise((resolveWait) => (this.waiter = resolveWait));
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  private split(): void {
    while (this.buffered.length >= 5) {
      const length = this.buffered.readInt32BE(1);
      if (this.buffered.length < 1 + length) break;
      this.queue.push({ type: String.fromCharCode(this.buffered[0] ?? 0), body: this.buffered.subarray(5, 1 + length) });
      this.buffered = this.buffered.subarray(1 + length);
    }
    this.wake();
  }
}

/** Sends a CancelRequest for (processId, secretKey) on a new connection, as libpq does. */
export function sendCancelRequest(host: string, port: number, processId: number, secretKey: number): Promise<void> {
  return new Promise((resolveSent, reject) => {
    const socket = connect({ host, port }, () => {
      socket.end(serialize.cancel(processId, secretKey));
    });
    socket.once('error', reject);
    socket.once('close', () => resolveSent());
  });
}

function cstrings(body: Buffer, offset: number, count: number): string[] {
  const out: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const end = body.indexOf(0, at);
    out.push(body.toString('utf8', at, end));
    at = end + 1;
  }
  return out;
}

export function errorFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const code = String.fromCharCode(body[at] ?? 0);
    const end = body.indexOf(0, at + 1);
    fields.set(code, body.toString('utf8', at + 1, end));
    at = end + 1;
  }
  return fields;
}

function toResult(messages: readonly BackendMessage[]): RawResult {
  const fields: RawField[] = [];
  const rows: (Buffer | null)[][] = [];
  let commandTag: string | null = null;
  let errorCode: string | null = null;
  for (const { type, body } of messages) {
    if (type === 'T') {
      let at = 2;
      for (let i = 0; i < body.readInt16BE(0); i++) {
        const end = body.indexOf(0, at);
        const name = body.toString('utf8', at, end);
        at = end + 1;
        fields.push({
          name,
          typeOid: body.readUInt32BE(at + 6),
          typeSize: body.readInt16BE(at + 10),
          typeModifier: body.readInt32BE(at + 12),
          format: body.readInt16BE(at + 16),
        });
        at += 18;
      }
    } else if (type === 'D') {
      const row: (Buffer | null)[] = [];
      let at = 2;
      for (let i = 0; i < body.readInt16BE(0); i++) {
        const length = body.readInt32BE(at);
        at += 4;
        if (length < 0) {
          row.push(null);
        } else {
          row.push(Buffer.from(body.subarray(at, at + length)));
          at += length;
        }
      }
      rows.push(row);
    } else if (type === 'C') {
      commandTag = body.toString('utf8', 0, body.indexOf(0));
    } else if (type === 'E') {
      errorCode = errorFields(body).get('C') ?? 'unknown';
    }
  }
  return { fields, rows, commandTag, errorCode };
}
