import { blankEvent, type EventRecord } from '../../src/schema/index.ts';
import type { Store } from '../../src/store/contract.ts';

/**
 * A small, deterministic conflict: Baloch groups in Balochistan (and once in Karachi), a TTP actor in
 * Khyber Pakhtunkhwa, state forces as opponents, spread over 2021–2024 with a rise in 2024.
 */
export function analysisEvents(): EventRecord[] {
  const events: EventRecord[] = [];
  const districts = [
    { admin1: 'Balochistan', admin2: 'Kech', lat: 26.0, lon: 63.0 },
    { admin1: 'Balochistan', admin2: 'Quetta', lat: 30.18, lon: 66.99 },
    { admin1: 'Balochistan', admin2: 'Chagai', lat: 29.0, lon: 62.3 },
    { admin1: 'Khyber Pakhtunkhwa', admin2: 'Peshawar', lat: 34.0, lon: 71.5 },
  ];
  const actors = [
    { name: 'BLA: Baloch Liberation Army', id: null },
    { name: 'BLF: Baloch Liberation Front', id: null },
    { name: 'TTP: Tehreek-i-Taliban Pakistan', id: 'ttp' },
  ];
  const types = [
    'Battles',
    'Explosions/Remote violence',
    'Violence against civilians',
    'Strategic developments',
  ];
  let n = 0;
  for (let year = 2021; year <= 2024; year++) {
    // More events each year, and many more in 2024.
    const perYear = year === 2024 ? 40 : 10 + (year - 2021) * 5;
    for (let i = 0; i < perYear; i++) {
      n++;
      const actor = actors[n % 3]!;
      const place = actor.id === 'ttp' ? districts[3]! : districts[n % 2]!;
      const month = (i % 12) + 1;
      events.push(
        blankEvent({
          id: `fx:${n}`,
          source: 'fixture',
          sourceId: String(n),
          eventDate: `${year}-${String(month).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
          eventType: types[n % 4]!,
          subEventType: n % 4 === 0 ? 'Armed clash' : null,
          actor1: actor.name,
          actor1Id: actor.id,
          actor2: n % 2 ? 'Military Forces of Pakistan' : null,
          assocActor1:
            n % 10 === 0 && actor.id !== 'ttp'
              ? 'BRAS: Baloch Raaji Ajoi e Sangar; TTP: Tehreek-i-Taliban Pakistan'
              : null,
          admin1: place.admin1,
          admin2: place.admin2,
          latitude: place.lat + (i % 5) * 0.05,
          longitude: place.lon + (i % 7) * 0.05,
          fatalities: { low: i % 4, best: i % 4, high: i % 4 },
        }),
      );
    }
  }
  // 2024: first BLA events in Chagai and one in Karachi (Sindh), outside the home province.
  events.push(
    blankEvent({
      id: 'fx:chagai-1',
      source: 'fixture',
      sourceId: 'chagai-1',
      eventDate: '2024-03-05',
      eventType: 'Explosions/Remote violence',
      actor1: 'BLA: Baloch Liberation Army',
      admin1: 'Balochistan',
      admin2: 'Chagai',
      location: 'Dalbandin',
      latitude: 28.89,
      longitude: 64.4,
      fatalities: { low: 2, best: 3, high: 4 },
    }),
    blankEvent({
      id: 'fx:chagai-2',
      source: 'fixture',
      sourceId: 'chagai-2',
      eventDate: '2024-05-20',
      eventType: 'Battles',
      actor1: 'BLA: Baloch Liberation Army',
      admin1: 'Balochistan',
      admin2: 'Chagai',
      location: 'Reko Diq',
      latitude: 29.0,
      longitude: 62.3,
      fatalities: { low: 1, best: 1, high: 1 },
    }),
    blankEvent({
      id: 'fx:karachi-1',
      source: 'fixture',
      sourceId: 'karachi-1',
      eventDate: '2024-04-10',
      eventType: 'Explosions/Remote violence',
      actor1: 'BLA: Baloch Liberation Army',
      admin1: 'Sindh',
      admin2: 'Karachi',
      location: 'Karachi',
      latitude: 24.86,
      longitude: 67.01,
      fatalities: { low: 2, best: 2, high: 2 },
    }),
  );
  return events;
}

/** Writes the fixture through the store's import path, as an importer would. */
export async function loadAnalysisFixture(store: Store): Promise<EventRecord[]> {
  const events = analysisEvents();
  const writer = await store.beginImport({ file: 'fixture.csv', sha256: 'fixture', format: 'fixture' });
  await writer.add(events);
  await writer.finish({ rowsRead: events.length, rowsRejected: 0 });
  await store.saveActors([
    {
      id: 'ttp',
      name: 'Tehreek-i-Taliban Pakistan',
      kind: 'rebel group',
      aliases: ['TTP', 'TTP: Tehreek-i-Taliban Pakistan'],
    },
  ]);
  return events;
}
