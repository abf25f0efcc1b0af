/** Colours shared by the dashboard and the report, so a chart means the same thing in both. */

export const EVENT_TYPE_COLOURS: Record<string, string> = {
  Battles: '#c8453c',
  'Explosions/Remote violence': '#e3a33b',
  'Violence against civilians': '#7d3c98',
  Protests: '#2a8c82',
  Riots: '#3a6ea5',
  'Strategic developments': '#8a94a6',
};

const EXTRA = ['#5b8c3a', '#b5651d', '#4d5bab', '#a33c6b', '#2f7f9e', '#8c6d31', '#6b6b6b', '#9c4f96'];

/** A stable colour for any event type: ACLED's six have fixed ones, others hash into a spare set. */
export function eventTypeColour(type: string | null): string {
  if (!type) return '#9aa3af';
  const fixed = EVENT_TYPE_COLOURS[type];
  if (fixed) return fixed;
  let hash = 0;
  for (const ch of type) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return EXTRA[hash % EXTRA.length] ?? '#6b7280';
}

/**
 * Sequential ramp (light → dark) for district shading. Its first step must stand apart from the
 * zero shade (map.ts): a district with one event — Karachi, the first outside Balochistan — was
 * drawn #fdf1e4 beside #faf9f6 and read as untouched.
 */
export const SHADE_RAMP = ['#fde2c2', '#fac393', '#f6a06a', '#ee7a4c', '#d9523a', '#b5302a', '#861f1f'];

export const ACTOR_KIND_COLOURS: Record<string, string> = {
  state: '#3a6ea5',
  rebel: '#c8453c',
  militia: '#e3a33b',
  civilians: '#2a8c82',
  protesters: '#5b8c3a',
  external: '#7d3c98',
  other: '#8a94a6',
};

/** Maps an actor kind (ACLED inter code names, free text) onto one of a few colour groups. */
export function actorKindColour(kind: string | null | undefined, name = ''): string {
  const text = `${kind ?? ''} ${name}`.toLowerCase();
  if (/state|military|police|forces of|government|frontier corps|levies/.test(text))
    return ACTOR_KIND_COLOURS.state!;
  if (/rebel|liberation|insurg|taliban|front|army|tehreek|jaish|lashkar|islamic state/.test(text))
    return ACTOR_KIND_COLOURS.rebel!;
  if (/militia|tribal|communal|clan|unidentified armed/.test(text)) return ACTOR_KIND_COLOURS.militia!;
  if (/civilian/.test(text)) return ACTOR_KIND_COLOURS.civilians!;
  if (/protest|rioter/.test(text)) return ACTOR_KIND_COLOURS.protesters!;
  if (/external|other/.test(text)) return ACTOR_KIND_COLOURS.external!;
  return ACTOR_KIND_COLOURS.other!;
}

export const INK = '#1f2937';
export const MUTED = '#6b7280';
export const GRID = '#e5e7eb';
export const FONT = "'Inter', 'Segoe UI', 'Helvetica Neue', Arial, sans-serif";
