import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freshStore, STORE_KINDS, type TestStore } from '../../../test/support/stores.ts';
import { blankEvent, type EventRecord } from '../../schema/index.ts';
import { createApp } from '../../serve/app.ts';
import { registerForecastRoutes } from '../../serve/routes/forecast.ts';
import { totalPrediction } from './forecast.ts';
import { backtestFromStore, forecastFromStore } from './run.ts';
import { simulatedRows } from './test-panel.ts';

/** The simulated panel as stored events: one record per event, on the 10th of its month. */
function events(): EventRecord[] {
  const out: EventRecord[] = [];
  for (const row of simulatedRows(11, 24)) {
    for (let i = 0; i < row.events; i++) {
      out.push(
        blankEvent({
          id: `sim:${row.unit}:${row.month}:${i}`,
          source: 'sim',
          sourceId: `${row.unit}:${row.month}:${i}`,
          eventDate: `${row.month}-10`,
          admin1: 'Balochistan',
          admin2: row.unit,
          actor1: row.actor,
          fatalities:
            i === 0
              ? { low: row.fatalities, best: row.fatalities, high: row.fatalities }
              : { low: 0, best: 0, high: 0 },
        }),
      );
    }
  }
  return out;
}

for (const kind of STORE_KINDS) {
  describe(`forecast over the ${kind} store`, () => {
    let t: TestStore;
    before(async () => {
      t = await freshStore(kind);
      const writer = await t.store.beginImport({ file: 'sim', sha256: 'sim', format: 'test' });
      const all = events();
      await writer.add(all);
      await writer.finish({ rowsRead: all.length, rowsRejected: 0 });
    });
    after(() => t.cleanup());

    test('forecasts each district for each month ahead from the stored counts', async () => {
      const result = await forecastFromStore(t.store, { level: 'admin2', horizon: 2, until: '2021-10' });
      assert.equal(result.origin, '2021-10');
      assert.equal(result.units, 6);
      assert.equal(result.forecasts.length, 12);
      assert.deepEqual([...new Set(result.forecasts.map((f) => f.month))], ['2021-11', '2021-12']);
      const province = await forecastFromStore(t.store, { level: 'admin1', horizon: 1 });
      assert.deepEqual(
        province.forecasts.map((f) => f.unit),
        ['Balochistan'],
      );
    });

    test('the answer carries the total per month: the sum of the means, the sum’s own interval', async () => {
      const app = createApp(t.store);
      registerForecastRoutes(app, { store: t.store, requireToken: async (_c, next) => next() });
      const res = await app.request('/api/forecast?level=admin2&horizon=2&until=2021-10');
      assert.equal(res.status, 200);
      const body = (await res.json()) as Awaited<ReturnType<typeof forecastFromStore>>;
      assert.deepEqual(
        body.totals.map((x) => x.month),
        ['2021-11', '2021-12'],
      );
      for (const total of body.totals) {
        const units = body.forecasts.filter((f) => f.month === total.month);
        assert.equal(units.length, 6);
        const mean = units.reduce((s, f) => s + f.events.mean, 0);
        assert.ok(Math.abs(total.events.mean - mean) < 1e-9);
        assert.deepEqual(total.events.intervals, totalPrediction(units.map((f) => f.events)).intervals);
        const low = units.reduce((s, f) => s + f.events.intervals[80][0], 0);
        const high = units.reduce((s, f) => s + f.events.intervals[80][1], 0);
        // summed ends are not the total's interval: here the quiet districts' [0, 0] make them too narrow
        assert.notDeepEqual(total.events.intervals[80], [low, high]);
      }
    });

    test('an actor filter forecasts only that actor’s events', async () => {
      const all = await forecastFromStore(t.store, { level: 'admin2', horizon: 1 });
      const one = await forecastFromStore(t.store, {
        level: 'admin2',
        horizon: 1,
        filter: { actors: ['Group A'] },
      });
      assert.deepEqual(
        one.forecasts.map((f) => f.unit),
        ['D1', 'D3', 'D5'],
      );
      assert.ok(all.units > one.units);
    });

    test('backtests the model beside the baselines', async () => {
      const result = await backtestFromStore(t.store, { level: 'admin2', from: '2021-10', horizon: 2 });
      assert.equal(result.origins, 3);
      assert.deepEqual(
        result.rows.filter((r) => r.target === 'events').map((r) => r.model),
        ['boosted', 'smoothed_level', 'negbin', 'zero', 'last_month', 'mean_12'],
      );
    });

    test('GET /api/forecast answers with the forecast and refuses bad input', async () => {
      const app = createApp(t.store);
      // Registered here until the API's createApp wires the hook in (a second registration is harmless).
      registerForecastRoutes(app, { store: t.store, requireToken: async (_c, next) => next() });
      const ok = await app.request('/api/forecast?level=admin2&horizon=2&until=2021-06');
      assert.equal(ok.status, 200);
      const body = (await ok.json()) as { forecasts: { unit: string }[]; origin: string };
      assert.equal(body.origin, '2021-06');
      assert.equal(body.forecasts.length, 12);
      assert.equal((await app.request('/api/forecast?horizon=99')).status, 400);
      assert.equal((await app.request('/api/forecast?actor=Nobody')).status, 400);
    });

    // Last: it adds an event to the shared store.
    test('an event read from news text after the data sets end moves neither the forecast nor the backtest', async () => {
      const before = await forecastFromStore(t.store, { level: 'admin2', horizon: 1 });
      const backtestBefore = await backtestFromStore(t.store, {
        level: 'admin2',
        from: '2021-10',
        horizon: 2,
      });
      const [year, month] = before.origin.split('-').map(Number) as [number, number];
      const later = `${year + 1}-${String(month).padStart(2, '0')}-15`;
      const writer = await t.store.beginImport({ file: 'article.txt', sha256: 'article', format: 'text' });
      const told = blankEvent({
        id: 'text:article:1',
        source: 'text',
        sourceId: 'article:1',
        eventDate: later,
        admin1: 'Balochistan',
        admin2: 'D1',
        actor1: 'Group A',
      });
      await writer.add([told]);
      await writer.finish({ rowsRead: 1, rowsRejected: 0 });

      const after = await forecastFromStore(t.store, { level: 'admin2', horizon: 1 });
      assert.equal(after.origin, before.origin);
      const backtestAfter = await backtestFromStore(t.store, {
        level: 'admin2',
        from: '2021-10',
        horizon: 2,
      });
      assert.equal(backtestAfter.origins, backtestBefore.origins);
      const asked = await forecastFromStore(t.store, {
        level: 'admin2',
        horizon: 1,
        until: later.slice(0, 7),
      });
      assert.equal(asked.origin, later.slice(0, 7), '--until still sets the origin');
    });
  });
}
