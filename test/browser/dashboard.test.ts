import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, haveChromium } from '../support/browser.ts';
import { type SyntheticDashboard, serveSyntheticDashboard } from '../support/synthetic-dashboard.ts';
import { HOSTILE_ACTOR, HOSTILE_ID, HOSTILE_NOTES, syntheticEvents } from '../support/synthetic-events.ts';

/**
 * The dashboard in real headless Chromium over a store served by the real API: counts on screen
 * must equal the API's, clicks must filter, the URL must reproduce the view, and hostile text in
 * an event must render as text without running.
 */

const TOKEN = 'test-write-token';
const skip = !haveChromium();

describe('dashboard in Chromium', { skip, timeout: 120_000 }, () => {
  let dashboard: SyntheticDashboard;
  let base: string;
  let browser: Browser;
  const dialogs: string[] = [];
  /** Requests to anywhere but the test server: the dashboard must work offline. */
  const external: string[] = [];

  before(async () => {
    dashboard = await serveSyntheticDashboard({ writeToken: TOKEN });
    ({ base, browser } = dashboard);
  });

  after(() => dashboard?.close());

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url());
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(e.message));
    await page.goto(`${base}${path}`);
    await ready(page);
    assert.deepEqual(failures, [], 'no script errors on the page');
    return page;
  }

  async function ready(page: Page): Promise<void> {
    await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 15_000 });
  }

  async function apiCount(query: string): Promise<{ events: number; fatalities: number }> {
    const body = (await (await fetch(`${base}/api/stats?${query}`)).json()) as {
      rows: { events: number; fatalities: number }[];
    };
    return { events: body.rows[0]?.events ?? 0, fatalities: body.rows[0]?.fatalities ?? 0 };
  }

  const kpi = async (page: Page, id: string) => Number((await page.textContent(`#${id}`))?.replace(/,/g, ''));

  it('shows the API totals, filters by event type, and the URL reproduces the view', async () => {
    const page = await open('/');
    const all = await apiCount('');
    assert.equal(all.events, syntheticEvents().length);
    assert.equal(await kpi(page, 'kpi-events'), all.events);
    assert.equal(await kpi(page, 'kpi-fatalities'), all.fatalities);
    await page.screenshot({ path: artifactPath('dashboard-overview.png'), fullPage: true });

    await page.click('#types [data-type="Battles"]');
    await ready(page);
    assert.match(page.url(), /type=Battles/);
    const battles = await apiCount('type=Battles');
    assert.ok(battles.events > 0 && battles.events < all.events);
    assert.equal(await kpi(page, 'kpi-events'), battles.events);
    assert.equal(await kpi(page, 'kpi-fatalities'), battles.fatalities);
    const rows = await page.$$eval('#events tr[data-event]', (trs) => trs.length);
    assert.equal(rows, Math.min(25, battles.events));

    const copy = await open(new URL(page.url()).search ? `/${new URL(page.url()).search}` : '/');
    assert.equal(await kpi(copy, 'kpi-events'), battles.events, 'the link reproduces the filtered view');
    assert.equal(await copy.getAttribute('#types [data-type="Battles"]', 'aria-pressed'), 'true');
    await copy.close();
    await page.close();
  });

  it('clicking an actor in the network filters map, timeline, counts and network together', async () => {
    const page = await open('/');
    const before = await page.$$eval('#network [data-actor]', (nodes) => nodes.length);
    await page.locator('#network g.node[data-actor="Bravo Army"]').dispatchEvent('click');
    await ready(page);
    assert.match(decodeURIComponent(page.url()), /actor=Bravo\+Army|actor=Bravo Army/);
    const bravo = await apiCount('actor=Bravo%20Army');
    assert.equal(await kpi(page, 'kpi-events'), bravo.events);
    const net = (await (await fetch(`${base}/api/network?actor=Bravo%20Army&limit=40`)).json()) as {
      nodes: unknown[];
    };
    const after = await page.$$eval('#network [data-actor]', (nodes) => nodes.length);
    assert.equal(after, net.nodes.length, 'the network redrawn for the actor');
    assert.ok(after < before);
    assert.equal(await page.getAttribute('#network g.node.selected', 'data-actor'), 'Bravo Army');
    const district = await page.$$eval('#map path.area', (paths) =>
      paths
        .filter((p) => p.getAttribute('data-admin2') === 'Quetta')
        .map((p) => p.querySelector('title')?.textContent),
    );
    const quetta = await apiCount('actor=Bravo%20Army&admin2=Quetta');
    assert.match(String(district[0]), new RegExp(`: ${quetta.events} events`));
    await page.screenshot({ path: artifactPath('dashboard-actor.png'), fullPage: true });
    await page.close();
  });

  it('brushing the timeline sets the date range', async () => {
    const page = await open('/');
    const first = page.locator('#timeline rect.hit[data-period="2023-01"]');
    const last = page.locator('#timeline rect.hit[data-period="2023-06"]');
    const a = (await first.boundingBox())!;
    const b = (await last.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await page.mouse.up();
    await ready(page);
    assert.match(page.url(), /from=2023-01-01/);
    assert.match(page.url(), /to=2023-06-30/);
    const range = await apiCount('from=2023-01-01&to=2023-06-30');
    assert.equal(await kpi(page, 'kpi-events'), range.events);
    // half a year cannot be compared year on year: the trend panel names the period as the cause
    assert.match(
      (await page.textContent('#trend-empty')) ?? '',
      /period set covers less than two whole years/,
    );
    await page.close();
  });

  it('adds a site with the write token and shows its risk score; refuses a wrong token', async () => {
    const page = await open('/');
    await page.click('.add-site summary');
    await page.fill('#site-name', 'Test Mine');
    await page.fill('#site-lat', '30.2');
    await page.fill('#site-lon', '67.0');
    await page.fill('#site-token', 'wrong');
    await page.click('#site-form button[type="submit"]');
    await page.waitForFunction(() =>
      /Not allowed/.test(document.querySelector('#site-form-result')?.textContent ?? ''),
    );
    const none = (await (await fetch(`${base}/api/sites`)).json()) as { sites: unknown[] };
    assert.equal(none.sites.length, 0);

    await page.fill('#site-token', TOKEN);
    await page.click('#site-form button[type="submit"]');
    await page.waitForFunction(() => /site=/.test(location.search));
    await ready(page);
    const sites = (await (await fetch(`${base}/api/sites`)).json()) as {
      sites: { id: string; name: string }[];
    };
    assert.deepEqual(
      sites.sites.map((s) => s.name),
      ['Test Mine'],
    );
    const exposure = (await (
      await fetch(`${base}/api/exposure?site=${sites.sites[0]!.id}&radius_km=50`)
    ).json()) as {
      risk: { score: number };
    };
    assert.equal(Number(await page.textContent('#site-score')), Math.round(exposure.risk.score));
    assert.equal(await page.$$eval('#map g.site', (g) => g.length), 1, 'the site is drawn on the map');
    await page.locator('#site').screenshot({ path: artifactPath('dashboard-site.png') });
    await page.close();
  });

  it('renders hostile notes, actor names and links as text, and no script runs', async () => {
    const page = await open(`/?event=${encodeURIComponent(HOSTILE_ID)}`);
    await page.waitForSelector('#detail-notes');
    const notes = await page.textContent('#detail-notes');
    assert.equal(notes, HOSTILE_NOTES, 'notes shown verbatim, as text');
    assert.equal(await page.$$eval('#detail img, #detail script, #app script', (els) => els.length), 0);
    assert.equal(await page.$$eval('a[href^="javascript"]', (els) => els.length), 0);
    const links = await page.$$eval('#detail-sources a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['https://example.org/report-1'], 'only the http(s) source became a link');
    // The hostile actor name shows as text in the table and the network.
    const cells = await page.$$eval('#events td', (tds) => tds.map((td) => td.textContent ?? ''));
    assert.ok(cells.some((c) => c.includes(HOSTILE_ACTOR)));
    assert.equal(await page.$$eval('#events b, #network b, #events i, #map i', (els) => els.length), 0);
    await page.hover('#detail-notes');
    await page.click('#detail-notes');
    await page.locator('#events tr[data-event="test:hostile"]').dispatchEvent('mouseover');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(external, [], 'no request left the test server');
    await page.screenshot({ path: artifactPath('dashboard-hostile-detail.png') });
    await page.close();
  });

  it('a site with no events in range says how far the nearest recent one is', async () => {
    const added = await fetch(`${base}/api/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Reko Diq',
        kind: 'mine',
        geometry: { type: 'Point', coordinates: [62.1, 29.12] },
      }),
    });
    const { id } = (await added.json()) as { id: string };
    assert.equal(added.status, 201);
    const wide = (await (await fetch(`${base}/api/exposure?site=${id}&radius_km=1000`)).json()) as {
      nearestRecent: { distanceKm: number; date: string }[];
    };
    const nearest = wide.nearestRecent[0];
    assert.ok(nearest, 'the synthetic events include recent ones within 1,000 km');
    const page = await open(`/?site=${id}`);
    await page.waitForSelector('#site-nearest');
    assert.equal(
      await page.textContent('#site-nearest'),
      `No events within 50 km. The nearest recent one is ${nearest.distanceKm.toFixed(0)} km away (${nearest.date}, ${(wide.nearestRecent[0] as { location?: string }).location}).`,
    );
    await page.close();

    // a link to a site this store lacks keeps the picker (it used to replace the panel with an error)
    const missing = await open('/?site=reko-dik');
    await missing.waitForSelector('#site-missing');
    assert.equal(
      await missing.textContent('#site-missing'),
      'No site "reko-dik" in this store: pick one above or add it below.',
    );
    assert.ok(
      (await missing.$$eval('#site-select option', (os) => os.map((o) => o.textContent))).includes(
        'Reko Diq (mine)',
      ),
    );
    await missing.close();
  });

  it('fits a phone screen: the top bar wraps and a long site name does not push the page sideways', async () => {
    const added = await fetch(`${base}/api/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Saindak copper-gold project and its tailings dam, Chagai district',
        kind: 'mine',
        geometry: { type: 'Point', coordinates: [61.6, 29.27] },
      }),
    });
    assert.ok(added.ok, await added.text());
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/`);
    await ready(page);
    const [scrollWidth, innerWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
    ]);
    assert.ok(scrollWidth <= innerWidth, `page is ${scrollWidth} px wide on a ${innerWidth} px screen`);
    const reset = await page.locator('#reset').boundingBox();
    assert.ok(reset && reset.x + reset.width <= innerWidth, 'Reset is on screen');
    // the timeline is drawn at the panel's width, not shrunk from a wider drawing (tiny labels)
    const [drawn, panel] = await page.evaluate(() => [
      Number(document.querySelector('#timeline svg')?.getAttribute('width')),
      document.querySelector('#timeline')?.clientWidth ?? 0,
    ]);
    assert.equal(drawn, panel);
    await page.screenshot({ path: artifactPath('dashboard-phone.png') });
    await page.close();
  });

  it('draws counts, map and timeline without waiting for the forecast, then its band in the measure shown', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const prediction = (mean: number, low: number, high: number) => ({
      mean,
      alpha: 1,
      median: Math.round(mean),
      intervals: { 50: [low, high], 80: [low, high], 95: [low, high] },
    });
    // a forecast that takes as long as the test wants (training one takes seconds on a large store)
    await page.route('**/api/forecast**', async (route) => {
      await held;
      const month = {
        month: '2024-07',
        horizon: 1,
        events: prediction(4, 1, 9),
        fatalities: prediction(40, 10, 90),
      };
      await route.fulfill({ json: { forecasts: [{ unit: 'Balochistan', ...month }], totals: [month] } });
    });
    await page.goto(`${base}/?metric=fatalities`);
    await page.waitForFunction(() => document.body.dataset.core === 'true', undefined, { timeout: 15_000 });
    assert.ok((await page.$$('#timeline g.bar rect')).length > 0, 'the bars are drawn');
    assert.equal((await page.$$('#timeline g.forecast')).length, 0, 'the band is still on its way');
    assert.equal(await kpi(page, 'kpi-fatalities'), (await apiCount('')).fatalities);
    release();
    await page.waitForSelector('#timeline g.forecast');
    assert.equal(
      await page.textContent('#timeline g.forecast title'),
      'Forecast Jul 2024: 40 (10–90)',
      'the fatalities view draws the fatalities forecast',
    );
    assert.ok(await page.$('#timeline g.legend-forecast'), 'the legend names the band');
    await page.locator('.timeline-panel').screenshot({ path: artifactPath('dashboard-forecast.png') });
    await page.close();
  });

  it('keeps the site radius in the link, draws the ring at that radius, and Back restores the last one', async () => {
    const added = await fetch(`${base}/api/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Quetta depot',
        kind: 'base',
        geometry: { type: 'Point', coordinates: [67.0, 30.2] },
      }),
    });
    const { id } = (await added.json()) as { id: string };
    const page = await open(`/?site=${id}`);
    const ring = async () => Number(await page.getAttribute('#map g.site circle', 'r'));
    const at50 = await ring();
    await page.selectOption('#site-radius', '100');
    await ready(page);
    assert.match(page.url(), /radius=100/);
    const exposure = (await (await fetch(`${base}/api/exposure?site=${id}&radius_km=100`)).json()) as {
      risk: { score: number };
    };
    assert.equal(Number(await page.textContent('#site-score')), Math.round(exposure.risk.score));
    assert.match((await page.textContent('#site-body')) ?? '', /within 100 km/);
    assert.ok(Math.abs((await ring()) / at50 - 2) < 0.05, `the ring doubled: ${at50} → ${await ring()}`);
    const copy = await open(`/${new URL(page.url()).search}`);
    assert.equal(await copy.inputValue('#site-radius'), '100', 'a copied link keeps the radius');
    await copy.close();
    await page.goBack();
    await ready(page);
    assert.equal(await page.inputValue('#site-radius'), '50');
    assert.ok(Math.abs((await ring()) - at50) < 0.5);
    await page.close();
  });

  it('opens an event from the keyboard, moves focus into the drawer, and Escape closes it', async () => {
    const page = await open('/');
    const id = await page.getAttribute('#events tr[data-event]', 'data-event');
    await page.focus(`#events tr[data-event="${id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#detail:not([hidden]) [data-close]');
    await ready(page);
    assert.match(page.url(), /event=/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-close')), '1');
    await page.keyboard.press('Escape');
    await ready(page);
    assert.equal(await page.isHidden('#detail'), true);
    assert.doesNotMatch(page.url(), /event=/);
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-event')),
      id,
      'focus is back on the row',
    );
    await page.close();
  });

  it('when the counts fail, says so with a Retry, and the place and source pickers still work', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    let failing = true;
    await page.route('**/api/stats**', (route) =>
      failing ? route.fulfill({ status: 500, json: { error: 'database is locked' } }) : route.continue(),
    );
    await page.goto(`${base}/`);
    await ready(page);
    assert.match((await page.textContent('#kpis')) ?? '', /Could not load: \/api\/stats: database is locked/);
    assert.ok(
      (await page.$$eval('#admin1-select option', (os) => os.map((o) => o.textContent))).includes(
        'Balochistan',
      ),
      'the province picker is filled from /api/meta',
    );
    assert.ok((await page.$$('#source-select option')).length > 1);
    await page.locator('.kpis').screenshot({ path: artifactPath('dashboard-counts-failed.png') });
    failing = false;
    await page.click('#kpis [data-retry]');
    await ready(page);
    assert.equal(await kpi(page, 'kpi-events'), (await apiCount('')).events);
    await page.close();
  });

  it('checks a typed claim with the same verdict as the API', async () => {
    const page = await open('/');
    const claim = 'Alpha Front attacks rose in 2023 compared with 2022';
    await page.fill('#claim-input', claim);
    await page.click('#claim-form button[type="submit"]');
    await page.waitForSelector('#claim-result .verdict');
    const api = (await (await fetch(`${base}/api/check?claim=${encodeURIComponent(claim)}`)).json()) as {
      verdict: string;
    };
    assert.equal(await page.getAttribute('#claim-result .verdict', 'data-verdict'), api.verdict);

    // A ranking claim lists the leaders under the verdict, as the API ranks them.
    const ranking = 'Alpha Front was the deadliest group in 2022';
    await page.fill('#claim-input', ranking);
    await page.click('#claim-form button[type="submit"]');
    await page.waitForFunction(() =>
      document.querySelector('#claim-result')?.textContent?.includes('Top: 1.'),
    );
    const ranked = (await (await fetch(`${base}/api/check?claim=${encodeURIComponent(ranking)}`)).json()) as {
      verdict: string;
      ranking: { top: { name: string; value: number }[] };
    };
    const leader = ranked.ranking.top[0];
    assert.ok(leader, 'the synthetic data have a deadliest actor in 2022');
    assert.equal(await page.getAttribute('#claim-result .verdict', 'data-verdict'), ranked.verdict);
    assert.match(
      (await page.textContent('#claim-result')) ?? '',
      new RegExp(`Top: 1\\. ${leader.name}( \\(claimed\\))? ${leader.value}`),
    );
    await page.close();
  });
});
