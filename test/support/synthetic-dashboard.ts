import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { EventRecord } from '../../src/schema/index.ts';
import { startServer } from '../../src/serve/server.ts';
import { launchChromium } from './browser.ts';
import { freshStore, type TestStore } from './stores.ts';
import { syntheticEvents } from './synthetic-events.ts';

/** Events (the synthetic set by default) in a fresh DuckDB store, served by the real API, and a Chromium to look at it. */
export interface SyntheticDashboard {
  test: TestStore;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function serveSyntheticDashboard(
  options: { writeToken?: string; events?: EventRecord[] } = {},
): Promise<SyntheticDashboard> {
  const test = await freshStore('duckdb');
  const writer = await test.store.beginImport({ file: 'synthetic', sha256: 'synthetic', format: 'test' });
  const events = options.events ?? syntheticEvents();
  await writer.add(events);
  await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
  const server = await startServer(test.store, {
    port: 0,
    ...(options.writeToken ? { writeToken: options.writeToken } : {}),
  });
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

/** Opens a dashboard view and waits until every panel is drawn; fails on any script error of the page. */
export async function openDashboard(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const failures: string[] = [];
  page.on('pageerror', (e) => failures.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
  assert.deepEqual(failures, [], 'no script errors on the page');
  return page;
}
