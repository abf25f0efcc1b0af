import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { storeDocument } from '../../src/ingest/text/store-document.ts';
import { blankEvent } from '../../src/schema/index.ts';
import { type RunningServer, startServer } from '../../src/serve/server.ts';
import { artifactPath, haveChromium, launchChromium } from '../support/browser.ts';
import { freshStore, type TestStore } from '../support/stores.ts';

/**
 * A text-extracted event's drawer in real Chromium: the passage it was read from, fetched from
 * `/api/documents/{id}`, with each field's evidence marked — and the document's hostile markup shown
 * as characters, never run.
 */

const TEXT =
  'On 3 May 2024, BLF militants <img src=x onerror="window.__pwned=1"> attacked a police checkpost ' +
  'near <b>Turbat</b>, killing two policemen. Residents said <script>window.__pwned=2</script> the ' +
  'attackers fled.';

const skip = !haveChromium();

describe('text event evidence in the dashboard', { skip, timeout: 90_000 }, () => {
  let test: TestStore;
  let server: RunningServer;
  let base: string;
  let browser: Browser;
  let documentId: string;
  let monthEventId: string;

  before(async () => {
    test = await freshStore('duckdb');
    ({ documentId } = await storeDocument(test.store, {
      text: TEXT,
      published: '2024-05-04',
      source: '<i>Wire</i>',
      url: 'javascript:window.__pwned=3',
    }));
    // a text that gives a month and no toll: the table and drawer must not turn them into a day and 0
    const monthOnly = await storeDocument(test.store, {
      text: 'Insurgents are expanding their attacks, including one in Karachi in October.',
      published: '2025-03-25',
    });
    monthEventId = `text:${monthOnly.documentId}:0`;
    // a merger: no shared events to draw, so the network panel lists it under the graph
    await storeDocument(test.store, {
      text: 'Last month the BRA and the UBA announced they would merge into a single force called the Baloch Freedom Front.',
      published: '2025-03-25',
    });
    // and a data set beside them, so that the source filter has something to leave out
    const writer = await test.store.beginImport({ file: 'older', sha256: 'older', format: 'test' });
    await writer.add([
      blankEvent({ id: 'older:1', source: 'older', sourceId: '1', eventDate: '2020-01-01', actor1: 'BLA' }),
      // a district the shipped boundaries lack, and no coordinates: counted, but not on the map
      blankEvent({
        id: 'older:2',
        source: 'older',
        sourceId: '2',
        eventDate: '2020-02-01',
        actor1: 'BLA',
        admin1: 'Balochistan',
        admin2: 'Dalbandin',
      }),
      blankEvent({
        id: 'older:3',
        source: 'older',
        sourceId: '3',
        eventDate: '2020-03-01',
        actor1: 'BLA',
        admin1: 'Balochistan',
        admin2: 'Quetta',
        latitude: 30.19,
        longitude: 67.0,
      }),
    ]);
    await writer.finish({ rowsRead: 3, rowsRejected: 0 });
    server = await startServer(test.store, { port: 0 });
    base = server.url;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await test?.cleanup();
  });

  it('marks the evidence of each field in the source passage, as text', async () => {
    const doc = (await (await fetch(`${base}/api/documents/${documentId}`)).json()) as {
      text: string;
      events: { id: string; evidence: Record<string, { start: number; end: number }> }[];
    };
    const [event] = doc.events;
    assert.ok(event, 'the document yielded an event');

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    const dialogs: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${base}/?event=${encodeURIComponent(event.id)}`);
    await page.waitForSelector('#detail-evidence mark', { timeout: 15_000 });

    const marks = await page.$$eval('#detail-evidence mark', (ms) =>
      ms.map((m) => ({ fields: (m.getAttribute('data-field') ?? '').split(' '), text: m.textContent })),
    );
    // Every field with evidence is marked once, over exactly the words its span slices out.
    const marked = new Map(marks.flatMap((m) => m.fields.map((f) => [f, m.text] as const)));
    assert.deepEqual([...marked.keys()].sort(), Object.keys(event.evidence).sort());
    for (const [field, span] of Object.entries(event.evidence)) {
      assert.equal(marked.get(field), doc.text.slice(span.start, span.end), field);
    }
    assert.equal(marked.get('actor1'), 'BLF');
    assert.equal(marked.get('fatalities'), 'two');

    // The hostile markup is on screen as characters; nothing was parsed or run.
    const passage = (await page.textContent('#detail-evidence')) ?? '';
    assert.ok(passage.includes('<img src=x onerror="window.__pwned=1">'), passage);
    assert.ok(passage.includes('<b>Turbat</b>'));
    assert.ok(TEXT.startsWith(passage), 'the passage is the stored text, from its first sentence');
    assert.equal(await page.$$eval('#detail img, #detail script, #detail b, #detail i', (e) => e.length), 0);
    assert.match((await page.textContent('#detail-document')) ?? '', /<i>Wire<\/i>, published 2024-05-04/);
    assert.equal(await page.$$eval('a[href^="javascript"]', (e) => e.length), 0);
    await page.hover('#detail-evidence mark[data-field~="actor1"]');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(failures, []);
    await page.locator('#detail').screenshot({ path: artifactPath('dashboard-text-evidence.png') });
    await page.close();
  });

  it('shows a month-precision date as its month and an unstated toll as unknown', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${base}/`);
    const row = page.locator(`#events tr[data-event="${monthEventId}"]`);
    await row.waitFor({ timeout: 15_000 });
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[0], 'Oct 2024', 'stored as 2024-10-01, shown as the month the text gives');
    assert.equal(cells[4], '—', 'the text gives no toll: not 0');
    await row.click();
    await page.waitForSelector('#detail dl');
    const fields = await page.$$eval('#detail dt', (dts) =>
      dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]),
    );
    assert.deepEqual(
      fields.find(([k]) => k === 'Date'),
      ['Date', 'Oct 2024 (the source gives only the month)'],
    );
    assert.deepEqual(failures, []);
    await page.close();
  });

  it('draws every event that has coordinates and says how many have none or lie off the map', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${base}/`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 15_000 });
    const stats = (await (await fetch(`${base}/api/stats`)).json()) as { rows: { events: number }[] };
    const total = stats.rows[0]?.events ?? 0;
    const geo = (await (await fetch(`${base}/api/events?format=geojson&limit=4000`)).json()) as {
      features: { geometry: { type: string } | null }[];
    };
    const placed = geo.features.filter((f) => f.geometry?.type === 'Point').length;
    assert.ok(placed > 0 && placed < total, `${placed} of ${total} events have a point`);
    // a few events without coordinates used to switch the map to one circle per district
    assert.equal(await page.$$eval('#map circle.point.event', (cs) => cs.length), placed);
    const note = (await page.textContent('#map-note')) ?? '';
    assert.doesNotMatch(note, /filter below/);
    assert.match(
      note,
      new RegExp(`^${placed} events? on the map · ${total - placed} events? without coordinates`),
    );
    assert.match(note, /1 event in Dalbandin \(not on the map\)/);
    // districts hit counts the district off the map too, as the brief does
    const districts = (await (await fetch(`${base}/api/districts`)).json()) as {
      features: { properties: { events: number } }[];
      unmatched: unknown[];
    };
    const hit = districts.features.filter((f) => f.properties.events > 0).length + districts.unmatched.length;
    assert.equal(districts.unmatched.length, 1);
    assert.equal(Number(await page.textContent('#kpi-districts')), hit);
    assert.deepEqual(failures, []);
    await page.close();
  });

  it('filters to the events read from news texts, and names an actor the store does not know', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    const ready = () =>
      page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 15_000 });
    await page.goto(`${base}/`);
    await ready();
    await page.selectOption('#source-select', 'text');
    await ready();
    assert.match(page.url(), /source=text/);
    const stats = (await (await fetch(`${base}/api/stats?source=text`)).json()) as {
      rows: { events: number }[];
    };
    assert.equal(Number(await page.textContent('#kpi-events')), stats.rows[0]?.events);
    assert.equal(await page.$$eval('#events tr[data-event^="older:"]', (rows) => rows.length), 0);
    assert.match((await page.textContent('#chips')) ?? '', /Source: news texts/);

    await page.goto(`${base}/`);
    await ready();
    const relations = (await page.textContent('#network-relations')) ?? '';
    assert.match(relations, /Feb 2025 · merger · .*→ Baloch Freedom Front/);

    await page.goto(`${base}/?actor=${encodeURIComponent('Baloch Liberaton Front')}`);
    await ready();
    assert.equal(await page.isVisible('#filter-warnings'), true);
    assert.equal(
      await page.textContent('#filter-warnings'),
      'No actor "Baloch Liberaton Front" in the store — did you mean "Baloch Liberation Front"?',
    );
    await page.goto(`${base}/?actor=BLF`);
    await ready();
    assert.equal(await page.isVisible('#filter-warnings'), false);
    assert.deepEqual(failures, []);
    await page.close();
  });
});
