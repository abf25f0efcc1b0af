import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import type { Store } from '../store/contract.ts';
import { type AppOptions, createApp } from './app.ts';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the API on a port (0: any free one) and resolves once it listens.
 *
 * @example const server = await startServer(store, { port: 0 }); await fetch(`${server.url}/api/meta`)
 */
export function startServer(
  store: Store,
  options: AppOptions & { port?: number; host?: string } = {},
): Promise<RunningServer> {
  const app = createApp(store, options);
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: options.port ?? 8080, hostname: host },
      (info: AddressInfo) => {
        resolve({
          url: `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
    server.on('clientError', answerUnparsable);
  });
}

/**
 * Node answers a request it cannot parse (a URL and headers over its 16 KB limit, a broken request line)
 * itself, before the app sees it, with a bare status and no body; this says what was wrong in the JSON
 * every other error has.
 */
function answerUnparsable(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    error: tooLarge
      ? 'the URL and headers exceed 16 KB: ask with fewer or shorter parameters (an actor group instead of many actors)'
      : 'the request is not valid HTTP',
    details: [],
  });
  socket.end(
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
