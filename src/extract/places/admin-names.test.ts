import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sharedFile } from '../../../test/support/shared-data.ts';
import { adminOfPolygon, canonicalAdmin1, canonicalAdmin2, canonicalEventAdmin } from './admin-names.ts';
import { readBoundaries } from './data-files.ts';

describe('canonicalAdmin1', () => {
  it('maps old names, acronyms and the merged tribal areas to the current province', () => {
    for (const name of [
      'NWFP',
      'N.W.F.P.',
      'KPK',
      'Khyber-Pakhtunkhwa',
      'Federally Administered Tribal Areas',
      'FATA',
    ]) {
      assert.equal(canonicalAdmin1(name), 'Khyber Pakhtunkhwa', name);
    }
    assert.equal(canonicalAdmin1('Baluchistan'), 'Balochistan');
    assert.equal(canonicalAdmin1('Islamabad Capital Territory'), 'Islamabad Capital Territory');
    assert.equal(canonicalAdmin1('Azad Jammu & Kashmir'), 'Azad Jammu and Kashmir');
  });

  it('passes unknown names through trimmed and empty ones as null', () => {
    assert.equal(canonicalAdmin1('  Kandahar '), 'Kandahar');
    assert.equal(canonicalAdmin1(''), null);
    assert.equal(canonicalAdmin1(null), null);
  });
});

describe('canonicalAdmin2', () => {
  it('maps spellings, renames and later carve-outs to the base-map district', () => {
    const cases: Array<[string, string]> = [
      ['Turbat', 'Kech'],
      ['Kech', 'Kech'],
      ['Bolan', 'Kachhi'],
      ['Qila Abdullah', 'Killa Abdullah'],
      ['Qilla Abdullah', 'Killa Abdullah'],
      ['Chaman', 'Killa Abdullah'],
      ['Las Bela', 'Lasbela'],
      ['Hub', 'Lasbela'],
      ['Duki', 'Loralai'],
      ['Surab', 'Kalat'],
      ['Chagai', 'Chaghi'],
      ['Musakhel', 'Musakhail'],
      ['South Waziristan Agency', 'South Waziristan'],
      ['Kurram Agency', 'Kurram'],
      ['Karachi East', 'Karachi'],
      ['Keamari', 'Karachi'],
      ['D.I. Khan', 'Dera Ismail Khan'],
      ['Awaran District', 'Awaran'],
      ['Dera Bugti', 'Dera Bugti'],
    ];
    for (const [name, want] of cases) assert.equal(canonicalAdmin2(name), want, name);
  });

  it('leaves other countries’ districts alone', () => {
    assert.equal(canonicalAdmin2('Nagar', 'Rajasthan'), 'Nagar');
    assert.equal(canonicalAdmin2('Bolan', 'Kandahar'), 'Bolan');
    assert.equal(canonicalAdmin2('Bolan', 'Baluchistan'), 'Kachhi');
  });

  it('names every base-map polygon', () => {
    const features = readBoundaries('pakistan-districts.geojson');
    assert.equal(features.length, 148);
    for (const f of features)
      assert.ok(adminOfPolygon(String(f.properties.districts)), String(f.properties.districts));
  });

  const acled = sharedFile('acled-balochistan-2020-2024h1.csv');
  it('maps every ACLED admin2 of the Balochistan export onto a base-map district', { skip: !acled }, () => {
    const rows = parse(readFileSync(acled as string, 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    const polygons = new Set(
      readBoundaries('pakistan-districts.geojson').map(
        (f) => adminOfPolygon(String(f.properties.districts))?.admin2,
      ),
    );
    const names = new Set(rows.map((r) => r.admin2 ?? ''));
    assert.ok(names.size > 20);
    for (const name of names) assert.ok(polygons.has(canonicalAdmin2(name, 'Balochistan') ?? ''), name);
  });
});

describe('canonicalEventAdmin', () => {
  const mapped = (country: string | null, admin1: string | null, admin2: string | null) => {
    const event = { country, admin1, admin2 };
    canonicalEventAdmin(event);
    return [event.admin1, event.admin2];
  };

  it('maps a Pakistani event’s names, the aliases found in the shared data included', () => {
    assert.deepEqual(mapped('Pakistan', 'KPK', 'Hungu'), ['Khyber Pakhtunkhwa', 'Hangu']);
    assert.deepEqual(mapped('Pakistan', 'FATA', 'Lower Kurram Agency'), ['Khyber Pakhtunkhwa', 'Kurram']);
    assert.deepEqual(mapped('Pakistan', 'Fata', 'Bajaur  Agency'), ['Khyber Pakhtunkhwa', 'Bajaur']);
    assert.deepEqual(mapped('Pakistan', 'Sindh', 'Khairpur Mir’s'), ['Sindh', 'Khairpur']);
    assert.deepEqual(mapped('Pakistan', 'Capital', null), ['Islamabad Capital Territory', null]);
    assert.deepEqual(mapped('Pakistan', 'Balochistan', 'Duki'), ['Balochistan', 'Loralai']);
    // Asked again (the answer is remembered): the same.
    assert.deepEqual(mapped('Pakistan', 'KPK', 'Hungu'), ['Khyber Pakhtunkhwa', 'Hangu']);
  });

  it('collapses the whitespace of names it does not know, and leaves other countries alone', () => {
    assert.deepEqual(mapped('Pakistan', 'Balochistan', 'Somewhere \t New'), ['Balochistan', 'Somewhere New']);
    assert.deepEqual(mapped('India', 'Punjab', 'Amritsar'), ['Punjab', 'Amritsar']);
    assert.deepEqual(mapped('Bangladesh', 'Capital', 'Dhaka  City'), ['Capital', 'Dhaka  City']);
    assert.deepEqual(mapped(null, 'Baluchistan', 'Bolan'), ['Baluchistan', 'Bolan']);
  });
});
