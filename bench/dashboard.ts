/**
 * Dashboard first render over a large store (goal: under 2 s at 1M events).
 *
 *   npx tsx bench/dashboard.ts [events=1000000] [store=bench/out/dashboard-1m.duckdb]
 *
 * Builds a synthetic store once (events spread over Balochistan's districts, 2015–2024, a few dozen
 * actors), serves it with the real API + dashboard, and times in headless Chromium how long the page
 * takes from navigation until the counts, map and timeline have drawn (`body[data-core=true]`) and until
 * every panel has (`body[data-ready=true]`), cold and warm.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { serve } from '@hono/node-server';
import { seededRandom } from '../src/analyse/forecast/seeded-random.ts';
import { blankEvent, type EventRecord } from '../src/schema/index.ts';
import { createApp } from '../src/serve/app.ts';
import { openStore } from '../src/store/open-store.ts';
import { launchChromium } from '../test/support/browser.ts';
import { exitWithUsageIfAsked } from './usage.ts';

exitWithUsageIfAsked(import.meta.url);

const total = Number(process.argv[2] ?? 1_000_000);
const location = process.argv[3] ?? `bench/out/dashboard-${total >= 1e6 ? `${total / 1e6}m` : total}.duckdb`;

const DISTRICTS: [string, number, number][] = [
  ['Quetta', 30.19, 67.0],
  ['Kech', 26.0, 63.05],
  ['Gwadar', 25.13, 62.32],
  ['Khuzdar', 27.8, 66.6],
  ['Panjgur', 26.96, 64.09],
  ['Kalat', 29.02, 66.59],
  ['Mastung', 29.8, 66.84],
  ['Awaran', 26.45, 65.23],
  ['Kohlu', 29.9, 69.25],
  ['Dera Bugti', 29.03, 69.15],
  ['Nushki', 29.55, 66.02],
  ['Chagai', 28.9, 64.4],
  ['Kharan', 28.58, 65.42],
  ['Turbat', 26.0, 63.05],
  ['Bolan', 29.4, 67.6],
];
const TYPES = [
  'Battles',
  'Explosions/Remote violence',
  'Violence against civilians',
  'Protests',
  'Riots',
  'Strategic developments',
];

async function build(): Promise<void> {
  mkdirSync(dirname(location), { recursive: true });
  const store = await openStore(location);
  const random = seededRandom(42);
  const writer = await store.beginImport({
    file: 'synthetic',
    sha256: `synthetic-${total}`,
    format: 'bench',
  });
  const started = performance.now();
  const start = Date.UTC(2015, 0, 1);
  const span = Date.UTC(2024, 11, 31) - start;
  let batch: EventRecord[] = [];
  for (let i = 0; i < total; i++) {
    const [admin2, lat, lon] = DISTRICTS[Math.floor(random() * DISTRICTS.length)]!;
    const type = TYPES[Math.floor(random() ** 1.5 * TYPES.length)]!;
    const f = Math.floor(random() ** 4 * 12);
    batch.push(
      blankEvent({
        id: `bench:${i}`,
        source: 'bench',
        sourceId: String(i),
        eventDate: new Date(start + Math.floor(random() * span)).toISOString().slice(0, 10),
        eventType: type,
        actor1: `Actor ${Math.floor(random() ** 2 * 40)}`,
        actor2: random() < 0.5 ? 'State forces' : `Actor ${Math.floor(random() * 40)}`,
        country: 'Pakistan',
        admin1: 'Balochistan',
        admin2,
        location: `${admin2} ${Math.floor(random() * 30)}`,
        latitude: lat + (random() - 0.5) * 0.8,
        longitude: lon + (random() - 0.5) * 0.8,
        fatalities: { low: f, best: f, high: f },
        notes: 'Synthetic benchmark event.',
      }),
    );
    if (batch.length === 50_000) {
      await writer.add(batch);
      batch = [];
    }
  }
  if (batch.length) await writer.add(batch);
  await writer.finish({ rowsRead: total, rowsRejected: 0 });
  await store.close();
  process.stdout.write(
    `built ${total.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

if (!existsSync(location)) await build();
const store = await openStore(location);
const app = createApp(store);
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchChromium();
try {
  const count = (await store.countEvents({})).toLocaleString('en-US');
  for (const [label, path] of [
    ['cold, no filters', '/'],
    ['warm, no filters', '/'],
    ['warm, one actor', '/?actor=Actor+3'],
    ['warm, type + period', '/?type=Battles&from=2023-01-01&to=2023-12-31'],
  ] as const) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const started = performance.now();
    await page.goto(`${base}${path}`);
    await page.waitForFunction(() => document.body.dataset.core === 'true', undefined, { timeout: 120_000 });
    const core = performance.now() - started;
    await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 120_000 });
    const all = performance.now() - started;
    process.stdout.write(
      `${count} events  ${label.padEnd(22)} counts+map+timeline ${core.toFixed(0).padStart(6)} ms   every panel ${all.toFixed(0).padStart(6)} ms\n`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
  await store.close();
}
