import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WEB = dirname(fileURLToPath(import.meta.url));

export interface ClientBundle {
  js: string;
  css: string;
  /** Content hash, used as the asset URL's version so browsers cache it safely. */
  version: string;
}

let pending: Promise<ClientBundle> | undefined;

/**
 * Bundles the dashboard's TypeScript with esbuild into memory, once per process: `sitrep serve`
 * needs no separate build step and no network, straight after `npm ci`.
 */
export function clientBundle(): Promise<ClientBundle> {
  pending ??= buildClient().catch((error: unknown) => {
    pending = undefined;
    throw new Error(`cannot bundle the dashboard (src/web/client/main.ts): ${(error as Error).message}`, {
      cause: error,
    });
  });
  return pending;
}

async function buildClient(): Promise<ClientBundle> {
  const result = await build({
    entryPoints: [join(WEB, 'client/main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]?.text ?? '';
  const css = readFileSync(join(WEB, 'client/styles.css'), 'utf8');
  const version = createHash('sha1').update(js).update(css).digest('hex').slice(0, 12);
  return { js, css, version };
}
