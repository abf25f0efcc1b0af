import type { Browser } from 'playwright-core';
import { startServer } from '../../src/serve/server.ts';
import { launchChromium } from './browser.ts';
import { freshStore, type TestStore } from './stores.ts';
import { syntheticEvents } from './synthetic-events.ts';

/** The synthetic events in a fresh DuckDB store, served by the real API, and a Chromium to look at it. */
export interface SyntheticDashboard {
  test: TestStore;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function serveSyntheticDashboard(
  options: { writeToken?: string } = {},
): Promise<SyntheticDashboard> {
  const test = await freshStore('duckdb');
  const writer = await test.store.beginImport({ file: 'synthetic', sha256: 'synthetic', format: 'test' });
  const events = syntheticEvents();
  await writer.add(events);
  await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
  const server = await startServer(test.store, { port: 0, ...options });
  const browser = await launchChromium();
  return {
    test,
    base: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await test.cleanup();
    },
  };
}
