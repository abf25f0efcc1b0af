import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addSite } from '../src/analyse/sites.ts';
import { spread } from '../src/analyse/spread.ts';
import { storeDocument } from '../src/ingest/text/store-document.ts';
import { gatherReport } from '../src/report/gather.ts';
import { printPdf } from '../src/report/pdf.ts';
import { renderReport } from '../src/report/render.ts';
import { blankEvent } from '../src/schema/index.ts';
import { haveChromium, launchChromium } from './support/browser.ts';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.ts';
import { HOSTILE_ACTOR, HOSTILE_NOTES, syntheticEvents } from './support/synthetic-events.ts';

for (const kind of STORE_KINDS) {
  describe(`report on ${kind}`, () => {
    let test: TestStore;
    let html: string;
    let data: Awaited<ReturnType<typeof gatherReport>>;

    before(async () => {
      test = await freshStore(kind);
      const writer = await test.store.beginImport({ file: 'synthetic', sha256: 'synthetic', format: 'test' });
      await writer.add(syntheticEvents());
      await writer.finish({ rowsRead: 92, rowsRejected: 0 });
      await addSite(test.store, {
        name: 'Test <Port>',
        kind: 'port',
        geometry: { type: 'Point', coordinates: [62.32, 25.13] },
      });
      data = await gatherReport(
        test.store,
        { admin1: ['Balochistan'] },
        { now: () => new Date('2024-07-01T08:00:00Z') },
      );
      html = renderReport(data);
    });
    after(() => test?.cleanup());

    it('states the same totals as the store', async () => {
      const [total] = await test.store.stats([], { admin1: ['Balochistan'] });
      assert.equal(data.totals.events, total?.events);
      assert.equal(data.totals.fatalities, total?.fatalities);
      assert.match(
        html,
        new RegExp(`<div class="value">${total?.events}</div><div class="label">events</div>`),
      );
    });

    it('lists the newly affected districts that spread() finds', async () => {
      const expected = await spread(test.store, { filter: { admin1: ['Balochistan'] } });
      assert.deepEqual(
        data.spread.newDistricts.map((d) => d.admin2),
        expected.newDistricts.map((d) => d.admin2),
      );
      assert.ok(expected.newDistricts.some((d) => d.admin2 === 'Panjgur'));
      assert.match(html, /<td>Panjgur<\/td>/);
    });

    it("prints a new district's toll as '—' when none of its events states one, 0 only when one says 0", () => {
      const [first] = data.spread.newDistricts;
      assert.ok(first, 'the synthetic data have a newly affected district');
      const unknown = {
        ...first,
        admin2: 'Unknown Toll District',
        windowFatalities: 0,
        windowEventsWithToll: 0,
      };
      const zero = { ...first, admin2: 'Zero Toll District', windowFatalities: 0, windowEventsWithToll: 1 };
      const rendered = renderReport({ ...data, spread: { ...data.spread, newDistricts: [unknown, zero] } });
      const killed = (district: string) =>
        new RegExp(
          `<td>${district}</td><td>[^<]*</td><td class="num">\\d+</td><td class="num">([^<]*)</td>`,
        ).exec(rendered)?.[1];
      assert.equal(killed('Unknown Toll District'), '—');
      assert.equal(killed('Zero Toll District'), '0');
    });

    it('is self-contained: no scripts, no external references, untrusted text escaped', () => {
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /\s(src|href)="(?!#)/i);
      assert.doesNotMatch(html, /@import|url\(/i);
      assert.match(html, /<svg[^>]*class="sitrep-map"/);
      assert.match(html, /<svg[^>]*class="sitrep-timeline"/);
      assert.match(html, /<svg[^>]*class="sitrep-network"/);
      assert.ok(!html.includes(HOSTILE_ACTOR), 'the hostile actor name never appears unescaped');
      assert.ok(!html.includes(HOSTILE_NOTES));
      assert.match(html, /Test &lt;Port&gt;/);
    });

    it('adds the outlook from the forecasting stage, starting the month after the data', () => {
      assert.ok(data.forecast, 'a forecast for 30 months of history');
      assert.equal(data.forecast.origin, '2024-06');
      assert.equal(data.forecast.points[0]?.period, '2024-07');
      for (const p of data.forecast.points) assert.ok(p.low <= p.mid && p.mid <= p.high);
      assert.match(html, /Outlook: Jul 2024/);
    });

    it('scores the named sites with the exposure analysis', () => {
      assert.equal(data.sites.length, 1);
      assert.ok(data.sites[0]!.exposure.events > 0);
      assert.match(
        html,
        new RegExp(`${Math.round(data.sites[0]!.exposure.risk.score)} ${data.sites[0]!.exposure.risk.level}`),
      );
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`report with a news article beyond the data on ${kind}`, () => {
    let test: TestStore | undefined;
    after(() => test?.cleanup());

    it('still compares the last two complete years and counts the year the data stop in as partial', async () => {
      test = await freshStore(kind);
      const writer = await test.store.beginImport({ file: 'synthetic', sha256: 'synthetic', format: 'test' });
      await writer.add(syntheticEvents());
      await writer.finish({ rowsRead: 92, rowsRejected: 0 });
      const old = await test.store.beginImport({ file: 'old', sha256: 'old', format: 'test' });
      await old.add(
        [1, 2, 3].map((i) =>
          blankEvent({
            id: `old:${i}`,
            source: 'old',
            sourceId: String(i),
            eventDate: `2008-0${i}-01`,
            actor1: 'Old Front',
          }),
        ),
      );
      await old.finish({ rowsRead: 3, rowsRejected: 0 });
      await storeDocument(test.store, {
        text: 'Yesterday, BLA militants attacked a Frontier Corps post in Turbat (Kech, Balochistan), killing three soldiers.',
        published: '2025-04-02',
      });
      const data = await gatherReport(test.store, {}, { now: () => new Date('2025-04-03T08:00:00Z') });
      assert.deepEqual(
        data.byYear.filter((y) => y.year > 2008).map((y) => [y.year, y.partial]),
        [
          [2022, false],
          [2023, false],
          [2024, true],
          [2025, true],
        ],
      );
      assert.equal(data.yearToDate?.year, 2024);
      const [lastOfDataSet] = await test.store.query<{ last: string }>(
        "SELECT MAX(event_date) AS last FROM events WHERE source <> 'text'",
      );
      assert.equal(data.yearToDate?.to, lastOfDataSet?.last);
      // the outlook starts after the data sets too: the article's April 2025 is no end of the data, and
      // the nine months between would count as quiet ones
      assert.equal(data.forecast?.origin, lastOfDataSet?.last.slice(0, 7));
      const html = renderReport(data);
      const [y2023] = await test.store.stats([], { from: '2023-01-01', to: '2023-12-31' });
      assert.match(html, /events 2023 vs 2022/);
      assert.match(html, new RegExp(`→ ${y2023?.events}</div>`));
      assert.ok(
        data.actorTrend.series.some((s) => s.label === 'Old Front'),
        'the old actor ranks among the series',
      );
      assert.doesNotMatch(
        html,
        /<td>Old Front<\/td>/,
        'but has no row of zeros in the table of recent years',
      );
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`report with a column's claim and merger on ${kind}`, () => {
    let test: TestStore | undefined;
    after(() => test?.cleanup());

    it('checks the claims of stored news texts and lists the dated relations they tell of', async () => {
      test = await freshStore(kind);
      const writer = await test.store.beginImport({ file: 'synthetic', sha256: 'synthetic', format: 'test' });
      await writer.add(syntheticEvents());
      await writer.finish({ rowsRead: 92, rowsRejected: 0 });
      await storeDocument(test.store, {
        text:
          'Attacks by the BLA increased by 40 per cent between 2022 and 2023, according to PIPS. ' +
          'Last month the BRA and the UBA announced they would merge into a single force called the Baloch Freedom Front.',
        published: '2024-05-10',
        source: '../shared/samples/column.txt',
      });
      const data = await gatherReport(test.store, {}, { now: () => new Date('2024-07-01T08:00:00Z') });
      assert.equal(data.claims.length, 1);
      const [claim] = data.claims;
      assert.deepEqual(
        [claim?.check.claim.from, claim?.check.claim.to, claim?.check.claim.changePct],
        ['2022', '2023', 40],
      );
      assert.match(claim?.quote ?? '', /^Attacks by the BLA increased by 40 per cent/);
      const html = renderReport(data);
      assert.match(html, /Claims in the news texts, checked against the data/);
      assert.match(html, new RegExp(`<span class="verdict [a-z-]+">${claim?.check.verdict}</span>`));
      assert.match(html, /column\.txt \(10 May 2024\)/, 'the file name, not the path the ingest was given');
      assert.doesNotMatch(html, /\.\.\/shared/);
      assert.match(html, /Dated relations between actors/);
      assert.match(html, /<td>merger<\/td>/);
      assert.match(html, /Baloch Freedom Front/);
      if (kind === 'duckdb') {
        // and `sitrep report --json` names them, for scripts
        await test.store.close();
        const dir = mkdtempSync(join(tmpdir(), 'sitrep-report-json-'));
        try {
          const r = spawnSync(
            process.execPath,
            [
              '--import',
              'tsx',
              'src/cli/main.ts',
              'report',
              '--out',
              join(dir, 'b.html'),
              '--forecast',
              '0',
              '--json',
              '--db',
              test.location,
            ],
            { encoding: 'utf8' },
          );
          assert.equal(r.status, 0, r.stderr);
          const summary = JSON.parse(r.stdout) as { claims: { quote: string; verdict: string }[] };
          assert.deepEqual(
            summary.claims.map((c) => c.verdict),
            [claim?.check.verdict],
          );
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    });
  });
}

describe('report PDF', { skip: !haveChromium() }, () => {
  it('prints the brief to a PDF through Chromium', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-report-'));
    try {
      const test = await freshStore('duckdb');
      const writer = await test.store.beginImport({ file: 'synthetic', sha256: 'synthetic', format: 'test' });
      await writer.add(syntheticEvents());
      await writer.finish({ rowsRead: 92, rowsRejected: 0 });
      const data = await gatherReport(test.store, {});
      await test.cleanup();
      const htmlPath = join(dir, 'brief.html');
      const pdfPath = join(dir, 'brief.pdf');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(htmlPath, renderReport(data));
      await printPdf(htmlPath, pdfPath);
      assert.ok(existsSync(pdfPath));
      const pdf = readFileSync(pdfPath);
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      assert.ok((pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length >= 2, 'several pages');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report of a hostile news text', { skip: !haveChromium() }, () => {
  it('shows the markup of a checked claim and of a relation as text, and nothing runs when opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitrep-report-hostile-'));
    const test = await freshStore('duckdb');
    try {
      const writer = await test.store.beginImport({ file: 'synthetic', sha256: 'synthetic', format: 'test' });
      await writer.add(syntheticEvents());
      await writer.finish({ rowsRead: 92, rowsRejected: 0 });
      await storeDocument(test.store, {
        text:
          'Attacks by the BLA increased by 40 per cent between 2022 and 2023, according to <img src=x onerror="window.__pwned=1"> PIPS. ' +
          'Last month the BRA and the <b onmouseover="window.__pwned=2">UBA</b> announced they would merge into a single force called the Baloch Freedom Front.',
        published: '2024-05-10',
        source: '<script>window.__pwned=3</script>',
        url: 'javascript:window.__pwned=4',
      });
      const data = await gatherReport(test.store, {}, { now: () => new Date('2024-07-01T08:00:00Z') });
      assert.equal(data.claims.length, 1, 'the hostile claim was read and checked');
      const html = renderReport(data);
      assert.doesNotMatch(html, /<img|<script|<b on|href="javascript/i);
      assert.match(html, /&lt;img src=x onerror=/, 'the markup is on the page as characters');
      const { writeFileSync } = await import('node:fs');
      const path = join(dir, 'brief.html');
      writeFileSync(path, html);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const dialogs: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        await page.goto(`file://${path}`);
        for (const cell of await page.$$('td')) await cell.hover().catch(() => undefined);
        assert.equal(
          await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
          undefined,
        );
        assert.deepEqual(dialogs, []);
        assert.match((await page.textContent('body')) ?? '', /<img src=x onerror=/);
      } finally {
        await browser.close();
      }
    } finally {
      await test.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
