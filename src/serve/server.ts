import type { AddressInfo } from 'node:net';
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
  });
}
