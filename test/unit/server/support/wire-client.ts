/**
 * A raw protocol client for tests: writes hand-built frontend messages (pg-protocol's
 * `serialize`), parses every backend message with pg-protocol's client parser, and keeps the raw
 * frames for checks the parser cannot make (binary cells, NegotiateProtocolVersion).
 */
import { connect, type Socket } from 'node:net';
import { serialize } from 'pg-protocol';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';

export { serialize };

/** Only the first bytes of a conversation are kept raw; tests look at handshakes, not results. */
const rawLimitBytes = 1024 * 1024;

export interface RawFrame {
  readonly type: string;
  readonly body: Buffer;
}

/** Builds a frontend message from a type character and a body. */
export function message(type: string, body: Buffer | string = Buffer.alloc(0)): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const out = Buffer.alloc(5 + bytes.length);
  out[0] = type.charCodeAt(0);
  out.writeInt32BE(4 + bytes.length, 1);
  bytes.copy(out, 5);
  return out;
}

/** A StartupMessage with an explicit protocol version. */
export function startupPacket(major: number, minor: number, parameters: Record<string, string>): Buffer {
  const parts = [Buffer.alloc(8)];
  for (const [name, value] of Object.entries(parameters)) parts.push(Buffer.from(`${name}\0${value}\0`));
  parts.push(Buffer.from([0]));
  const packet = Buffer.concat(parts);
  packet.writeInt32BE(packet.length, 0);
  packet.writeInt16BE(major, 4);
  packet.writeInt16BE(minor, 6);
  return packet;
}

/** One line per message, in a form that is easy to compare across servers. */
export function summarize(m: BackendMessage): string {
  const any = m as unknown as Record<string, unknown>;
  switch (m.name) {
    case 'rowDescription': {
      const fields = any['fields'] as { name: string; tableID: number; columnID: number; dataTypeID: number; dataTypeSize: number; dataTypeModifier: number; format: string }[];
      return `T ${fields.map((f) => `${f.name}:${f.tableID}:${f.columnID}:${f.dataTypeID}:${f.dataTypeSize}:${f.dataTypeModifier}:${f.format}`).join(',')}`;
    }
    case 'dataRow':
      return `D ${JSON.stringify(any['fields'])}`;
    case 'error':
    case 'notice':
      return `${m.name === 'error' ? 'E' : 'N'} ${String(any['severity'])} ${String(any['code'])} ${String(any['message'])}`;
    case 'commandComplete':
      return `C ${String(any['text'])}`;
    case 'readyForQuery':
      return `Z ${String(any['status'])}`;
    case 'parameterStatus':
      return `S ${String(any['parameterName'])}=${String(any['parameterValue'])}`;
    case 'parameterDescription':
      return `t ${(any['dataTypeIDs'] as number[]).join(',')}`;
    default:
      return m.name;
  }
}

export class WireClient {
  readonly messages: BackendMessage[] = [];
  readonly frames: RawFrame[] = [];
  /** Index of the first message after the startup's ReadyForQuery. */
  startupEnd = 0;
  /** ReadyForQuery messages received, and how many of them belonged to the startup. */
  private readyCount = 0;
  private startupReady = 0;
  raw = Buffer.alloc(0);
  readonly closed: Promise<void>;
  private isClosed = false;
  private readonly parser = new Parser();
  private pendingFrame = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      if (this.raw.length < rawLimitBytes) this.raw = Buffer.concat([this.raw, chunk]);
      this.splitFrames(chunk);
      this.parser.parse(chunk, (m) => {
        this.messages.push(m);
        if (m.name === 'readyForQuery') this.readyCount++;
      });
      this.wake();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.wake();
        resolve();
      }),
    );
  }

  /** Connects; with `startup` (the default) completes a protocol 3.0 startup as user "eventide". */
  static async connect(port: number, options: { startup?: boolean; parameters?: Record<string, string> } = {}): Promise<WireClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new WireClient(socket);
    if (options.startup ?? true) {
      client.send(startupPacket(3, 0, { user: 'eventide', database: 'eventide', ...options.parameters }));
      await client.waitFor((ms) => ms.some((m) => m.name === 'readyForQuery' || m.name === 'error'));
      client.startupEnd = client.messages.length;
      client.startupReady = client.readyCount;
    }
    return client;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  send(...buffers: Buffer[]): void {
    this.socket.write(Buffer.concat(buffers));
  }

  /** Waits until `predicate` holds for the messages received so far, or the socket closes. */
  async waitFor(predicate: (messages: BackendMessage[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (this.isClosed) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received: ${this.summaries(0).join(' | ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for `count` ReadyForQuery messages after startup (or the socket closing). */
  async waitForReady(count: number, timeoutMs?: number): Promise<void> {
    await this.waitFor(() => this.readyCount - this.startupReady >= count, timeoutMs);
  }

  /** Summaries of the messages after startup (or from `from`). */
  summaries(from = this.startupEnd): string[] {
    return this.messages.slice(from).map(summarize);
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private splitFrames(chunk: Buffer): void {
    this.pendingFrame = Buffer.concat([this.pendingFrame, chunk]);
    while (this.pendingFrame.length >= 5) {
      const length = this.pendingFrame.readInt32BE(1);
      if (this.pendingFrame.length < length + 1) break;
      this.frames.push({ type: String.fromCharCode(this.pendingFrame[0] as number), body: this.pendingFrame.subarray(5, length + 1) });
      this.pendingFrame = this.pendingFrame.subarray(length + 1);
    }
  }
}
