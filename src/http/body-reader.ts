/**
 * Reads a request body into memory up to a limit. The limit is checked against Content-Length
 * before anything is read and against the bytes received while streaming, so an oversized body
 * is refused without buffering its excess. A client that goes away before the end of its body
 * makes the read fail, so nothing of that request is stored.
 */
import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body exceeds the limit of ${limitBytes} bytes`);
  }
}

export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before the end of its request body');
  }
}

export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(new BodyTooLarge(limitBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('aborted', onAborted);
      request.off('close', onClose);
      request.off('error', onError);
      if (error === null) {
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
      } else {
        chunks.length = 0;
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        // Stop holding what came so far; the caller answers 413 and drains or drops the rest.
        request.pause();
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
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('aborted', onAborted);
    request.on('close', onClose);
    request.on('error', onError);
  });
}
