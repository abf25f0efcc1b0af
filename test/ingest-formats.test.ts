import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileDateFormat } from '../src/ingest/csv/date-format.ts';
import { CsvSplitter } from '../src/ingest/csv-records.ts';
import { detectFormat } from '../src/ingest/detect-format.ts';
import { readGeoJson } from '../src/ingest/read-geojson.ts';
import { ingestPaths } from '../src/ingest/run-ingest.ts';
import { freshStore, type TestStore } from './support/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'sitrep-ingest-formats-'));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
after(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV splitting', () => {
  it('splits quoted commas, doubled quotes, CRLF and newlines in cells, whatever the chunking', () => {
    const text = '\ufeffa,b,c\r\n1,"x, ""y""",3\r\n\r\n2,"line one\nline two",\n3,,"end"';
    const expected = [
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x, "y"', '3'] },
      { line: 4, cells: ['2', 'line one\nline two', ''] },
      { line: 6, cells: ['3', '', 'end'] },
    ];
    for (const size of [1, 2, 3, 5, 1000]) {
      const splitter = new CsvSplitter();
      const records = [];
      for (let i = 0; i < text.length; i += size) records.push(...splitter.push(text.slice(i, i + size)));
      records.push(...splitter.end());
      assert.deepEqual(records, expected, `chunks of ${size}`);
    }
  });
});

describe('date patterns', () => {
  it('reads the compilations’ dates and refuses impossible ones', () => {
    assert.equal(compileDateFormat('dddd-MMMM D-YYYY')('Sunday-November 19-1995'), '1995-11-19');
    assert.equal(compileDateFormat('dddd, MMMM D, YYYY')('Friday, June 18, 2004'), '2004-06-18');
    assert.equal(compileDateFormat('D/M/YYYY')('29/2/2023'), null);
    assert.equal(compileDateFormat('D MMM YYYY')('3 Sep 2021'), '2021-09-03');
  });
});

describe('GeoJSON streaming', () => {
  it('cuts features out one by one, braces and quotes inside strings included', async () => {
    const features = [
      {
        type: 'Feature',
        properties: { iyear: 2008, gname: 'A {tricky} "name"', summary: 'ends with \\' },
        geometry: null,
      },
      {
        type: 'Feature',
        properties: { iyear: 2009, gname: 'B', list: [1, [2, { x: ']' }]] },
        geometry: { type: 'Point', coordinates: [67, 30] },
      },
    ];
    const path = file(
      'tricky.geojson',
      `{"type":"FeatureCollection","name":"x","crs":{"properties":{"features":"not these"}},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}`,
    );
    const rows = [];
    for await (const row of readGeoJson(path, path)) rows.push(row);
    assert.deepEqual(
      rows.map((r) => [r.line, r.row.gname, r.row.latitude ?? null]),
      [
        [2, 'A {tricky} "name"', null],
        [3, 'B', 30],
      ],
    );
  });
});

describe('importers', () => {
  let t: TestStore;
  before(async () => {
    t = await freshStore('duckdb');
  });
  after(async () => t?.cleanup());

  it('GTD CSV export: eventid, unknown day → month precision, −99 → null, Unknown group → unidentified', async () => {
    const header =
      'eventid,iyear,imonth,iday,approxdate,country_txt,provstate,city,latitude,longitude,specificity,summary,suicide,claimed,attacktype1_txt,targtype1_txt,weaptype1_txt,gname,gname2,nkill,nwound,nhostkid,scite1,scite2';
    const rows = [
      '200801010001,2008,1,0,,Pakistan,Balochistan,Quetta,30.18,67.0,1,"Synthetic, not GTD text",0,1,Bombing/Explosion,Police,Explosives,Baloch Liberation Army (BLA),,3,-99,-99,Source one,',
      '200802020002,2008,2,2,,Pakistan,Sindh,Karachi,24.86,67.0,2,Synthetic,1,-9,Armed Assault,Private Citizens & Property,Firearms,Unknown,Lashkar-e-Jhangvi (LeJ),-99,4,,,',
    ];
    const path = file('gtd-export.csv', [header, ...rows].join('\n'));
    const report = await ingestPaths(t.store, [path]);
    assert.equal(report.files[0]?.format, 'gtd');
    const first = await t.store.eventById('gtd:200801010001');
    assert.equal(first?.eventDate, '2008-01-01');
    assert.equal(first?.timePrecision, 'month');
    assert.deepEqual(first?.injured, { low: null, best: null, high: null });
    assert.equal(first?.actor1Id, 'baloch-liberation-army');
    assert.equal(first?.claimed, true);
    assert.equal(first?.sourceRefs, 'Source one');
    // GTD's own attack type is kept; ACLED's type is derived (bombing, not suicide → IED).
    assert.equal(first?.attackType, 'Bombing/Explosion');
    assert.deepEqual(
      [first?.eventType, first?.subEventType],
      ['Explosions/Remote violence', 'Remote explosive/landmine/IED'],
    );
    const second = await t.store.eventById('gtd:200802020002');
    assert.equal(second?.actor1Id, 'unidentified-armed-group-pakistan');
    assert.equal(second?.assocActor1, 'Lashkar-e-Jhangvi (LeJ)');
    assert.equal(second?.claimed, null);
    assert.equal(second?.civilianTargeting, true);
    assert.equal(second?.fatalities.best, null);
    assert.deepEqual([second?.eventType, second?.subEventType], ['Violence against civilians', 'Attack']);
  });

  it('ACLED official export columns: event_id_cnty, precision codes, inter codes and associated actors', async () => {
    const header =
      'event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags';
    const row =
      'PAK99999,2024-03-01,2024,2,Battles,Armed clash,BLF: Baloch Liberation Front,,2,New Front Of Tests,,3,23,,Pakistan,Balochistan,Kech,Tump,Tump,26.1,62.4,2,Synthetic Daily,National,synthetic,2,extra-tag';
    const path = file('acled-export.csv', `${header}\n${row}\n`);
    await ingestPaths(t.store, [path]);
    const event = await t.store.eventById('acled:PAK99999');
    assert.equal(event?.timePrecision, 'week');
    assert.equal(event?.geoPrecision, 2);
    assert.equal(event?.admin3, 'Tump');
    assert.equal(event?.civilianTargeting, false);
    assert.equal(event?.raw?.tags, 'extra-tag');
    const learned = (await t.store.listActors()).find((a) => a.id === 'new-front-of-tests');
    assert.equal(learned?.kind, 'political militia');
  });

  it('a file that repeats a source id keeps its last row; a corrected file updates by id', async () => {
    const header = 'event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,admin1,fatalities';
    const row = (deaths: number) =>
      `PAK424242,2024-05-01,Battles,Armed clash,BLA: Baloch Liberation Army,,Balochistan,${deaths}`;
    const path = file('repeats.csv', `${header}\n${row(1)}\n${row(2)}\n`);
    const first = await ingestPaths(t.store, [path]);
    assert.deepEqual([first.files[0]?.rowsRead, first.files[0]?.inserted], [2, 1]);
    assert.equal((await t.store.eventById('acled:PAK424242'))?.fatalities.best, 2);
    writeFileSync(path, `${header}\n${row(3)}\n`);
    const corrected = await ingestPaths(t.store, [path]);
    assert.deepEqual([corrected.files[0]?.inserted, corrected.files[0]?.updated], [0, 1]);
    assert.equal((await t.store.eventById('acled:PAK424242'))?.fatalities.best, 3);
  });

  it('any CSV with a mapping: Latin-1, a date pattern, min/max → low/high, a reject rule, detection by header', async () => {
    const mapping = file(
      'mapping.json',
      JSON.stringify({
        name: 'test-compilation',
        source: 'test-compilation',
        encoding: 'latin1',
        header: ['No', 'When', 'Dead (min)', 'Dead (max)'],
        id: { hash: ['When', 'Place'] },
        fields: {
          eventDate: { column: 'When', format: 'D MMMM YYYY' },
          location: { column: 'Place' },
          actor1: { column: 'Group' },
          eventType: { value: 'Explosions/Remote violence' },
          notes: { columns: ['Place', 'Group'], labels: true },
        },
        counts: { fatalities: { low: 'Dead (min)', high: 'Dead (max)', best: 'high' } },
        rejectIf: [{ column: 'When', empty: true, reason: 'no date: a totals row' }],
      }),
    );
    const csv =
      'No,When,Place,Group,Dead (min),Dead (max)\n1,3 March 2010,Peshawar Caf\u00e9,TTP,2,5\n2,4 March 2010,Quetta,,,7\n,,,,2,12\n';
    const path = file('compilation.csv', Buffer.from(csv, 'latin1'));
    const report = await ingestPaths(t.store, [path], { mappingPath: mapping });
    const f = report.files[0];
    assert.deepEqual(
      [f?.stored, f?.rejected, f?.rejects[0]?.line, f?.rejects[0]?.reason],
      [2, 1, 4, 'no date: a totals row'],
    );
    const { events } = await t.store.events({ sources: ['test-compilation'] });
    const peshawar = events.find((e) => e.eventDate === '2010-03-03');
    assert.equal(peshawar?.location, 'Peshawar Caf\u00e9');
    assert.deepEqual(peshawar?.fatalities, { low: 2, best: 5, high: 5 });
    assert.equal(peshawar?.actor1Id, 'tehrik-i-taliban-pakistan');
    assert.equal(peshawar?.notes, 'Place: Peshawar Caf\u00e9; Group: TTP');
    assert.deepEqual(events.find((e) => e.eventDate === '2010-03-04')?.fatalities, {
      low: null,
      best: 7,
      high: 7,
    });
  });

  it('detects each format from the header, and a shipped mapping from its columns', async () => {
    const ucdp = await detectFormat('test/fixtures/ucdp-ged-sample.csv', 'ucdp');
    assert.equal(ucdp.importer.format, 'ucdp');
    const suicide = file(
      'suicide-like.csv',
      'S#,Date,Islamic Date,Blast Day Type,Killed Min,Killed Max,City\n1,Sunday-November 19-1995,x,y,1,2,Islamabad\n',
    );
    const detected = await detectFormat(suicide, suicide);
    assert.deepEqual(
      [detected.importer.format, detected.mapping, detected.importer.encoding],
      ['csv', 'pakistan-suicide-attacks', 'latin1'],
    );
  });
});
