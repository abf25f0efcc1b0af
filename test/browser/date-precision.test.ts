import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { blankEvent, type EventRecord } from '../../src/schema/index.ts';
import { artifactPath, haveChromium } from '../support/browser.ts';
import {
  openDashboard,
  type SyntheticDashboard,
  serveSyntheticDashboard,
} from '../support/synthetic-dashboard.ts';

/**
 * Dates only as precise as their sources, checked in real Chromium against the real API: events known only
 * to the year are not drawn as January bars, the top bar's store range reads "Mar 2013 – 2016" rather than
 * "1 Mar 2013 – 1 Jan 2016", and the actor network fills its panel beside the taller map.
 */

const skip = !haveChromium();

const PAIRS: [string, string][] = [
  ['Baloch Liberation Army', 'Military Forces of Pakistan'],
  ['Baloch Liberation Front', 'Military Forces of Pakistan'],
  ['Tehrik-i-Taliban Pakistan', 'Police Forces of Pakistan'],
  ['Unidentified Armed Group (Pakistan)', 'Civilians (Pakistan)'],
];

/** Day events through 2014 and 2015, two a month; events known only to their year; a month-precision first. */
const YEAR_ONLY: Record<string, number> = { '2014': 6, '2015': 2, '2016': 1 };

function events(): EventRecord[] {
  const out: EventRecord[] = [];
  let n = 0;
  const add = (eventDate: string, timePrecision: EventRecord['timePrecision'], i: number) => {
    const [actor1, actor2] = PAIRS[i % PAIRS.length]!;
    out.push(
      blankEvent({
        id: `p:${n}`,
        source: 'acled',
        sourceId: String(n++),
        eventDate,
        timePrecision,
        eventType: 'Battles',
        admin1: 'Balochistan',
        admin2: 'Quetta',
        actor1,
        actor2,
        fatalities: { low: 1, best: 1, high: 1 },
      }),
    );
  };
  add('2013-03-01', 'month', 0);
  for (let month = 0; month < 24; month++) {
    const ym = `${2014 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
    add(`${ym}-10`, 'day', month);
    add(`${ym}-20`, 'day', month + 1);
  }
  for (const [year, count] of Object.entries(YEAR_ONLY))
    for (let i = 0; i < count; i++) add(`${year}-01-01`, 'year', i);
  return out;
}

describe('dates at their precision in the dashboard (Chromium)', { skip, timeout: 180_000 }, () => {
  let dashboard: SyntheticDashboard;
  let base: string;
  let browser: Browser;

  before(async () => {
    dashboard = await serveSyntheticDashboard({ events: events() });
    ({ base, browser } = dashboard);
  });

  after(() => dashboard?.close());

  it('events known only to the year are counted apart, not drawn as January bars', async () => {
    const page = await openDashboard(browser, `${base}/`);
    await page.locator('.timeline-panel').screenshot({ path: artifactPath('dashboard-year-only.png') });
    const january = await page.textContent('#timeline rect.hit[data-period="2014-01"] title');
    // two day events in January 2014; the six known only to 2014 are not January's
    assert.match(january ?? '', /^Jan 2014: 2 events/);
    assert.match(
      (await page.textContent('#timeline rect.hit[data-period="2015-01"] title')) ?? '',
      /^Jan 2015: 2 /,
    );
    // 2016 has only an event known to the year: no January 2016 bar at all
    assert.equal(await page.locator('#timeline rect.hit[data-period="2016-01"]').count(), 0);
    const total = Object.values(YEAR_ONLY).reduce((a, b) => a + b, 0);
    assert.equal(
      await page.textContent('#timeline-year-only'),
      `${total} events known only to the year, not in the monthly bars: 2014 (6), 2015 (2), 2016 (1)`,
    );
    // the headline's period: the first month and the last year, each as precise as it is known
    assert.equal(await page.textContent('#kpi-period'), 'Mar 2013 – 2016');
    await page.close();
  });

  it("the top bar's store range shows each end at its precision", async () => {
    const page = await openDashboard(browser, `${base}/`);
    await page.waitForFunction(() => /–/.test(document.getElementById('coverage')?.textContent ?? ''));
    assert.match((await page.textContent('#coverage')) ?? '', /Mar 2013 – 2016$/);
    const meta = (await (await fetch(`${base}/api/meta`)).json()) as Record<string, unknown>;
    assert.equal(meta.firstDatePrecision, 'month');
    assert.equal(meta.lastDatePrecision, 'year');
    await page.close();
  });

  it('the actor network fills its panel beside the taller map, and stacked leaves no gap', async () => {
    // 1100 px and narrower stack the panels: nothing beside the network, nothing to fill
    for (const width of [1440, 1280, 1100]) {
      const page = await browser.newPage({ viewport: { width, height: 1000 } });
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, {
        timeout: 60_000,
      });
      await page
        .locator('.network-panel')
        .screenshot({ path: artifactPath(`dashboard-network-fit-${width}.png`) });
      const gap = await page.$eval('#network', (chart) => {
        const panel = chart.closest('.panel')!;
        const bottom = Math.max(...Array.from(chart.children).map((c) => c.getBoundingClientRect().bottom));
        const padding = Number.parseFloat(getComputedStyle(panel).paddingBottom);
        return panel.getBoundingClientRect().bottom - padding - bottom;
      });
      const mapPanel = await page.$eval('.map-panel', (p) => p.getBoundingClientRect().height);
      const networkPanel = await page.$eval('.network-panel', (p) => p.getBoundingClientRect().height);
      if (width > 1100)
        assert.ok(Math.abs(mapPanel - networkPanel) <= 1, `${width} px: both panels share the row`);
      assert.ok(gap <= 12, `${width} px: ${gap.toFixed(0)} px left empty under the network`);
      await page.close();
    }
  });
});
