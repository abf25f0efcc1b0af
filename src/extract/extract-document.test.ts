import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtractionResult } from '../schema/extraction.ts';
import { EventRecord } from '../schema/index.ts';
import { evidenceProblems } from './evidence.ts';
import { extractDocument, toEventRecord } from './extract-document.ts';
import { Gazetteer } from './places/gazetteer.ts';

function assertEvidenceSlices(text: string, result: ExtractionResult): void {
  ExtractionResult.parse(result);
  assert.deepEqual(evidenceProblems(text, result), []);
}

const REPORT =
  'On 3 May 2024, BLF militants attacked a police checkpost near Turbat, killing two policemen and injuring five others. ' +
  'The attackers fled.';

test('one report gives one event with its fields and evidence', () => {
  const result = extractDocument(REPORT, { published: '2024-05-04' });
  assertEvidenceSlices(REPORT, result);
  assert.equal(result.events.length, 1);
  const [e] = result.events;
  assert.equal(e?.date, '2024-05-03');
  assert.equal(e?.date_precision, 'day');
  assert.equal(e?.actor1, 'Baloch Liberation Front');
  assert.equal(e?.actor1_text, 'BLF');
  assert.equal(e?.fatalities?.best, 2);
  assert.equal(e?.injured?.best, 5);
  assert.equal(e?.held, null);
  assert.equal(REPORT.slice(e!.evidence.date!.start, e!.evidence.date!.end), '3 May 2024');
  assert.equal(REPORT.slice(e!.evidence.actor1!.start, e!.evidence.actor1!.end), 'BLF');
  assert.ok(e?.event_type);
});

test('nothing is invented when the text is silent', () => {
  const quiet = 'The provincial assembly met on 3 May 2024 to discuss the budget.';
  assert.deepEqual(extractDocument(quiet, { published: '2024-05-04' }).events, []);
  const undated = 'Gunmen opened fire on a bus.';
  assert.deepEqual(extractDocument(undated, { published: '2024-05-04' }).events, []);
  const [e] = extractDocument('On 2 June 2023 a bomb exploded near a shop in the bazaar.', {
    published: '2023-06-03',
  }).events;
  assert.equal(e?.actor1, null, 'no perpetrator named, none given');
  assert.equal(e?.fatalities, null);
  assert.equal(e?.latitude ?? null, null, 'no gazetteer, no coordinates');
});

test('a list of past attacks yields one event per item, each with its year', () => {
  const text =
    'The city has seen the 2010 bombing of a market, the 2012 siege of a hotel, and the 2015 attack on a school.';
  const result = extractDocument(text, { published: '2020-01-01' });
  assertEvidenceSlices(text, result);
  assert.deepEqual(
    result.events.map((e) => [e.date, e.date_precision]),
    [
      ['2010-01-01', 'year'],
      ['2012-01-01', 'year'],
      ['2015-01-01', 'year'],
    ],
  );
});

test('relations, claims and sites', () => {
  const text =
    'Last month the BRA and the UBA announced they would merge into a single force called the Baloch Freedom Front. ' +
    'Bombings by the TTP rose by 40 per cent between 2021 and 2022, according to a think tank. ' +
    'Investors worry about the Saindak mine and Gwadar port.';
  const result = extractDocument(text, { published: '2023-05-10' });
  assertEvidenceSlices(text, result);
  const merger = result.relations.find((r) => r.kind === 'merger');
  assert.deepEqual(merger?.actors, ['Baloch Republican Army', 'United Baloch Army']);
  assert.equal(merger?.new_name, 'Baloch Freedom Front');
  assert.equal(merger?.date, '2023-04-01');
  const [claim] = result.claims;
  assert.equal(claim?.change_pct, 40);
  assert.deepEqual([claim?.from, claim?.to], ['2021', '2022']);
  assert.deepEqual(claim?.actors, ['Tehrik-i-Taliban Pakistan']);
  assert.equal(claim?.source, 'a think tank');
  assert.deepEqual(
    result.sites.map((s) => [s.name, s.kind]),
    [
      ['Saindak', 'mine'],
      ['Gwadar', 'port'],
    ],
  );
});

test('an extracted event becomes a valid EventRecord with provenance', () => {
  const [e] = extractDocument(REPORT, { published: '2024-05-04' }).events;
  const record = EventRecord.parse(toEventRecord(e!, { documentId: 'doc-1', index: 0 }));
  assert.equal(record.source, 'text');
  assert.equal(record.id, 'text:doc-1:0');
  assert.equal(record.eventDate, '2024-05-03');
  assert.equal(record.fatalities.best, 2);
  assert.equal((record.raw as { documentId: string }).documentId, 'doc-1');
});

test('the Frontier Corps stays the Frontier Corps, as attacker or as target (shipped model)', () => {
  const published = { published: '2025-03-20' };
  const raid = extractDocument(
    'Frontier Corps personnel raided a militant hideout in Kech on Tuesday, killing three militants.',
    published,
  ).events[0];
  assert.equal(raid?.actor1, 'Frontier Corps');
  const attacked = extractDocument(
    'BLA militants attacked a Frontier Corps post in Kalat on Tuesday.',
    published,
  ).events[0];
  assert.deepEqual([attacked?.actor1, attacked?.actor2], ['Baloch Liberation Army', 'Frontier Corps']);
  const arrests = extractDocument('FC troops arrested two suspects in Turbat on Tuesday.', published)
    .events[0];
  assert.equal(arrests?.actor1, 'Frontier Corps');
});

test('a dateline is where the report was filed, not where the event happened', async () => {
  const gazetteer = await Gazetteer.load();
  const published = { published: '2025-03-20', gazetteer };
  const where = (text: string) => {
    const e = extractDocument(text, published).events[0];
    return [e?.location, e?.admin2];
  };
  assert.deepEqual(where('QUETTA: Militants attacked a Frontier Corps post in Kalat on Tuesday night.'), [
    'Kalat',
    'Kalat',
  ]);
  assert.deepEqual(where('TURBAT, Balochistan (AFP) — Gunmen killed two policemen in Gwadar on Sunday.'), [
    'Gwadar',
    'Gwadar',
  ]);
  // the only place named: the dateline is all there is
  assert.deepEqual(where('QUETTA: Militants attacked a Frontier Corps post on Tuesday night.'), [
    'Quetta',
    'Quetta',
  ]);
});

test('the learned perpetrator guess stays in the provinces it was learned from (shipped model)', async () => {
  const gazetteer = await Gazetteer.load();
  const actor1 = (text: string) =>
    extractDocument(text, { published: '2025-03-20', gazetteer }).events[0]?.actor1;
  // ACLED codes unnamed gunmen in Balochistan as Baloch Separatists: the model learned that there
  assert.equal(actor1('Gunmen killed four labourers in Gwadar on Sunday.'), 'Baloch Separatists');
  // elsewhere the text's "unidentified" stands
  assert.equal(
    actor1('Unidentified gunmen killed two policemen in Peshawar on Sunday.'),
    'Unidentified Armed Group (Pakistan)',
  );
  assert.notEqual(
    actor1('Unidentified gunmen shot dead a shopkeeper in Lahore on Sunday.'),
    'Baloch Separatists',
  );
});

test('"their attacks …, including one in Karachi in October" is an event, by the group the sentence before named', async () => {
  const gazetteer = await Gazetteer.load();
  const text =
    'Attacks by the BLA and other Baloch groups increased sharply last year. ' +
    'Insurgents are also expanding their attacks geographically, beyond Balochistan, including one in Karachi in October. ' +
    'Furthermore, the groups announced they would merge into a single force called the Balochistan National Army.';
  const result = extractDocument(text, { published: '2025-03-25', gazetteer });
  assertEvidenceSlices(text, result);
  assert.equal(result.events.length, 1);
  const [e] = result.events;
  assert.deepEqual([e?.date, e?.date_precision], ['2024-10-01', 'month']);
  assert.deepEqual([e?.location, e?.admin1], ['Karachi', 'Sindh']);
  // the group named the sentence before, not the new name a later sentence gives
  assert.equal(e?.actor1, 'Baloch Liberation Army');
  // a plural alone ("their attacks") is a trend, not an incident
  assert.deepEqual(
    extractDocument('Insurgents are also expanding their attacks in October.', { published: '2025-03-25' })
      .events,
    [],
  );
});

test('"a few days before the Jaffar Express hijacking" dates a merger by the event it names', () => {
  const text =
    'BLA militants hijacked the Jaffar Express on 11 March 2025. ' +
    'On 20 March 2025 gunmen attacked a police post in Kech. ' +
    'Just a few days before the Jaffar Express hijacking, the BRA and the UBA announced they would merge into a single force called the Baloch Freedom Front.';
  const result = extractDocument(text, { published: '2025-03-25' });
  assertEvidenceSlices(text, result);
  const merger = result.relations.find((r) => r.kind === 'merger');
  assert.equal(merger?.date, '2025-03-08', 'three days before 11 March, not before 20 March');
});

test('an asset named as what an attack hit is that event’s target, not a site at risk', () => {
  const text =
    'These include the 2014 assault on Karachi’s airport and the 2011 siege of a naval base. ' +
    'Investors worry about the Reko Diq mine and Gwadar port.';
  assert.deepEqual(
    extractDocument(text, { published: '2025-03-25' }).sites.map((s) => s.name),
    ['Reko Diq', 'Gwadar'],
  );
});

test('a military offensive or operation is an event, done by the state against the group it names', async () => {
  const gazetteer = await Gazetteer.load();
  const offensive =
    'Back in 2012, Pakistan launched a large offensive against TTP in the Khyber tribal district. ' +
    'It displaced thousands of families.';
  const [e, ...rest] = extractDocument(offensive, { published: '2024-05-04', gazetteer }).events;
  assert.equal(rest.length, 0);
  assert.deepEqual(
    [e?.date, e?.date_precision, e?.actor1, e?.actor2],
    ['2012-01-01', 'year', 'Military Forces of Pakistan', 'Tehrik-i-Taliban Pakistan'],
  );
  const operation = 'On 4 March 2023 troops launched an operation against the BLA near Turbat.';
  const [o] = extractDocument(operation, { published: '2023-03-05', gazetteer }).events;
  assert.deepEqual(
    [o?.date, o?.actor1, o?.actor2],
    ['2023-03-04', 'Military Forces of Pakistan', 'Baloch Liberation Army'],
  );
  // plural campaigns and "operational" ties tell of no one incident
  const general = 'In 2023 the army ran many operations, and the two groups kept operational ties.';
  assert.deepEqual(extractDocument(general, { published: '2024-05-04', gazetteer }).events, []);
});

test('"Baloch National Army" is the 2022 group in a 2023 report and the 2025 confederation in a 2025 one', () => {
  const report = (day: string) =>
    extractDocument(`On ${day}, the Baloch National Army attacked a Levies post in Harnai, killing two.`, {
      published: day,
    }).events[0]?.actor1_id;
  assert.equal(report('2023-07-29'), 'baloch-nationalist-army');
  assert.equal(report('2025-03-20'), 'balochistan-national-army');
  // the event's own day decides, not the article's: a 2025 column recalling a 2023 attack
  const recalled = extractDocument(
    'On 29 July 2023, the Baloch National Army attacked a Levies post in Harnai, killing two.',
    { published: '2025-03-25' },
  ).events[0];
  assert.equal(recalled?.actor1_id, 'baloch-nationalist-army');
});

test('an event its passage places nowhere takes the province its document names most, at province precision', async () => {
  const gazetteer = await Gazetteer.load();
  const text =
    'Security in Balochistan has worsened; officials in Quetta warned of more attacks.\n' +
    'On 11 March 2025, the Balochistan Liberation Army hijacked the Jaffar Express train carrying more than 400 passengers on an isolated mountain pass.';
  const result = extractDocument(text, { published: '2025-03-25', gazetteer });
  assertEvidenceSlices(text, result);
  const [e] = result.events;
  assert.deepEqual([e?.admin1, e?.admin2, e?.geo_precision], ['Balochistan', null, 3]);
  assert.equal(text.slice(e!.evidence.admin1!.start, e!.evidence.admin1!.end), 'Balochistan');
  // a province named only inside a group's name places nothing; nor do two provinces named alike often
  for (const context of ['', 'Attacks rose in Sindh and in Punjab.\n']) {
    const [alone] = extractDocument(`${context}${text.split('\n')[1]}`, {
      published: '2025-03-25',
      gazetteer,
    }).events;
    assert.deepEqual([alone?.admin1, alone?.geo_precision], [null, null], context);
  }
});

test('a 2 MB text of one-line reports gives each line its event, as the line alone gives it', {
  timeout: 120_000,
}, () => {
  // Once quadratic in its sentences (every event scanned every mention and date, and counts looked back
  // through the whole text for a '.'), this text took minutes; it now takes seconds (bench/text-size.ts).
  const line = 'On 3 May 2024, BLA militants attacked a police checkpost in Turbat, killing two soldiers.';
  const lines = 20_000;
  const text = `${line}\n`.repeat(lines);
  const alone = extractDocument(line, { published: '2024-05-10' }).events[0]!;
  const { events } = extractDocument(text, { published: '2024-05-10' });
  assert.equal(events.length, lines);
  const fields = ({ span: _span, evidence: _evidence, ...rest }: (typeof events)[number]) => rest;
  for (const [i, event] of [events[0]!, events[9_999]!, events.at(-1)!].entries()) {
    assert.deepEqual(fields(event), fields(alone), `event ${i}`);
  }
  const last = events.at(-1)!;
  assert.equal(text.slice(last.span.start, last.span.end), line);
  assert.equal(
    last.evidence.actor1 && text.slice(last.evidence.actor1.start, last.evidence.actor1.end),
    'BLA',
  );
});

test('what an attack hit: after "bombing/siege/seizure of", behind a possessive, a hall', () => {
  const targetOf = (text: string) => {
    const result = extractDocument(text, { published: '2024-05-04' });
    assertEvidenceSlices(text, result);
    return result.events.map((e) => e.target);
  };
  assert.deepEqual(targetOf('On 2 May 2024 militants began a siege of the old Levies training camp.'), [
    'the old Levies training camp',
  ]);
  assert.deepEqual(targetOf('The bombing of a wedding hall in Quetta on 2 May 2024 killed six.'), [
    'a wedding hall',
  ]);
  assert.deepEqual(targetOf('Gunmen opened fire on Gwadar’s port authority office on 2 May 2024.'), [
    'Gwadar’s port authority office',
  ]);
  assert.deepEqual(targetOf('Rebels announced the seizure of the Panjgur bus on 2 May 2024.'), [
    'the Panjgur bus',
  ]);
  // a day's possessive is no place's asset
  assert.deepEqual(targetOf('Two were killed on Friday’s march at a school in Quetta on 3 May 2024.'), [
    'a school',
  ]);
  // "of" after any other word names no target: a spokesman of the police is not what was hit
  assert.deepEqual(targetOf('A spokesman of the police said a blast killed two on 2 May 2024.'), [null]);
});

test('the month May is no modal "may": a dated attack without a comma is still an event', () => {
  const count = (text: string) => extractDocument(text, { published: '2024-06-05' }).events.length;
  assert.equal(count('On 3 May 2024 the BLF attacked a post in Turbat.'), 1);
  assert.equal(count('On 3 May militants attacked a post in Turbat.'), 1);
  // the modal still makes a threat, not an event
  assert.equal(count('Officials said militants may attack a post in Turbat on 3 June 2024.'), 0);
});
