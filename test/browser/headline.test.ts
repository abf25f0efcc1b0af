import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { blankEvent, type EventRecord } from '../../src/schema/index.ts';
import { formatCount, formatPeriod } from '../../src/web/svg/format.ts';
import { artifactPath, haveChromium } from '../support/browser.ts';
import {
  openDashboard,
  type SyntheticDashboard,
  serveSyntheticDashboard,
} from '../support/synthetic-dashboard.ts';

/**
 * What the dashboard's headline and charts claim, checked in real Chromium against the real API: a toll
 * no source states is not "0 fatalities", the period is the counted events' own, the forecast band is
 * the total's interval, and the network's names never run into each other.
 */

const skip = !haveChromium();
const DENSE_NETWORK: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/dense-network.json', import.meta.url), 'utf8'),
);

/** A hub actor fighting many long-named ones: a dense graph whose labels compete for room. */
const HUB = 'Military Forces of Pakistan';
const RIVALS = [
  'Baloch Liberation Army',
  'Baloch Liberation Front',
  'Baloch Republican Army',
  'Baloch Republican Guard',
  'Baloch Raaji Aajoi Sangar',
  'Balochistan Liberation Tigers',
  'Tehrik-i-Taliban Pakistan',
  'Lashkar-e-Jhangvi',
  'Unidentified Armed Group (Pakistan)',
  'Police Forces of Pakistan (2022-)',
  'Civilians (Pakistan)',
  'Baloch Nationalist Army',
  'Jaish al-Adl',
  'Balochistan Levies',
];
const PROVINCES: [string, string][] = [
  ['Balochistan', 'Quetta'],
  ['Balochistan', 'Kech'],
  ['Sindh', 'Karachi'],
  ['Khyber Pakhtunkhwa', 'Peshawar'],
];

function events(): EventRecord[] {
  const out: EventRecord[] = [];
  let n = 0;
  // Data-set events, January 2020 to December 2023, every one with a stated toll.
  for (let month = 0; month < 48; month++) {
    const date = `${2020 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-15`;
    for (let i = 0; i < 3 + (month % 5); i++) {
      const [admin1, admin2] = PROVINCES[(month + i) % PROVINCES.length]!;
      const rival = RIVALS[(month * 3 + i) % RIVALS.length]!;
      const other = RIVALS[(month + 2 * i + 5) % RIVALS.length]!;
      out.push(
        blankEvent({
          id: `set:${n}`,
          source: 'acled',
          sourceId: String(n++),
          eventDate: date,
          eventType: 'Battles',
          admin1,
          admin2,
          actor1: i % 3 === 0 ? other : HUB,
          actor2: rival,
          fatalities: { low: i % 4, best: i % 4, high: i % 4 },
        }),
      );
    }
  }
  // Read from news text: two attacks whose tolls the text does not state.
  for (const [date, admin1, admin2] of [
    ['2014-03-01', 'Sindh', 'Karachi'],
    ['2024-10-01', 'Sindh', 'Karachi'],
  ] as const) {
    out.push(
      blankEvent({
        id: `text:${n}`,
        source: 'text',
        sourceId: String(n++),
        eventDate: date,
        timePrecision: 'month',
        eventType: 'Battles',
        admin1,
        admin2,
        actor1: 'Baloch Liberation Army',
      }),
    );
  }
  return out;
}

describe('dashboard headline, band and network labels in Chromium', { skip, timeout: 180_000 }, () => {
  let dashboard: SyntheticDashboard;
  let base: string;
  let browser: Browser;

  before(async () => {
    dashboard = await serveSyntheticDashboard({ events: events() });
    ({ base, browser } = dashboard);
  });

  after(() => dashboard?.close());

  const open = (path: string) => openDashboard(browser, `${base}${path}`);

  it('a toll no event states shows as unknown, not 0; a stated 0 is still 0', async () => {
    const page = await open('/?source=text');
    assert.equal(await page.textContent('#kpi-events'), '2');
    assert.equal(await page.textContent('#kpi-fatalities'), '—');
    assert.match((await page.textContent('#kpis')) ?? '', /not stated/);
    await page.locator('.kpis').screenshot({ path: artifactPath('dashboard-toll-unknown.png') });
    await page.close();
    // Tolls stated as 0 are a count: the data set's events with best = 0 only.
    const zero = await open('/?source=acled&from=2020-01-15&to=2020-01-15&admin2=Quetta');
    const stats = (await (
      await fetch(`${base}/api/stats?source=acled&from=2020-01-15&to=2020-01-15&admin2=Quetta`)
    ).json()) as {
      rows: { fatalities: number }[];
      tollUnknown: boolean;
    };
    assert.equal(stats.tollUnknown, false);
    assert.equal(await zero.textContent('#kpi-fatalities'), formatCount(stats.rows[0]?.fatalities ?? 0));
    await zero.close();
  });

  it('the period is that of the events counted, not the whole store’s', async () => {
    const text = await open('/?source=text');
    assert.equal(await text.textContent('#kpi-period'), 'Mar 2014 – Oct 2024');
    await text.close();
    const set = await open('/?source=acled');
    assert.equal(await set.textContent('#kpi-period'), 'Jan 2020 – Dec 2023');
    await set.close();
    const dated = await open('/?source=acled&from=2022-01-01');
    assert.equal(await dated.textContent('#kpi-period'), '1 Jan 2022 – Dec 2023');
    await dated.close();
  });

  it('the forecast band is the total’s own 80 % interval from /api/forecast', async () => {
    const page = await open('/?source=acled');
    await page.waitForSelector('#timeline g.forecast', { timeout: 60_000 });
    const body = (await (await fetch(`${base}/api/forecast?level=admin1&source=acled`)).json()) as {
      totals: { month: string; events: { mean: number; intervals: Record<string, [number, number]> } }[];
    };
    const first = body.totals[0]!;
    const [low, high] = first.events.intervals['80']!;
    assert.equal(
      await page.textContent('#timeline g.forecast title'),
      `Forecast ${formatPeriod(first.month)}: ${formatCount(first.events.mean)} (${formatCount(low)}–${formatCount(high)})`,
    );
    await page.close();
  });

  it('network labels, drawn by the browser, never overlap one another, on a desktop or a phone', async () => {
    const clashes: string[] = [];
    let drawn = 0;
    for (const width of [1440, 1100, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 1000 } });
      // The demo store's network (ACLED extract + GTD 2008, 35 actors, 59 pairs): the names once ran into
      // each other there ("Baloch Liberation Army" into "Baloch Separatists").
      await page.route('**/api/network**', (route) => route.fulfill({ json: DENSE_NETWORK }));
      await page.goto(`${base}/?source=acled`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, {
        timeout: 60_000,
      });
      await page
        .locator('#network')
        .screenshot({ path: artifactPath(`dashboard-network-labels-${width}.png`) });
      const boxes = await page.$$eval('#network .node-labels text', (texts) =>
        texts.map((t) => {
          const b = (t as SVGTextElement).getBBox();
          // the white halo (stroke 3) reaches 1.5 px beyond the glyphs
          return {
            text: t.textContent ?? '',
            box: [b.x - 1.5, b.y - 1.5, b.x + b.width + 1.5, b.y + b.height + 1.5],
          };
        }),
      );
      drawn += boxes.length;
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1))
          if (
            a.box[0]! < b.box[2]! &&
            b.box[0]! < a.box[2]! &&
            a.box[1]! < b.box[3]! &&
            b.box[1]! < a.box[3]!
          )
            clashes.push(`${width} px: ${a.text} × ${b.text}`);
      await page.close();
    }
    assert.ok(drawn >= 20, `${drawn} labels drawn`);
    assert.deepEqual(clashes, []);
  });
});
