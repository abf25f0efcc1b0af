import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { STORE_KINDS, storeWith, type TestStore } from '../../../test/support/stores.ts';
import type { SpreadResult } from '../../analyse/spread.ts';
import { blankEvent } from '../../schema/index.ts';

const sitrep = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

const unknownToll = { low: null, best: null, high: null };
const event = (id: string, date: string, admin1: string, admin2: string, best: number | null) =>
  blankEvent({
    id: `t:${id}`,
    source: 't',
    sourceId: id,
    eventDate: date,
    eventType: 'Explosions/Remote violence',
    actor1: 'Group A',
    admin1,
    admin2,
    location: admin2,
    fatalities: best === null ? unknownToll : { low: best, best, high: best },
  });

// A baseline event at home; in the window, one district whose two events state no toll, one whose
// toll is stated as 0, one with a toll; outside home, only events without a toll.
const EVENTS = [
  event('base', '2023-06-01', 'Home', 'Old', 2),
  event('u1', '2024-02-01', 'Home', 'Silent', null),
  event('u2', '2024-02-03', 'Home', 'Silent', null),
  event('z', '2024-03-01', 'Home', 'Zero', 0),
  event('k', '2024-04-01', 'Home', 'Known', 5),
  event('o', '2024-05-01', 'Away', 'Far', null),
];

for (const kind of STORE_KINDS) {
  describe(`spread with unknown tolls (${kind})`, () => {
    let t: TestStore;
    before(async () => {
      t = await storeWith(kind, EVENTS);
      await t.store.close();
    });
    after(async () => t?.cleanup());

    const args = ['--from', '2024-01-01', '--to', '2024-06-30', '--home', 'Home'];

    it('prints "—" where no event states its toll, 0 where one states 0', () => {
      const r = sitrep('spread', ...args, '--db', t.location);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^Silent +Home +2 +— +2024-02-01/m);
      assert.match(r.stdout, /^Zero +Home +1 +0 +2024-03-01/m);
      assert.match(r.stdout, /^Known +Home +1 +5 +2024-04-01/m);
      assert.match(r.stdout, /^Outside home \(Home, given\): 1 event, — fatalities — Away 1$/m);
    });

    it('says in JSON how many events state their toll, beside the unchanged sums', () => {
      const r = sitrep('spread', ...args, '--json', '--db', t.location);
      assert.equal(r.status, 0, r.stderr);
      const result = JSON.parse(r.stdout) as SpreadResult;
      const district = (name: string) => result.newDistricts.find((d) => d.admin2 === name);
      assert.deepEqual(
        ['Silent', 'Zero', 'Known'].map((n) => [
          district(n)?.windowFatalities,
          district(n)?.windowEventsWithToll,
        ]),
        [
          [0, 0],
          [0, 1],
          [5, 1],
        ],
      );
      assert.equal(result.outsideHome.fatalities, 0);
      assert.equal(result.outsideHome.eventsWithToll, 0);
      assert.deepEqual(
        result.outsideHome.latest.map((e) => [e.id, e.fatalities, e.fatalitiesKnown]),
        [['t:o', 0, false]],
      );
    });
  });
}

it('spread --help says which window it takes without --from/--to', () => {
  const r = sitrep('spread', '--help');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.replace(/\s+/g, ' '), /default: the last 6 months of data/);
});
