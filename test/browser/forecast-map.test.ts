import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { artifactPath, haveChromium } from '../support/browser.ts';
import {
  openDashboard,
  type SyntheticDashboard,
  serveSyntheticDashboard,
} from '../support/synthetic-dashboard.ts';

/**
 * The map's "Next 6 months" layer in real Chromium over the real API and its real forecast (trained on the
 * synthetic store): each district is shaded by the expected count of the measure on screen, its hover text
 * gives the same figure as `/api/forecast`, and the layer lives in the URL.
 */

const skip = !haveChromium();

interface ForecastRow {
  unit: string;
  month: string;
  events: { mean: number };
  fatalities: { mean: number };
}

describe("the map's forecast layer in Chromium", { skip, timeout: 180_000 }, () => {
  let dashboard: SyntheticDashboard;
  let base: string;
  let browser: Browser;

  before(async () => {
    dashboard = await serveSyntheticDashboard();
    ({ base, browser } = dashboard);
  });

  after(() => dashboard?.close());

  const open = (path: string) => openDashboard(browser, `${base}${path}`);

  const expectedOf = (rows: ForecastRow[], unit: string, measure: 'events' | 'fatalities') =>
    rows.filter((r) => r.unit === unit).reduce((sum, r) => sum + r[measure].mean, 0);

  it('keeps both layer buttons whole beside a long map note', async () => {
    const page = await open('/');
    for (const width of [1440, 1280]) {
      await page.setViewportSize({ width, height: 1000 });
      const fit = await page.evaluate(() => {
        // as long as a real store's note gets ("… 5 events without coordinates · 1 event in Dalbandin …")
        const note = document.getElementById('map-note') as HTMLElement;
        note.textContent = `${'2,815 events on the map, grouped in ~25 km cells · '.repeat(3)}click a district to filter`;
        const group = document.querySelector('[aria-label="Map layer"]') as HTMLElement;
        return { scroll: group.scrollWidth, client: group.clientWidth };
      });
      assert.ok(
        fit.scroll <= fit.client,
        `at ${width} px the switch shows ${fit.client} of its ${fit.scroll} px`,
      );
    }
    await page.close();
  });

  it('shades districts by the expected count over the next six months, as the API forecasts them', async () => {
    const api = (await (await fetch(`${base}/api/forecast?level=admin2&horizon=6`)).json()) as {
      forecasts: ForecastRow[];
    };
    const units = [...new Set(api.forecasts.map((r) => r.unit))];
    assert.ok(units.includes('Kech'), 'the synthetic districts are forecast');

    const page = await open('/?map=forecast');
    assert.equal(await page.getAttribute('[data-map-layer="forecast"]', 'aria-pressed'), 'true');
    assert.equal(await page.$$eval('#map circle.point', (c) => c.length), 0, 'no event points on a forecast');
    const kech = await page.textContent('#map path.area[data-admin2="Kech"] title');
    assert.equal(
      kech?.split(':')[1]?.trim().split(' ')[0],
      expectedOf(api.forecasts, 'Kech', 'events').toFixed(1),
      'the hover text gives the API forecast summed over the six months',
    );
    assert.match(kech ?? '', /events expected, Jul – Dec 2024 · Jul 2024: [\d.]+ \(80 %: \d+–\d+\)/);
    assert.match(
      (await page.textContent('#map .legend')) ?? '',
      /Expected events per district, Jul – Dec 2024/,
    );
    assert.match((await page.textContent('#map-note')) ?? '', /Forecast from the data up to Jun 2024/);
    const fill = (name: string) => page.getAttribute(`#map path.area[data-admin2="${name}"]`, 'fill');
    assert.notEqual(
      await fill('Kech'),
      await fill('Lasbela'),
      'a forecast district is shaded, a quiet one not',
    );
    await page.locator('.map-panel').screenshot({ path: artifactPath('dashboard-forecast-map.png') });

    // the measure switch applies to the layer
    await page.click('[data-metric="fatalities"]');
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    assert.match(page.url(), /map=forecast/);
    const kechDeaths = await page.textContent('#map path.area[data-admin2="Kech"] title');
    assert.equal(
      kechDeaths?.split(':')[1]?.trim().split(' ')[0],
      expectedOf(api.forecasts, 'Kech', 'fatalities').toFixed(1),
    );
    assert.match(kechDeaths ?? '', /fatalities expected/);

    // back to the events seen: the layer leaves the URL and the points come back
    await page.click('[data-map-layer="observed"]');
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    assert.doesNotMatch(page.url(), /map=/);
    assert.ok((await page.$$('#map circle.point')).length > 0, 'the events are drawn again');
    assert.match((await page.textContent('#map .legend')) ?? '', /^Fatalities per district/);
    await page.close();
  });
});
