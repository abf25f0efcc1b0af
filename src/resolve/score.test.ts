import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimateJaccard, exactJaccard, minhash } from './minhash.ts';
import { eventForm, recordFromRow } from './record.ts';
import { countAgreement, LINK_THRESHOLD, scorePair } from './score.ts';

const row = (fields: Record<string, string | number | boolean | null>) =>
  recordFromRow({
    id: 'x',
    source: 's',
    event_date: '2008-01-10',
    end_date: null,
    time_precision: 'day',
    event_type: null,
    sub_event_type: null,
    attack_type: null,
    suicide: null,
    actor1: null,
    actor2: null,
    actor1_id: null,
    actor2_id: null,
    admin1: null,
    admin2: null,
    location: null,
    latitude: null,
    longitude: null,
    geo_precision: null,
    fatalities_low: null,
    fatalities_best: null,
    fatalities_high: null,
    injured_low: null,
    injured_best: null,
    injured_high: null,
    held_low: null,
    held_best: null,
    held_high: null,
    notes: null,
    ...fields,
  });

describe('minhash', () => {
  const a =
    'A suicide bomber attacked police outside the Lahore High Court, killing 24 people and injuring 73.';
  const b = 'Suicide bomber attacks police outside Lahore High Court; 24 people killed, 73 injured.';
  const c = 'Security forces recovered a cache of weapons during a search operation in the Kech district.';

  test('the sketch estimates the Jaccard similarity of the shingle sets', () => {
    const estimate = estimateJaccard(minhash(a)!, minhash(b)!);
    assert.ok(Math.abs(estimate - exactJaccard(a, b)) < 0.15, `${estimate} vs ${exactJaccard(a, b)}`);
    assert.ok(estimate > estimateJaccard(minhash(a)!, minhash(c)!));
    assert.equal(estimateJaccard(minhash(a)!, minhash(a)!), 1);
  });

  test('too little text gives no sketch', () => {
    assert.equal(minhash('bomb'), null);
    assert.equal(minhash(null), null);
  });
});

describe('scorePair', () => {
  const gtd = row({
    id: 'gtd:1',
    source: 'gtd',
    suicide: true,
    attack_type: 'Bombing/Explosion',
    admin1: 'North-West Frontier Province',
    location: 'Peshawar',
    latitude: 34.0097,
    longitude: 71.58,
    geo_precision: 1,
    fatalities_best: 9,
    injured_best: 20,
  });
  const compilation = row({
    id: 'psa:88',
    source: 'psa',
    suicide: true,
    event_type: 'Explosions/Remote violence',
    admin1: 'KPK',
    location: 'Peshawar',
    latitude: 34.0043,
    longitude: 71.5448,
    fatalities_low: 10,
    fatalities_high: 12,
    injured_high: 25,
  });

  test('two sources on one bombing score above the threshold, with their parts', () => {
    const score = scorePair(gtd, compilation);
    assert.equal(score.blocked, null);
    assert.ok(score.total >= LINK_THRESHOLD, JSON.stringify(score));
    assert.equal(score.parts.date, 2);
    assert.equal(score.parts.placeName, 1);
    assert.equal(score.parts.killed, 1.5);
  });

  test('a record dated only by its year links only when counts or words agree', () => {
    const yearOnly = row({
      id: 'text:1',
      source: 'text',
      event_date: '2008-01-01',
      time_precision: 'year',
      suicide: true,
      location: 'Peshawar',
      latitude: 34.0097,
      longitude: 71.58,
      geo_precision: 1,
    });
    assert.match(scorePair(yearOnly, gtd).blocked ?? '', /dated only by year/);
    const withToll = { ...yearOnly, fatalities: { low: 9, best: 9, high: 9 } };
    const score = scorePair(withToll, gtd);
    assert.equal(score.blocked, null, JSON.stringify(score));
    assert.ok((score.parts.killed ?? 0) > 0);
  });

  test('rules block what cannot be one incident', () => {
    assert.match(
      scorePair(gtd, { ...compilation, day: compilation.day + 3, endDay: compilation.endDay + 3 }).blocked ??
        '',
      /days apart/,
    );
    assert.match(scorePair(gtd, { ...compilation, suicide: false }).blocked ?? '', /suicide/);
    assert.match(scorePair(gtd, { ...compilation, admin1: 'sindh' }).blocked ?? '', /provinces/);
    assert.equal(scorePair(gtd, { ...compilation, admin1: 'fata' }).blocked, null);
    const droneStrike = { ...compilation, suicide: null, form: 'air strike' };
    assert.match(scorePair(gtd, droneStrike).blocked ?? '', /air strike/);
    assert.match(scorePair(droneStrike, gtd).blocked ?? '', /air strike/);
    // the reason reads as a sentence in `sitrep explain`
    assert.equal(
      scorePair(droneStrike, { ...gtd, form: 'explosion' }).blocked,
      'an air strike is not an explosion',
    );
    assert.equal(
      scorePair(droneStrike, { ...gtd, suicide: null, form: eventForm('Battles', 'Armed clash', null, null) })
        .blocked,
      'an air strike is not an armed attack',
    );
  });

  test('a drone strike is its own form of violence, never a bombing on the ground', () => {
    assert.equal(eventForm('Explosions/Remote violence', 'Air/drone strike', null, null), 'air strike');
    assert.equal(eventForm(null, null, 'Bombing/Explosion', true), 'explosion');
    assert.equal(
      eventForm('Explosions/Remote violence', 'Remote explosive/landmine/IED', null, null),
      'explosion',
    );
  });

  test('far-apart tolls lower the score', () => {
    const far = scorePair(gtd, { ...compilation, fatalities: { low: 80, best: 80, high: 90 } });
    assert.ok(far.total < scorePair(gtd, compilation).total);
    assert.ok((countAgreement({ low: 1, best: 1, high: 1 }, { low: 60, best: 60, high: 60 }, 1.5) ?? 0) < 0);
    assert.equal(
      countAgreement({ low: null, best: null, high: null }, { low: 1, best: 1, high: 1 }, 1.5),
      null,
    );
  });

  test('a vague toll ("killed many", read as 3) adds no weight, and a larger figure does not contradict it', () => {
    const exact = scorePair(gtd, { ...compilation, fatalities: { low: 9, best: 9, high: null } });
    assert.equal(exact.parts.killed, 1.5);
    const vague = {
      ...compilation,
      fatalities: { low: 3, best: 3, high: null },
      vagueCounts: ['killed' as const],
    };
    assert.equal(scorePair(gtd, vague).parts.killed, 0);
    assert.equal(scorePair({ ...gtd, fatalities: { low: 3, best: 3, high: 3 } }, vague).parts.killed, 0);
    // "killed many" against "no one was killed" still counts against
    assert.ok((scorePair({ ...gtd, fatalities: { low: 0, best: 0, high: 0 } }, vague).parts.killed ?? 0) < 0);
  });

  test("a year adds nothing for the date, and state forces' operations never meet a suicide attack", () => {
    const yearOnly = { ...compilation, precision: 'year' as const, endDay: compilation.day + 365 };
    assert.equal(scorePair(gtd, yearOnly).parts.date, 0);
    const operation = row({
      id: 'text:2',
      source: 'text',
      event_type: 'Battles',
      sub_event_type: 'Armed clash',
      actor1: 'Military Forces of Pakistan',
      actor1_id: 'military-forces-of-pakistan',
    });
    const state = { ...operation, stateInitiated: true };
    assert.equal(operation.stateInitiated, false, "without the actors' kinds nothing is known");
    assert.match(scorePair(gtd, state).blocked ?? '', /state forces/);
    assert.match(scorePair(state, gtd).blocked ?? '', /state forces/);
    assert.equal(scorePair({ ...gtd, suicide: null }, state).blocked, null);
  });
});
