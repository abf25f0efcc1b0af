import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ActorRegistry } from '../resolve/actor-registry.ts';
import { evaluateExtraction, readGold, trainModels } from './evaluate.ts';

// Hand-written records in the shape of the two exports (no ACLED/GTD text).
const dir = mkdtempSync(join(tmpdir(), 'sitrep-eval-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const acledCsv = [
  'event_date,event_type,sub_event_type,actor1,admin1,admin2,location,latitude,longitude,fatalities,notes',
  '2023-04-02,Battles,Armed clash,BLF: Baloch Liberation Front,Balochistan,Kech,Tump,26.1,62.4,2,"On 2 April 2023, BLF fighters attacked an army post in Tump (Kech, Balochistan). Two soldiers were killed."',
  '2023-05-09,Explosions/Remote violence,Grenade,BLA: Baloch Liberation Army,Balochistan,Quetta,Quetta,30.2,67.0,0,"On 9 May 2023, BLA men threw a grenade at a police van in Quetta (Quetta, Balochistan). No casualties."',
  '2023-06-11,Explosions/Remote violence,Remote explosive/landmine/IED,BLA: Baloch Liberation Army,Balochistan,Kohlu,Kohlu,29.9,69.2,3,"On 11 June 2023, a BLA landmine hit an army truck near Kohlu (Kohlu, Balochistan), killing 3 soldiers."',
  '2023-07-20,Battles,Armed clash,BLF: Baloch Liberation Front,Balochistan,Awaran,Awaran,26.4,65.2,1,"On 20 July 2023, BLF fighters fired on an FC camp in Awaran (Awaran, Balochistan). One soldier was killed."',
].join('\n');

test('reads ACLED and GTD exports and scores every field', () => {
  const acledPath = join(dir, 'acled.csv');
  writeFileSync(acledPath, acledCsv);
  const records = readGold(acledPath, 'acled');
  assert.equal(records.length, 4);
  assert.equal(records[0]?.fatalities, 2);

  const report = evaluateExtraction(records, { format: 'acled', folds: 1 });
  assert.equal(report.records, 4);
  assert.deepEqual(Object.keys(report.fields).sort(), [
    'actor1',
    'admin1',
    'admin2',
    'date',
    'event_type',
    'fatalities',
    'sub_event_type',
  ]);
  assert.equal(report.fields.date?.accuracy, 1);
  assert.equal(report.fields.fatalities?.accuracy, 1);
  assert.equal(report.fields.actor1?.accuracy, 1);
  assert.equal(report.fields.admin2?.accuracy, 1, 'the district the text spells out');

  const gtdPath = join(dir, 'gtd.geojson');
  const feature = (summary: string, gname: string, nkill: number) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [71.5, 34.0] },
    properties: {
      iyear: 2009,
      imonth: 3,
      iday: 4,
      summary,
      gname,
      provstate: 'Sindh',
      city: 'Karachi',
      nkill,
      attacktype1_txt: 'Armed Assault',
      latitude: 34,
      longitude: 71.5,
    },
  });
  writeFileSync(
    gtdPath,
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        feature(
          '03/04/2009: Gunmen shot dead two guards in Karachi, Sindh. No group claimed responsibility.',
          'Unknown',
          2,
        ),
        feature(
          '03/04/2009: TTP militants attacked a checkpoint in Karachi, killing one policeman.',
          'Tehrik-i-Taliban Pakistan (TTP)',
          1,
        ),
      ],
    }),
  );
  const gtd = evaluateExtraction(readGold(gtdPath, 'gtd'), { format: 'gtd', folds: 2 });
  assert.equal(gtd.folds, 2);
  assert.equal(gtd.fields.nkill?.accuracy, 1);
  assert.equal(gtd.fields.group?.accuracy, 1, '"Unknown" when no group is named; TTP when it is');
  assert.equal(gtd.fields.date?.accuracy, 1);
});

test('training never learns to relabel an actor as one of another kind', () => {
  // Coders named the unnamed attackers; the text names the Frontier Corps first: the label is learned
  // from the target, and must not turn the FC (state forces) into a rebel group everywhere.
  const records = [1, 2, 3, 4].map((n) => ({
    id: String(n),
    text: `Frontier Corps personnel came under fire near Turbat on ${n} May 2023.`,
    date: `2023-05-0${n}`,
    eventType: 'Battles',
    subEventType: 'Armed clash',
    attackType: null,
    actor1: 'Baloch Separatists (Pakistan)',
    admin1: 'Balochistan',
    admin2: 'Kech',
    location: 'Turbat',
    latitude: 26.0,
    longitude: 63.05,
    fatalities: 0,
  }));
  const models = trainModels(records, 'acled', ActorRegistry.seeded());
  assert.equal(models.actorMap?.['frontier-corps-pakistan'], undefined);
});

test('training records the provinces the actor fallback was learned from', () => {
  const records = [1, 2, 3, 4, 5, 6].map((n) => ({
    id: String(n),
    text: `Unidentified gunmen shot dead a man near Turbat on ${n} May 2023.`,
    date: `2023-05-0${n}`,
    eventType: 'Violence against civilians',
    subEventType: 'Attack',
    attackType: null,
    actor1: 'Baloch Separatists (Pakistan)',
    admin1: n === 6 ? 'Baluchistan' : 'Balochistan',
    admin2: 'Kech',
    location: 'Turbat',
    latitude: 26.0,
    longitude: 63.05,
    fatalities: 1,
  }));
  const models = trainModels(records, 'acled', ActorRegistry.seeded());
  assert.ok(models.actorFallback);
  assert.deepEqual(models.actorFallbackAdmin1, ['Balochistan'], 'canonical province names, once each');
});
