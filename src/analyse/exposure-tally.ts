/** What exposure counts within the radius, whichever path (events or sums by position) counted it. */

/** A corridor event as read for exact distances and tallies. */
export type NearRow = {
  id: string;
  event_date: string;
  latitude: number;
  longitude: number;
  f: number;
  actor: string | null;
};

/** A recent event within the radius, a candidate for the nearest; with its details when already read. */
export type Nearby = NearRow & { distanceKm: number; details?: EventDetails };

/** What the nearest recent events show beside their distance, date and fatalities. */
export interface EventDetails {
  actor: string | null;
  eventType: string | null;
  location: string | null;
  admin2: string | null;
  /** The source's geo precision: 3 and coarser place the event only at its area's centre (COARSE_PLACE). */
  geoPrecision: number | null;
}

/**
 * Geo precision from which an event's coordinates are an area's centre, not its place: a district or
 * province (ACLED 3, GTD 3–5, text placed only to its province). Such an event counts within a radius like
 * any other, but its distance says nothing of how close the violence came, so it is no measure of proximity.
 */
export const COARSE_PLACE = 3;
export const placedCoarsely = (e: { geoPrecision: number | null }) =>
  e.geoPrecision !== null && e.geoPrecision >= COARSE_PLACE;

/** The columns of EventDetails, over `events e LEFT JOIN actors a ON a.id = e.actor1_id`. */
export const DETAILS_COLUMNS =
  'COALESCE(a.name, e.actor1) AS actor_name, e.event_type, e.location, e.admin2, e.geo_precision';

export type DetailsRow = {
  id: string;
  actor_name: string | null;
  event_type: string | null;
  location: string | null;
  admin2: string | null;
  geo_precision: number | null;
};

export const detailsOf = (row: DetailsRow): EventDetails => ({
  actor: row.actor_name,
  eventType: row.event_type,
  location: row.location,
  admin2: row.admin2,
  geoPrecision: row.geo_precision === null ? null : Number(row.geo_precision),
});

/** The recent window and the one before it; `asOf` null when there are no data to count back from. */
export interface Windows {
  asOf: string | null;
  recentFrom: string | null;
  previousFrom: string | null;
}

/** Events within the radius summed by year and actor, with the recent and the previous window. */
export class Tally {
  readonly years = new Map<number, { events: number; fatalities: number }>();
  readonly actors = new Map<string, { actor: string; events: number; fatalities: number }>();
  events = 0;
  fatalities = 0;
  recentEvents = 0;
  previousEvents = 0;
  recentFatalities = 0;

  add(year: number, actor: string | null, events: number, fatalities: number): void {
    this.addYear(year, events, fatalities);
    this.addActor(actor, events, fatalities);
  }

  /** Events of a year; they count towards the totals (actors are counted apart, see addActor). */
  addYear(year: number, events: number, fatalities: number): void {
    this.events += events;
    this.fatalities += fatalities;
    const y = this.years.get(year) ?? { events: 0, fatalities: 0 };
    y.events += events;
    y.fatalities += fatalities;
    this.years.set(year, y);
  }

  addActor(actor: string | null, events: number, fatalities: number): void {
    const key = actor ?? '(unknown)';
    const a = this.actors.get(key) ?? { actor: key, events: 0, fatalities: 0 };
    a.events += events;
    a.fatalities += fatalities;
    this.actors.set(key, a);
  }

  addEvent(row: NearRow, w: Windows): void {
    this.add(Number(row.event_date.slice(0, 4)), row.actor, 1, row.f);
    this.addToWindow(windowOf(row.event_date, w), 1, row.f);
  }

  addToWindow(window: 'recent' | 'previous' | null, events: number, fatalities: number): void {
    if (window === 'recent') {
      this.recentEvents += events;
      this.recentFatalities += fatalities;
    } else if (window === 'previous') this.previousEvents += events;
  }
}

/** The window a day falls in: recent is [recentFrom, asOf], previous is [previousFrom, recentFrom). */
export function windowOf(date: string, w: Windows): 'recent' | 'previous' | null {
  if (!w.asOf || !w.recentFrom || !w.previousFrom || date > w.asOf) return null;
  if (date >= w.recentFrom) return 'recent';
  return date >= w.previousFrom ? 'previous' : null;
}

export const isRecent = (row: NearRow, w: Windows) =>
  !!(w.asOf && w.recentFrom && row.event_date >= w.recentFrom && row.event_date <= w.asOf);

/** The order of the nearest recent events: nearest first, then latest, then by id. */
export const nearestFirst = (
  a: { distanceKm: number; event_date: string; id: string },
  b: { distanceKm: number; event_date: string; id: string },
) => a.distanceKm - b.distanceKm || b.event_date.localeCompare(a.event_date) || a.id.localeCompare(b.id);
