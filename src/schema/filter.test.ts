import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { STORE_KINDS, storeWith, type TestStore } from '../../test/support/stores.ts';
import { questionFilter } from '../analyse/cli-filter.ts';
import { admin2Names } from '../extract/places/admin-names.ts';
import { filterFromQuery } from '../serve/query.ts';
import { blankEvent } from './event.ts';
import { EventFilter } from './filter.ts';

describe('admin filters', () => {
  it('keep each name and add its canonical one', () => {
    assert.deepEqual(EventFilter.parse({ admin1: ['Baluchistan'] }).admin1, ['Baluchistan', 'Balochistan']);
    assert.deepEqual(EventFilter.parse({ admin1: ['Balochistan'] }).admin1, ['Balochistan']);
    assert.deepEqual(EventFilter.parse({ admin2: ['Hungu', 'Duki'] }).admin2, [
      'Hungu',
      'Hangu',
      'Duki',
      'Loralai',
    ]);
    // Unknown names pass as given.
    assert.deepEqual(EventFilter.parse({ admin2: ['Kandahar'] }).admin2, ['Kandahar']);
  });

  it('count places, not spellings, so an expanded filter parses again', () => {
    const aliases = admin2Names()
      .flatMap((d) => d.names.filter((n) => n !== d.name))
      .slice(0, 190);
    const once = EventFilter.parse({ admin2: aliases });
    assert.ok((once.admin2?.length ?? 0) > 200, `${once.admin2?.length}`);
    // The CLI parses the flags, then the question filter made of them.
    assert.deepEqual(questionFilter(once, undefined).admin2, once.admin2);
    const many = Array.from({ length: 201 }, (_, i) => `Nowhere ${i}`);
    assert.equal(EventFilter.safeParse({ admin2: many }).success, false);
  });

  it('are canonicalised the same from the CLI and the API', () => {
    const cli = questionFilter(EventFilter.parse({ admin1: ['NWFP'] }), undefined);
    const api = filterFromQuery({ admin1: 'NWFP' });
    assert.deepEqual(cli.admin1, ['NWFP', 'Khyber Pakhtunkhwa']);
    assert.deepEqual(api.admin1, cli.admin1);
    assert.deepEqual(filterFromQuery({ admin2: 'South waziristan,Bajaur  Agency' }).admin2, [
      'South waziristan',
      'South Waziristan',
      'Bajaur  Agency',
      'Bajaur',
    ]);
  });
});

const opened: TestStore[] = [];
after(async () => {
  for (const t of opened) await t.cleanup();
});

for (const kind of STORE_KINDS) {
  it(`an alias filter finds the events stored under the canonical name, another country's name as written: ${kind}`, async () => {
    const event = (n: number, country: string, admin1: string, admin2: string | null = null) =>
      blankEvent({
        id: `t:${n}`,
        source: 't',
        sourceId: String(n),
        eventDate: '2024-01-01',
        country,
        admin1,
        admin2,
        raw: {},
      });
    const t = await storeWith(kind, [
      event(1, 'Pakistan', 'Balochistan', 'Loralai'),
      event(2, 'Pakistan', 'Khyber Pakhtunkhwa', 'Hangu'),
      event(3, 'Pakistan', 'Islamabad Capital Territory'),
      event(4, 'Bangladesh', 'Capital'),
    ]);
    opened.push(t);
    const count = (query: Record<string, string>) => t.store.countEvents(filterFromQuery(query));
    assert.equal(await count({ admin1: 'Baluchistan' }), 1);
    assert.equal(await count({ admin1: 'NWFP' }), 1);
    assert.equal(await count({ admin2: 'Duki' }), 1);
    assert.equal(await count({ admin2: 'Hungu' }), 1);
    // "Capital" is ICT's alias and Bangladesh's name for Dhaka division: both.
    assert.equal(await count({ admin1: 'Capital' }), 2);
  });
}
