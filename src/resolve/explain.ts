import type { Store } from '../store/contract.ts';
import { sameCuratedSource } from './block.ts';
import { haversineKm } from './place.ts';
import { loadRecordContext, RESOLUTION_COLUMNS, type ResolutionRecord, recordFromRow } from './record.ts';
import { LINK_THRESHOLD, NEAR_MISS_FLOOR, type PairScore, scorePair } from './score.ts';

export interface ExplainedRecord {
  id: string;
  source: string;
  eventDate: string;
  location: string | null;
  admin1: string | null;
  fatalities: number | null;
  /** How the record joined: 'auto' (scored), 'manual' (sitrep link), 'anchor' (others joined it), 'single'. */
  rule: string;
  matchedWith: string | null;
  score: number | null;
}

export interface Explanation {
  resolvedId: string;
  event: Record<string, string | number | boolean | null>;
  records: ExplainedRecord[];
  /** Every pair of member records with its score parts. */
  pairs: { a: string; b: string; score: PairScore }[];
  /** Records near in time and place that were not merged, with the best score against any member and why not. */
  nearMisses: {
    id: string;
    source: string;
    eventDate: string;
    location: string | null;
    against: string;
    score: PairScore;
    why: string;
  }[];
  threshold: number;
}

const NEAR_DAYS = 7;

/** Same district, same place name, or within 25 km. */
function samePlace(a: ResolutionRecord, b: ResolutionRecord): boolean {
  if (a.admin2 && a.admin2 === b.admin2) return true;
  if (a.placeWords.some((w) => b.placeWords.includes(w))) return true;
  if (a.latitude === null || a.longitude === null || b.latitude === null || b.longitude === null)
    return false;
  return haversineKm(a.latitude, a.longitude, b.latitude, b.longitude) <= 25;
}

/**
 * Why records were merged into one resolved event and which nearby records were not.
 * Accepts a resolved event id or the id of any record in it. Scores are recomputed from the
 * stored records, so the explanation matches the current scoring rules.
 */
export async function explainEvent(store: Store, id: string, limit = 10): Promise<Explanation | null> {
  const [link] = await store.query(
    'SELECT resolved_id FROM event_links WHERE record_id = $1 OR resolved_id = $1 LIMIT 1',
    [id],
  );
  if (!link) return null;
  const resolvedId = String(link.resolved_id);
  const [event] = await store.query(
    `SELECT id, CAST(event_date AS TEXT) AS event_date, event_type, sub_event_type, admin1, admin2, location, latitude,
            longitude, fatalities_low, fatalities_best, fatalities_high, injured_low, injured_best, injured_high,
            held_low, held_best, held_high, n_records, sources
     FROM resolved_events WHERE id = $1`,
    [resolvedId],
  );
  const columns = RESOLUTION_COLUMNS.map((c) => `e.${c}`).join(', ');
  const memberRows = await store.query(
    `SELECT ${columns}, l.rule, l.matched_with, l.score FROM event_links l JOIN events e ON e.id = l.record_id
     WHERE l.resolved_id = $1 ORDER BY e.event_date, e.id`,
    [resolvedId],
  );
  const context = await loadRecordContext(store);
  const members = memberRows.map((row) => ({ row, record: recordFromRow(row, context) }));
  const records: ExplainedRecord[] = members.map(({ row }) => ({
    id: String(row.id),
    source: String(row.source),
    eventDate: String(row.event_date),
    location: row.location === null ? null : String(row.location),
    admin1: row.admin1 === null ? null : String(row.admin1),
    fatalities: row.fatalities_best === null ? null : Number(row.fatalities_best),
    rule: String(row.rule),
    matchedWith: row.matched_with === null ? null : String(row.matched_with),
    score: row.score === null ? null : Number(row.score),
  }));
  const pairs: Explanation['pairs'] = [];
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      pairs.push({
        a: members[i]!.record.id,
        b: members[j]!.record.id,
        score: scorePair(members[i]!.record, members[j]!.record),
      });
    }
  }

  const first = members[0]?.record;
  const nearMisses: Explanation['nearMisses'] = [];
  if (first) {
    const from = Math.min(...members.map((m) => m.record.day)) - NEAR_DAYS;
    const to = Math.max(...members.map((m) => m.record.endDay)) + NEAR_DAYS;
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    const nearby = await store.query(
      `SELECT ${columns}, l.resolved_id FROM events e LEFT JOIN event_links l ON l.record_id = e.id
       WHERE e.event_date BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE) AND (l.resolved_id IS NULL OR l.resolved_id <> $3)
       ORDER BY e.event_date, e.id LIMIT 5000`,
      [iso(from), iso(to), resolvedId],
    );
    for (const row of nearby) {
      const candidate = recordFromRow(row, context);
      let best: { against: ResolutionRecord; score: PairScore } | null = null;
      for (const { record } of members) {
        const score = scorePair(record, candidate);
        if (!best || score.total > best.score.total || (best.score.blocked && !score.blocked))
          best = { against: record, score };
      }
      if (!best) continue;
      const sameSource = members.some((m) => sameCuratedSource(m.record, candidate));
      // Near-misses worth showing: scored pairs not far below the threshold, and pairs stopped by a
      // rule (date, suicide flag, kind, same source) that agree on the place.
      const scoredClose = !best.score.blocked && best.score.total >= NEAR_MISS_FLOOR;
      const sameDayAndProvince =
        best.against.day === candidate.day &&
        best.against.admin1 !== null &&
        best.against.admin1 === candidate.admin1;
      const stoppedButClose =
        (sameSource || best.score.blocked !== null) &&
        (samePlace(best.against, candidate) || sameDayAndProvince);
      if (!scoredClose && !stoppedButClose) continue;
      const why = sameSource
        ? `the incident already has a ${candidate.source} record`
        : best.score.blocked
          ? best.score.blocked
          : best.score.total < LINK_THRESHOLD
            ? `score ${best.score.total} below ${LINK_THRESHOLD}`
            : 'joined a better-matching incident';
      nearMisses.push({
        id: candidate.id,
        source: candidate.source,
        eventDate: String(row.event_date),
        location: row.location === null ? null : String(row.location),
        against: best.against.id,
        score: best.score,
        why,
      });
    }
  }
  nearMisses.sort((x, y) => {
    const sx = x.score.blocked ? Number.NEGATIVE_INFINITY : x.score.total;
    const sy = y.score.blocked ? Number.NEGATIVE_INFINITY : y.score.total;
    return sy - sx || x.id.localeCompare(y.id);
  });
  return {
    resolvedId,
    event: event ?? {},
    records,
    pairs,
    nearMisses: nearMisses.slice(0, limit),
    threshold: LINK_THRESHOLD,
  };
}
