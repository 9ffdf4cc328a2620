/** Starting a listener (the PostgreSQL port and the HTTP one alike). */
import type { Server } from 'node:net';

/** Listens on host:port; resolves with the bound address (port 0 picks a free port), rejects on error. */
export function listenOn(server: Server, host: string, port: number): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve({ host, port: typeof address === 'object' && address !== null ? address.port : port });
    });
  });
}
