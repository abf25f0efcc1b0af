import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Gazetteer, geoPrecisionOf } from './gazetteer.ts';
import { haversineKm } from './geometry.ts';

let gazetteer: Gazetteer;
before(async () => {
  gazetteer = await Gazetteer.load();
});

describe('Gazetteer.locate', () => {
  it('puts known coordinates in their district and province', () => {
    assert.deepEqual(gazetteer.locate(30.18, 67.0), {
      admin1: 'Balochistan',
      admin2: 'Quetta',
      country: 'Pakistan',
    });
    assert.deepEqual(gazetteer.locate(26.0, 63.05), {
      admin1: 'Balochistan',
      admin2: 'Kech',
      country: 'Pakistan',
    });
    assert.deepEqual(gazetteer.locate(32.3, 69.57), {
      admin1: 'Khyber Pakhtunkhwa',
      admin2: 'South Waziristan',
      country: 'Pakistan',
    });
    assert.deepEqual(gazetteer.locate(24.86, 67.01), {
      admin1: 'Sindh',
      admin2: 'Karachi',
      country: 'Pakistan',
    });
  });

  it('gives only the country outside Pakistan, and nothing at sea', () => {
    assert.deepEqual(gazetteer.locate(34.53, 69.17), { admin1: null, admin2: null, country: 'Afghanistan' });
    assert.deepEqual(gazetteer.locate(-40, -140), { admin1: null, admin2: null, country: null });
  });
});

describe('Gazetteer.lookup', () => {
  it('resolves Pakistani towns to their district by polygon', () => {
    const turbat = gazetteer.lookup('Turbat', { country: 'Pakistan' })[0];
    assert.equal(turbat?.admin2, 'Kech');
    assert.equal(turbat?.kind, 'town');
    assert.equal(gazetteer.lookup('Quetta')[0]?.admin2, 'Quetta');
    assert.equal(gazetteer.lookup('Hub')[0]?.admin2, 'Lasbela');
  });

  it('finds districts and provinces under old and new names', () => {
    const kech = gazetteer.lookup('Kech')[0];
    assert.equal(kech?.kind, 'district');
    assert.equal(kech && geoPrecisionOf(kech), 2);
    assert.equal(gazetteer.lookup('Bolan')[0]?.admin2, 'Kachhi');
    assert.equal(gazetteer.lookup('Qila Abdullah')[0]?.admin2, 'Killa Abdullah');
    assert.equal(gazetteer.lookup('Kalat district')[0]?.kind, 'district');
    const nwfp = gazetteer.lookup('NWFP')[0];
    assert.equal(nwfp?.name, 'Khyber Pakhtunkhwa');
    assert.equal(nwfp && geoPrecisionOf(nwfp), 3);
  });

  it('prefers the context country, then size', () => {
    const hyderabad = gazetteer.lookup('Hyderabad');
    assert.ok(hyderabad.length >= 2);
    assert.equal(gazetteer.lookup('Hyderabad', { country: 'Pakistan' })[0]?.country, 'Pakistan');
    assert.equal(gazetteer.lookup('Hyderabad', { country: 'IN' })[0]?.country, 'India');
    assert.equal(gazetteer.lookup('Paris')[0]?.country, 'France');
    // Delhi lists "New Delhi" as another name; the place called New Delhi still comes first.
    assert.equal(gazetteer.lookup('New Delhi')[0]?.name, 'New Delhi');
    assert.deepEqual(gazetteer.lookup('Nowhereville Xq'), []);
  });
});

describe('Gazetteer.findMentions', () => {
  const names = (text: string) =>
    gazetteer.findMentions(text).map((m) => [m.text, m.place.name, m.place.kind]);

  it('finds towns, districts with their suffix and provinces, with exact spans', () => {
    const text = 'Militants attacked a checkpoint near Turbat in Kech district (Balochistan) on Monday.';
    const mentions = gazetteer.findMentions(text);
    assert.deepEqual(
      mentions.map((m) => [m.text, m.place.kind]),
      [
        ['Turbat', 'town'],
        ['Kech district', 'district'],
        ['Balochistan', 'province'],
      ],
    );
    for (const m of mentions) assert.equal(text.slice(m.start, m.end), m.text);
  });

  it('takes the longest name and keeps matches apart', () => {
    assert.deepEqual(names('Firing in Dera Ismail Khan and Dera Murad Jamali.'), [
      ['Dera Ismail Khan', 'Dera Ismail Khan', 'city'],
      ['Dera Murad Jamali', 'Dera Murad Jamali', 'town'],
    ]);
    assert.deepEqual(names('South Waziristan Agency'), [
      ['South Waziristan Agency', 'South Waziristan', 'district'],
    ]);
  });

  it('ignores common words, lower-case text and parts of longer names', () => {
    assert.deepEqual(names('Police and Army said security forces were deployed.'), []);
    assert.deepEqual(names('the quetta and turbat roads'), []);
    assert.deepEqual(
      names('An FC post in Johan Shah Mardan area (Kalat, Balochistan).').map((n) => n[0]),
      ['Kalat', 'Balochistan'],
    );
  });

  it('finds places after the titles and forces reports put before them', () => {
    assert.deepEqual(
      names(
        'Chief Minister Balochistan met the Frontier Corps Balochistan chief at Civil Hospital Quetta.',
      ).map((n) => n[1]),
      ['Balochistan', 'Balochistan', 'Quetta'],
    );
  });

  it('reads unpunctuated lists of places and decomposed accents', () => {
    assert.deepEqual(
      names('Karachi Lahore Quetta').map((n) => n[1]),
      ['Karachi', 'Lahore', 'Quetta'],
    );
    const decomposed = 'Blast in Que\u0301tta.';
    const [mention] = gazetteer.findMentions(decomposed);
    assert.equal(mention?.place.name, 'Quetta');
    assert.equal(mention?.text, 'Que\u0301tta');
  });

  it('survives hostile and odd text', () => {
    assert.deepEqual(gazetteer.findMentions(''), []);
    assert.deepEqual(gazetteer.findMentions('   \n\t '), []);
    assert.deepEqual(gazetteer.findMentions('1234 5678 ,,,, ---- !!!'), []);
    const odd =
      'QUETTA:\u00a0blast in Karachi’s Lyari; Quetta\u200bKarachi <b>Gwadar</b> Ğwadar 🙂 Kech-district';
    const found = gazetteer.findMentions(odd);
    for (const m of found) assert.equal(odd.slice(m.start, m.end), m.text);
    const texts = found.map((m) => m.text);
    assert.ok(texts.includes('Karachi'), texts.join('|'));
    assert.ok(texts.includes('Gwadar'), texts.join('|'));
    const long = 'Turbat '.repeat(20_000);
    assert.equal(gazetteer.findMentions(long).length, 20_000);
  });

  it('places foreign capitals but not foreign hamlets in a Pakistani text', () => {
    const mentions = gazetteer.findMentions(
      'Officials in Quetta and Islamabad met envoys from Beijing and Washington.',
    );
    assert.deepEqual(
      mentions.map((m) => m.place.country),
      ['Pakistan', 'Pakistan', 'China', 'United States'],
    );
    const washington = mentions[3]?.place;
    assert.ok(washington && haversineKm(washington.latitude, washington.longitude, 38.9, -77.04) < 20);
  });
});

describe('Gazetteer.withLearned', () => {
  it('adds new places and strengthens known ones without changing the base', () => {
    const learned = gazetteer.withLearned([
      {
        name: 'Zamuran',
        country: 'Pakistan',
        admin1: 'Balochistan',
        admin2: 'Kech',
        latitude: 26.5,
        longitude: 62.6,
        seen: 30,
      },
      {
        name: 'Hyderabad',
        country: 'India',
        admin1: null,
        admin2: null,
        latitude: 17.38,
        longitude: 78.46,
        seen: 500,
      },
    ]);
    const zamuran = learned.lookup('Zamuran')[0];
    assert.equal(zamuran?.kind, 'learned');
    assert.equal(zamuran?.admin2, 'Kech');
    assert.equal(learned.findMentions('Clash in Zamuran area.')[0]?.place.name, 'Zamuran');
    assert.deepEqual(gazetteer.lookup('Zamuran'), []);
    assert.equal(learned.lookup('Hyderabad')[0]?.country, 'India');
    assert.equal(learned.lookup('Hyderabad').filter((p) => p.kind === 'learned').length, 0);
  });

  it('fills a learned place’s district from its coordinates when the record has none', () => {
    const learned = gazetteer.withLearned([
      {
        name: 'Somewhere Near Quetta',
        country: null,
        admin1: null,
        admin2: null,
        latitude: 30.2,
        longitude: 67.0,
        seen: 1,
      },
    ]);
    const place = learned.lookup('Somewhere Near Quetta')[0];
    assert.equal(place?.admin2, 'Quetta');
    assert.equal(place?.country, 'Pakistan');
  });
});
