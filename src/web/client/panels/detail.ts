import { formatCount } from '../../svg/format.ts';
import { h } from '../../svg/node.ts';
import { eventTypeColour } from '../../svg/palette.ts';
import { highlight, linkify, show } from '../dom.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** Phrases a text-extracted event was built from, wherever the extractor put them. */
export function evidencePhrases(event: Record<string, unknown>): string[] {
  const raw = (event.raw ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  const visit = (v: unknown, depth: number) => {
    if (depth > 3 || v === null || v === undefined) return;
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      else if (typeof o.quote === 'string') out.push(o.quote);
      else for (const x of Object.values(o)) visit(x, depth + 1);
    }
  };
  visit(event.evidence ?? raw.evidence ?? raw.spans, 0);
  return out.filter((s) => s.length >= 2 && s.length <= 400);
}

const count = (v: unknown): string => {
  if (v && typeof v === 'object') {
    const c = v as { low?: number | null; best?: number | null; high?: number | null };
    if (c.best === null || c.best === undefined) return '—';
    const range =
      c.low !== null &&
      c.low !== undefined &&
      c.high !== null &&
      c.high !== undefined &&
      (c.low !== c.best || c.high !== c.best);
    return range
      ? `${formatCount(c.best)} (${formatCount(c.low!)}–${formatCount(c.high!)})`
      : formatCount(c.best);
  }
  return typeof v === 'number' ? formatCount(v) : '—';
};

/** The event record: what, who, where, how many, the notes (evidence marked) and its sources. */
export function renderDetail(target: HTMLElement, event: Record<string, unknown>): void {
  target.hidden = false;
  const notes = str(event.notes);
  const evidence = evidencePhrases(event);
  const rows: [string, string | null][] = [
    [
      'Date',
      [
        str(event.eventDate),
        str(event.endDate) && event.endDate !== event.eventDate ? `to ${event.endDate}` : null,
      ]
        .filter(Boolean)
        .join(' ') || null,
    ],
    ['Type', [str(event.eventType), str(event.subEventType)].filter(Boolean).join(' › ') || null],
    [
      'Actor 1',
      [str(event.actor1), str(event.assocActor1) ? `with ${event.assocActor1}` : null]
        .filter(Boolean)
        .join(' ') || null,
    ],
    [
      'Actor 2',
      [str(event.actor2), str(event.assocActor2) ? `with ${event.assocActor2}` : null]
        .filter(Boolean)
        .join(' ') || null,
    ],
    [
      'Place',
      [str(event.location), str(event.admin3), str(event.admin2), str(event.admin1), str(event.country)]
        .filter(Boolean)
        .join(', ') || null,
    ],
    [
      'Coordinates',
      typeof event.latitude === 'number' && typeof event.longitude === 'number'
        ? `${event.latitude.toFixed(4)}, ${event.longitude.toFixed(4)}${event.geoPrecision ? ` (precision ${event.geoPrecision})` : ''}`
        : null,
    ],
    ['Fatalities', count(event.fatalities)],
    ['Injured', count(event.injured)],
    ['Held', count(event.held)],
    ['Source', [str(event.source), str(event.sourceId)].filter(Boolean).join(' · ') || null],
  ];
  show(
    target,
    h(
      'div',
      { class: 'detail-head' },
      h('span', { class: 'dot', style: `background:${eventTypeColour(str(event.eventType))}` }),
      h('h2', {}, str(event.subEventType) ?? str(event.eventType) ?? 'Event'),
      h('button', { type: 'button', class: 'ghost close', 'data-close': '1', 'aria-label': 'Close' }, '×'),
    ),
    h(
      'dl',
      { class: 'fields' },
      rows.filter(([, v]) => v && v !== '—').map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    notes ? h('h3', {}, evidence.length ? 'Notes (evidence highlighted)' : 'Notes') : null,
    notes
      ? h('p', { class: 'notes', id: 'detail-notes' }, evidence.length ? highlight(notes, evidence) : notes)
      : null,
    str(event.sourceRefs) ? h('h3', {}, 'Sources') : null,
    str(event.sourceRefs)
      ? h('p', { class: 'sources', id: 'detail-sources' }, linkify(String(event.sourceRefs)))
      : null,
    h('p', { class: 'muted id' }, `id ${String(event.id ?? '')}`),
  );
}
