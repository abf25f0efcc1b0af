import { placeLine } from '../../../schema/place-name.ts';
import { formatCount, formatEventDate, sourceLabel } from '../../svg/format.ts';
import { type Child, h } from '../../svg/node.ts';
import { eventTypeColour } from '../../svg/palette.ts';
import type { SourceDocument } from '../api.ts';
import { linkify, show } from '../dom.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

interface Span {
  start: number;
  end: number;
}

const isSpan = (v: unknown): v is Span =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as Span).start) &&
  Number.isInteger((v as Span).end);

/** Where a text-extracted event came from: its document, its span, and an evidence span per field. */
export function textProvenance(
  event: Record<string, unknown>,
): { documentId: string; span: Span | null; evidence: [string, Span][] } | null {
  const raw = (event.raw ?? null) as Record<string, unknown> | null;
  if (!raw || typeof raw.documentId !== 'string') return null;
  const evidence = Object.entries((raw.evidence ?? {}) as Record<string, unknown>).filter(
    (e): e is [string, Span] => isSpan(e[1]),
  );
  return { documentId: raw.documentId, span: isSpan(raw.span) ? raw.span : null, evidence };
}

/**
 * The passage of the source text the event was read from, with each field's evidence marked (hover
 * a mark for the field). Spans are offsets into the document; the passage widens to whole sentences.
 */
export function evidencePassage(
  text: string,
  givenSpan: Span | null,
  givenEvidence: readonly [string, Span][],
): Child[] {
  // Offsets come from the server but index hostile text: any that do not fit it are dropped.
  const fits = (s: Span) => s.start >= 0 && s.start < s.end && s.end <= text.length;
  const span = givenSpan && fits(givenSpan) ? givenSpan : null;
  const evidence = givenEvidence.filter(([, s]) => fits(s));
  if (!span && evidence.length === 0) return [];
  const starts = [span?.start ?? text.length, ...evidence.map(([, s]) => s.start)];
  const ends = [span?.end ?? 0, ...evidence.map(([, s]) => s.end)];
  let from = Math.max(0, Math.min(...starts));
  let to = Math.min(text.length, Math.max(...ends));
  while (from > 0 && !/[.!?\n]/.test(text[from - 1]!)) from--;
  while (to < text.length && !/[.!?\n]/.test(text[to - 1] ?? '.')) to++;
  while (from < to && /\s/.test(text[from]!)) from++;
  // Several fields often rest on the same words (event type, sub-type and attack type on "attacked"):
  // one mark names them all.
  const bySpan = new Map<string, { span: Span; fields: string[] }>();
  for (const [field, s] of evidence) {
    if (s.start < from || s.end > to) continue;
    const key = `${s.start}:${s.end}`;
    const entry = bySpan.get(key) ?? { span: s, fields: [] };
    entry.fields.push(field);
    bySpan.set(key, entry);
  }
  const marks = [...bySpan.values()].sort((a, b) => a.span.start - b.span.start);
  const out: Child[] = [];
  let pos = from;
  for (const { span: s, fields } of marks) {
    if (s.start < pos) continue;
    if (s.start > pos) out.push(text.slice(pos, s.start));
    out.push(
      h(
        'mark',
        { title: fields.map((f) => f.replaceAll('_', ' ')).join(', '), 'data-field': fields.join(' ') },
        text.slice(s.start, s.end),
      ),
    );
    pos = s.end;
  }
  if (pos < to) out.push(text.slice(pos, to));
  return out;
}

function evidenceBlock(text: string, provenance: NonNullable<ReturnType<typeof textProvenance>>): Child {
  const passage = evidencePassage(text, provenance.span, provenance.evidence);
  if (passage.length === 0) {
    return h('p', { class: 'muted' }, 'The evidence offsets do not fit the stored document text.');
  }
  return h('p', { class: 'notes evidence', id: 'detail-evidence' }, passage);
}

function documentLine(doc: SourceDocument): Child {
  const source = str(doc.source);
  const origin = [
    source ? sourceLabel(source) : null,
    str(doc.published) ? `published ${doc.published}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return h(
    'p',
    { class: 'muted', id: 'detail-document' },
    `Document ${doc.id}${origin ? ` (${origin})` : ''}`,
    // linkify turns only http(s) URLs into links; anything else stays text.
    str(doc.url) ? [' · ', ...linkify(String(doc.url))] : null,
  );
}

/** "Mar 2025 (the source gives only the month)" for a date stored as the 1st of its month. */
function eventDateText(event: Record<string, unknown>): string | null {
  const date = str(event.eventDate);
  if (!date) return null;
  const precision = str(event.timePrecision);
  const shown = formatEventDate(date, precision);
  return shown === date ? date : `${shown} (the source gives only the ${precision})`;
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
export function renderDetail(
  target: HTMLElement,
  event: Record<string, unknown>,
  sourceDocument: SourceDocument | null = null,
): void {
  const documentText = sourceDocument?.text ?? null;
  target.hidden = false;
  const provenance = textProvenance(event);
  // a news-text event's notes are its passage, which the evidence block shows marked
  const notes = provenance && documentText !== null ? null : str(event.notes);
  const rows: [string, string | null][] = [
    [
      'Date',
      [
        eventDateText(event),
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
      placeLine([
        str(event.location),
        str(event.admin3),
        str(event.admin2),
        str(event.admin1),
        str(event.country),
      ]) || null,
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
    notes ? h('h3', {}, 'Notes') : null,
    notes ? h('p', { class: 'notes', id: 'detail-notes' }, notes) : null,
    provenance ? h('h3', {}, 'Evidence in the source text') : null,
    provenance && documentText !== null ? evidenceBlock(documentText, provenance) : null,
    provenance && sourceDocument ? documentLine(sourceDocument) : null,
    provenance && documentText === null
      ? h(
          'p',
          { class: 'muted' },
          `Read from document ${provenance.documentId}; fields with evidence: ${
            provenance.evidence.map(([f]) => f.replaceAll('_', ' ')).join(', ') || 'none'
          }. The document text is not available from this server.`,
        )
      : null,
    str(event.sourceRefs) ? h('h3', {}, 'Sources') : null,
    str(event.sourceRefs)
      ? h('p', { class: 'sources', id: 'detail-sources' }, linkify(String(event.sourceRefs)))
      : null,
    h('p', { class: 'muted id' }, `id ${String(event.id ?? '')}`),
  );
}
