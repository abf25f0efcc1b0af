import { blankEvent, type EventRecord } from '../../src/schema/index.ts';

/**
 * A small deterministic data set for dashboard and report tests (no third-party text): 90 events in four
 * Balochistan districts over 2022-01 … 2024-06 by three actors, one in a district hit only in 2024-05, and
 * one event whose notes, actor and place are hostile markup.
 */
export const HOSTILE_ID = 'test:hostile';
export const HOSTILE_NOTES =
  'Attack reported. <script>window.__pwned = "script"</script> <img src=x onerror="window.__pwned=\'img\'"> ' +
  'see <a href="javascript:window.__pwned=\'link\'">details</a> javascript:window.__pwned=1';
export const HOSTILE_ACTOR = '<b onmouseover="window.__pwned=\'actor\'">Mob</b>';

const DISTRICTS = [
  { admin2: 'Quetta', lat: 30.19, lon: 67.0 },
  { admin2: 'Kech', lat: 26.0, lon: 63.05 },
  { admin2: 'Gwadar', lat: 25.13, lon: 62.32 },
  { admin2: 'Khuzdar', lat: 27.8, lon: 66.6 },
];
const ACTORS = ['Alpha Front', 'Bravo Army', 'Charlie Group'];
const TYPES = ['Battles', 'Explosions/Remote violence', 'Violence against civilians'] as const;

/** 92 events: 90 regular ones over 2022-01 … 2024-06, one in a newly hit district, one hostile record. */
export function syntheticEvents(): EventRecord[] {
  const events: EventRecord[] = [];
  for (let i = 0; i < 90; i++) {
    const month = i % 30;
    const year = 2022 + Math.floor(month / 12);
    const date = `${year}-${String((month % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    const place = DISTRICTS[i % DISTRICTS.length]!;
    const type = TYPES[i % 3]!;
    events.push(
      blankEvent({
        id: `test:${i}`,
        source: 'test',
        sourceId: String(i),
        eventDate: date,
        eventType: type,
        subEventType:
          type === 'Battles'
            ? 'Armed clash'
            : type === 'Violence against civilians'
              ? 'Attack'
              : 'Remote explosive/landmine/IED',
        actor1: ACTORS[i % ACTORS.length]!,
        actor2: i % 2 ? 'Military Forces of Testland' : 'Civilians (Testland)',
        country: 'Pakistan',
        admin1: 'Balochistan',
        admin2: place.admin2,
        location: `${place.admin2} town`,
        latitude: place.lat + (i % 5) * 0.03,
        longitude: place.lon + (i % 7) * 0.03,
        fatalities: { low: i % 4, best: i % 4, high: i % 4 },
        notes: `Synthetic event ${i}.`,
      }),
    );
  }
  // A district hit for the first time late in the period, so "newly affected districts" has an answer.
  events.push(
    blankEvent({
      id: 'test:new-district',
      source: 'test',
      sourceId: 'new-district',
      eventDate: '2024-05-10',
      eventType: 'Battles',
      subEventType: 'Armed clash',
      actor1: 'Charlie Group',
      actor2: 'Military Forces of Testland',
      country: 'Pakistan',
      admin1: 'Balochistan',
      admin2: 'Panjgur',
      location: 'Panjgur town',
      latitude: 26.96,
      longitude: 64.09,
      fatalities: { low: 4, best: 5, high: 7 },
      notes: 'Synthetic event in a new district.',
    }),
  );
  events.push(
    blankEvent({
      id: HOSTILE_ID,
      source: 'test',
      sourceId: 'hostile',
      eventDate: '2024-06-20',
      eventType: 'Violence against civilians',
      subEventType: 'Attack',
      actor1: HOSTILE_ACTOR,
      actor2: 'Civilians (Testland)',
      country: 'Pakistan',
      admin1: 'Balochistan',
      admin2: 'Quetta',
      location: '<i>Quetta</i>',
      latitude: 30.2,
      longitude: 67.01,
      fatalities: { low: 1, best: 2, high: 3 },
      notes: HOSTILE_NOTES,
      sourceRefs: 'javascript:alert(1) https://example.org/report-1',
    }),
  );
  return events;
}
