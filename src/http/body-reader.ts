/**
 * Reads a request body into memory up to a limit. The limit is checked against Content-Length
 * before anything is read and against the bytes received while streaming, so an oversized body
 * is refused without buffering its excess. A client that goes away before the end of its body
 * makes the read fail, so nothing of that request is stored.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';

export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body exceeds the limit of ${limitBytes} bytes`);
  }
}

/** A compressed body that does not decompress. */
export class BadEncoding extends Error {
  constructor(encoding: string, reason: string) {
    super(`the request body is not valid ${encoding} data: ${reason}`);
  }
}

/** Content-Encodings a body may come in; the limits apply to the decompressed bytes. */
export type BodyEncoding = 'identity' | 'gzip' | 'deflate';

export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before the end of its request body');
  }
}

/** The server is holding as many body bytes as it may (all requests together): try again later. */
export class ServerBusy extends Error {
  constructor(readonly budgetBytes: number) {
    super(`the server holds ${budgetBytes} bytes of request bodies already; try again later`);
  }
}

/**
 * Body bytes held by all requests in flight together, so many large requests at once cannot
 * exhaust memory: a request that would pass the budget is refused (503) instead of buffered.
 */
export class BodyBudget {
  usedBytes = 0;

  constructor(readonly limitBytes: number) {}

  take(bytes: number): boolean {
    if (this.usedBytes + bytes > this.limitBytes) return false;
    this.usedBytes += bytes;
    return true;
  }

  give(bytes: number): void {
    this.usedBytes -= bytes;
  }
}

/**
 * The body (decompressed), counted against `budget` as it arrives; the caller gives the bytes
 * back (`budget.give(body.length)`) when it is done with the body. On failure nothing stays taken.
 */
export function readBody(request: IncomingMessage, limitBytes: number, budget: BodyBudget, encoding: BodyEncoding = 'identity'): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(new BodyTooLarge(limitBytes));
  if (declared !== undefined && budget.usedBytes + Number(declared) > budget.limitBytes) return Promise.reject(new ServerBusy(budget.limitBytes));
  return new Promise<Buffer>((resolve, reject) => {
    // A compressed body is inflated as it streams, so a small body that inflates past the limit
    // (a zip bomb) is stopped at the limit like any other.
    const inflater: Gunzip | Inflate | null = encoding === 'gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : null;
    const source: Readable = inflater ?? request;
    if (inflater !== null) request.pipe(inflater);
    const stop = () => {
      request.pause();
      if (inflater !== null) {
        request.unpipe(inflater);
        inflater.destroy();
      }
    };
    const chunks: Buffer[] = [];
    let received = 0;
    let taken = 0;
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      source.off('end', onEnd);
      request.off('aborted', onAborted);
      request.off('close', onClose);
      request.off('error', onError);
      inflater?.off('error', onInflateError);
      if (error !== null) stop();
      if (error === null) {
        // The bytes stay taken until the caller gives them back.
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
      } else {
        chunks.length = 0;
        budget.give(taken);
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (!budget.take(chunk.length)) {
        finish(new ServerBusy(budget.limitBytes));
        return;
      }
      taken += chunk.length;
      if (received > limitBytes) {
        // Stop holding what came so far; the caller answers 413 and drains or drops the rest.
        finish(new BodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onAborted = () => finish(new ClientGone());
    const onClose = () => {
      // A complete body still ends with 'end'; only a cut-off one is the client's loss.
      if (!request.complete) finish(new ClientGone());
    };
    const onError = () => finish(new ClientGone());
    const onInflateError = (error: Error) => finish(new BadEncoding(encoding, error.message));
    source.on('data', onData);
    source.on('end', onEnd);
    inflater?.on('error', onInflateError);
    request.on('aborted', onAborted);
    request.on('close', onClose);
    request.on('error', onError);
  });
}
