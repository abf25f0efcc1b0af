import type { Geometry } from 'geojson';
import { CLAIM_TOLERANCE } from '../analyse/claim-check.ts';
import { renderChangeBars } from '../web/svg/bars.ts';
import {
  countNoun,
  formatChange,
  formatCount,
  formatPeriod,
  monthsBetween,
  sourceLabel,
} from '../web/svg/format.ts';
import { type MapArea, renderMap } from '../web/svg/map.ts';
import { renderNetwork } from '../web/svg/network.ts';
import { type Child, h, renderToString } from '../web/svg/node.ts';
import { eventTypeColour } from '../web/svg/palette.ts';
import { renderTimeline, type TimelineBucket } from '../web/svg/timeline.ts';
import type { ReportData } from './gather.ts';
import { REPORT_CSS } from './style.ts';

const WIDTH = 720;

const utc = (iso: string) => `${formatPeriod(iso.slice(0, 10))} ${iso.slice(11, 16)} UTC`;

function filterLines(data: ReportData): string[] {
  const q = data.question;
  const lines: string[] = [];
  if (q.groups?.length) lines.push(`actor group: ${q.groups.join(', ')}`);
  if (q.actors?.length) lines.push(`actor: ${q.actors.join(', ')}`);
  if (q.eventTypes?.length) lines.push(`event type: ${q.eventTypes.join(', ')}`);
  if (q.subEventTypes?.length) lines.push(`sub-type: ${q.subEventTypes.join(', ')}`);
  if (q.admin1?.length) lines.push(`province: ${q.admin1.join(', ')}`);
  if (q.admin2?.length) lines.push(`district: ${q.admin2.join(', ')}`);
  if (q.sources?.length) lines.push(`source: ${q.sources.join(', ')}`);
  if (q.from || q.to) lines.push(`period: ${q.from ?? 'start'} to ${q.to ?? 'end'}`);
  return lines;
}

/** The two most recent years for the year-on-year figure: the latest complete one and the one before. */
function yoy(data: ReportData) {
  const complete = data.byYear.filter((y) => !y.partial);
  const current = complete[complete.length - 1];
  const previous = complete.find((y) => current && y.year === current.year - 1);
  const partial = data.byYear.find((y) => y.partial);
  return { current, previous, partial };
}

function keyPoints(data: ReportData): Child[] {
  const points: Child[] = [];
  const { span, totals } = data;
  if (span.first && span.last) {
    points.push(
      `${formatCount(totals.events)} events and ${totals.tollUnknown ? 'no stated toll (none of the sources gives one)' : `${formatCount(totals.fatalities)} reported fatalities`} between ${formatPeriod(span.first)} and ${formatPeriod(span.last)}, in ${formatCount(totals.districts)} districts.`,
    );
  }
  const { current, previous, partial } = yoy(data);
  if (current && previous) {
    const dir =
      current.events > previous.events ? 'rose' : current.events < previous.events ? 'fell' : 'held level';
    points.push(
      `Events ${dir} ${dir === 'held level' ? '' : `${formatChange(current.events, previous.events).replace(/^[+−]/, '')} `}in ${current.year} against ${previous.year} (${formatCount(previous.events)} → ${formatCount(current.events)}); fatalities ${formatCount(previous.fatalities)} → ${formatCount(current.fatalities)}.`,
    );
  }
  const ytd = data.yearToDate;
  if (partial && ytd) {
    points.push(
      `${ytd.year} so far (data to ${formatPeriod(ytd.to)}): ${formatCount(ytd.events)} events, ${formatChange(ytd.events, ytd.previousEvents)} on the same period of ${ytd.year - 1} (${formatCount(ytd.previousEvents)}); fatalities ${formatCount(ytd.previousFatalities)} → ${formatCount(ytd.fatalities)}.`,
    );
  }
  const top = [...data.actorTrend.series].sort((a, b) => b.events - a.events).slice(0, 3);
  if (top.length) {
    points.push(
      `Most active ${top.length > 1 ? 'actors' : 'actor'} (as primary actor): ${top.map((s) => `${s.label} (${formatCount(s.events)})`).join(', ')}.`,
    );
  }
  const deadliest = [...data.districts.features].sort(
    (a, b) => b.properties.fatalities - a.properties.fatalities,
  )[0];
  if (deadliest && deadliest.properties.fatalities > 0) {
    points.push(
      `Deadliest district: ${deadliest.properties.name} (${formatCount(deadliest.properties.fatalities)} fatalities in ${formatCount(deadliest.properties.events)} events).`,
    );
  }
  const s = data.spread;
  points.push(
    s.newDistricts.length
      ? `${s.newDistricts.length} district${s.newDistricts.length === 1 ? '' : 's'} newly affected in ${formatPeriod(s.window.from)} – ${formatPeriod(s.window.to)} (none in the ${s.baseline.months} months before): ${s.newDistricts
          .slice(0, 6)
          .map((d) => d.admin2)
          .join(', ')}${s.newDistricts.length > 6 ? ', …' : ''}.`
      : `No district was newly affected in ${formatPeriod(s.window.from)} – ${formatPeriod(s.window.to)} against the ${s.baseline.months} months before.`,
  );
  const worst = [...data.sites].sort((a, b) => b.exposure.risk.score - a.exposure.risk.score)[0];
  if (worst) {
    points.push(
      `Highest site exposure: ${worst.site.name}, ${worst.exposure.risk.level} risk (${Math.round(worst.exposure.risk.score)}/100; ${formatCount(worst.exposure.events)} events within ${worst.exposure.radiusKm} km).`,
    );
  }
  for (const c of data.claims.slice(0, 2)) {
    points.push(
      `Claim in ${documentName(c.document)}: ${c.check.claim.changePct !== null ? signedPct(c.check.claim.changePct) : 'a change'} ${c.check.claim.from}→${c.check.claim.to} — ${c.check.verdict}${storeFigure(c.check) ? `; the store gives ${storeFigure(c.check)}` : ''}.`,
    );
  }
  if (data.forecast?.points.length) {
    const next = data.forecast.points[0]!;
    points.push(
      `Forecast for ${formatPeriod(next.period)}: about ${formatCount(next.mid)} events (${formatCount(next.low)}–${formatCount(next.high)}).`,
    );
  }
  return points.map((p) => h('li', {}, p));
}

function tile(value: string, label: string, sub?: string): Child {
  return h(
    'div',
    { class: 'tile' },
    h('div', { class: 'value' }, value),
    h('div', { class: 'label' }, label),
    sub ? h('div', { class: 'sub' }, sub) : null,
  );
}

function headline(data: ReportData): Child {
  const { current, previous } = yoy(data);
  return h(
    'div',
    { class: 'tiles' },
    tile(formatCount(data.totals.events), 'events'),
    // No event states a toll: unknown, not none (as the spread table and the dashboard show it).
    data.totals.tollUnknown
      ? tile('—', 'fatalities (not stated)')
      : tile(formatCount(data.totals.fatalities), 'fatalities'),
    tile(formatCount(data.totals.districts), 'districts affected'),
    tile(formatCount(data.totals.actors), 'primary actors'),
    current && previous
      ? tile(
          formatChange(current.events, previous.events),
          `events ${current.year} vs ${previous.year}`,
          `${formatCount(previous.events)} → ${formatCount(current.events)}`,
        )
      : tile('—', 'year on year', 'needs two complete years'),
  );
}

function mapSection(data: ReportData): Child {
  const areas: MapArea[] = data.districts.features
    .filter((f) => f.geometry)
    .map((f) => ({
      name: f.properties.name,
      parent: f.properties.admin1,
      geometry: f.geometry as unknown as Geometry,
      events: f.properties.events,
      fatalities: f.properties.fatalities,
    }));
  const sites = data.sites
    .map(({ site, exposure }) => {
      const [w, s, e, n] = site.bbox;
      return { name: site.name, lon: (w + e) / 2, lat: (s + n) / 2, radiusKm: exposure.radiusKm };
    })
    .filter((s) => Number.isFinite(s.lon) && Number.isFinite(s.lat));
  const unmatched = data.districts.unmatched;
  return h(
    'section',
    { class: 'figure' },
    h('h2', {}, 'Where: events by district'),
    h(
      'div',
      { class: 'svg' },
      renderMap({
        width: WIDTH,
        height: 500,
        metric: 'events',
        areas,
        outlines: data.provinces,
        sites,
        labels: 10,
      }),
    ),
    h(
      'p',
      { class: 'caption' },
      'Districts shaded by number of events (pre-2018 district boundaries; newer districts are counted in the district they were carved from).',
      unmatched.length
        ? ` ${countNoun(
            unmatched.reduce((s, u) => s + u.events, 0),
            'event',
          )} in ${countNoun(unmatched.length, 'district name')} not on the map: ${unmatched
            .slice(0, 5)
            .map((u) => u.admin2)
            .join(', ')}.`
        : '',
      sites.length ? ' Diamonds: named sites, dashed ring = exposure radius.' : '',
    ),
  );
}

function timelineSection(data: ReportData): Child {
  const buckets: TimelineBucket[] = data.timeline.length
    ? monthsBetween(data.timeline[0]!.period, data.timeline[data.timeline.length - 1]!.period).map(
        (p) => data.timeline.find((b) => b.period === p) ?? { period: p, byType: {} },
      )
    : [];
  return h(
    'section',
    { class: 'figure' },
    h('h2', {}, 'When: events per month by type'),
    h(
      'div',
      { class: 'svg' },
      renderTimeline({
        width: WIDTH,
        height: 230,
        metric: 'events',
        buckets,
        forecast: data.forecast?.points ?? [],
      }),
    ),
    h(
      'p',
      { class: 'caption' },
      data.forecast ? 'Blue band on the right: forecast, 80 % interval; line: expected events.' : '',
      ` Data ${data.coverage.first ? `from ${formatPeriod(data.coverage.first)} to ${formatPeriod(data.coverage.last ?? data.coverage.first)}` : 'absent'}.`,
    ),
  );
}

function trendSection(data: ReportData): Child {
  const periods = data.actorTrend.periods;
  const partialPeriod = periods.find((p) =>
    data.actorTrend.series.some((s) => s.points.find((x) => x.period === p)?.partial),
  );
  // Year on year compares whole years: a partial latest year would look like a fall.
  const complete = periods.filter((p) => p !== partialPeriod);
  const last = complete[complete.length - 1];
  const prev = complete[complete.length - 2];
  if (!last || !prev) {
    return h(
      'section',
      {},
      h('h2', {}, 'Trend by actor'),
      h('p', { class: 'muted' }, 'Needs events in at least two complete years.'),
    );
  }
  const rows = data.actorTrend.series
    .map((s) => ({
      label: s.label,
      current: s.points.find((p) => p.period === last)?.events ?? 0,
      previous: s.points.find((p) => p.period === prev)?.events ?? 0,
    }))
    .filter((r) => r.current + r.previous > 0);
  return h(
    'section',
    { class: 'figure' },
    h('h2', {}, `Trend by actor: ${prev} → ${last}`),
    h(
      'div',
      { class: 'svg' },
      renderChangeBars({ width: WIDTH, rows, currentLabel: last, previousLabel: prev }),
    ),
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Actor'),
          periods.slice(-4).map((p) => h('th', { class: 'num' }, p)),
          h('th', {}, 'Band (latest)'),
        ),
      ),
      h(
        'tbody',
        {},
        // Actors are ranked over the whole record; one active only in years before the columns shown
        // (a 2008 data set) would be a row of zeros here.
        data.actorTrend.series
          .filter((s) =>
            periods.slice(-4).some((p) => (s.points.find((x) => x.period === p)?.events ?? 0) > 0),
          )
          .map((s) =>
            h(
              'tr',
              {},
              h('td', {}, s.label),
              periods.slice(-4).map((p) => {
                const point = s.points.find((x) => x.period === p);
                return h(
                  'td',
                  { class: 'num' },
                  point ? `${formatCount(point.events)}${point.partial ? '*' : ''}` : '0',
                );
              }),
              h('td', {}, s.points.find((p) => p.period === periods[periods.length - 1])?.band ?? '—'),
            ),
          ),
      ),
    ),
    h(
      'p',
      { class: 'caption' },
      `Events with the actor as primary actor; bars compare the last two complete years. Bands compare each year with the mean of the previous ${data.actorTrend.baselinePeriods}: large ≥ ${data.actorTrend.bandRules.largePct}%, moderate ≥ ${data.actorTrend.bandRules.moderatePct}%, and changes under ${data.actorTrend.bandRules.minAbsoluteChange} events count as stable.${partialPeriod ? ` * ${partialPeriod} is incomplete (data to ${formatPeriod(data.coverage.last ?? '')}).` : ''}`,
    ),
  );
}

function spreadSection(data: ReportData): Child {
  const s = data.spread;
  return h(
    'section',
    {},
    h('h2', {}, `Newly affected districts: ${formatPeriod(s.window.from)} – ${formatPeriod(s.window.to)}`),
    h(
      'p',
      {},
      `${formatCount(s.districtsInWindow)} districts saw events in the window against ${formatCount(s.districtsInBaseline)} in the ${s.baseline.months} months before (diffusion ${(s.diffusionIndex * 100).toFixed(0)}% of ${formatCount(s.districtsKnown)} known districts, was ${(s.diffusionBaseline * 100).toFixed(0)}%).`,
    ),
    s.newDistricts.length
      ? h(
          'table',
          { class: 'data' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['District', 'Province', 'Events', 'Killed', 'First event', 'By', 'Type'].map((t) =>
                h('th', {}, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            s.newDistricts.slice(0, 15).map((d) =>
              h(
                'tr',
                {},
                h('td', {}, d.admin2),
                h('td', {}, d.admin1 ?? '—'),
                h('td', { class: 'num' }, formatCount(d.windowEvents)),
                // No event of the district states a toll: unknown, not none (as `sitrep spread` prints it).
                h('td', { class: 'num' }, d.windowEventsWithToll > 0 ? formatCount(d.windowFatalities) : '—'),
                h('td', { class: 'nowrap' }, d.firstEvent?.date ?? '—'),
                h('td', {}, d.firstEvent?.actor ?? '—'),
                h(
                  'td',
                  {},
                  d.firstEvent?.eventType
                    ? [
                        h('span', {
                          class: 'dot',
                          style: `background:${eventTypeColour(d.firstEvent.eventType)}`,
                        }),
                        d.firstEvent.eventType,
                      ]
                    : '—',
                ),
              ),
            ),
          ),
        )
      : h(
          'p',
          { class: 'muted' },
          'None: every district with events in the window also had events in the baseline.',
        ),
    s.caveats.length ? h('p', { class: 'caption' }, s.caveats.join(' ')) : null,
  );
}

function networkSection(data: ReportData): Child {
  const n = data.network;
  const names = new Map(n.nodes.map((x) => [x.id, x.label]));
  const edges = [...n.edges].sort((a, b) => b.events - a.events).slice(0, 10);
  return h(
    'section',
    { class: 'figure' },
    h('h2', {}, 'Who: actor network'),
    h(
      'div',
      { class: 'svg' },
      renderNetwork({
        width: WIDTH,
        height: 420,
        nodes: n.nodes.map((x) => ({ id: x.id, name: x.label, events: x.events })),
        edges: n.edges,
        labels: 16,
      }),
    ),
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Actors', 'Relation', 'Events', 'Killed', 'First', 'Latest'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        edges.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, `${names.get(e.source) ?? e.source} — ${names.get(e.target) ?? e.target}`),
            h('td', {}, e.kind),
            h('td', { class: 'num' }, formatCount(e.events)),
            h('td', { class: 'num' }, formatCount(e.fatalities)),
            h('td', { class: 'nowrap' }, e.first),
            h('td', { class: 'nowrap' }, e.last),
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'caption' },
      'Node size: events; line width: shared events. "opposed" = opposite sides of an event; "allied" = same side.',
    ),
    relationsTable(data),
  );
}

/** Mergers, collaborations and splits: recorded with `sitrep actors merge` or read from news text. */
function relationsTable(data: ReportData): Child {
  const relations = data.network.relations.slice(0, 12);
  if (!relations.length) return null;
  const names = new Map(data.network.nodes.map((x) => [x.id, x.label]));
  const side = (id: string, text: string | undefined) => text ?? names.get(id) ?? id;
  return [
    h('h3', {}, 'Dated relations between actors'),
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Date', 'Relation', 'Actors', 'Evidence'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        relations.map((r) =>
          h(
            'tr',
            {},
            h('td', { class: 'nowrap' }, r.date ? formatPeriod(r.date.slice(0, 7)) : 'undated'),
            h('td', {}, r.kind),
            h(
              'td',
              {},
              `${side(r.source, r.sourceName)} ${r.kind === 'merger' ? '→' : '—'} ${side(r.target, r.targetName)}`,
            ),
            h('td', { class: 'muted' }, r.evidence ? `“${clipped(r.evidence, 200)}”` : '—'),
          ),
        ),
      ),
    ),
  ];
}

const signedPct = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(Math.round(n * 10) / 10)}%`;
const clipped = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1).replace(/\s+\S*$/, '')} …` : text;

function documentName(d: ReportData['claims'][number]['document']): string {
  return `${d.title ?? (d.source ? sourceLabel(d.source) : `document ${d.id}`)} (${formatPeriod(d.published)})`;
}

/** What the store counts for a claim: over the same days when a period is only partly covered. */
function storeFigure(check: ReportData['claims'][number]['check']): string | null {
  const like = check.likeForLike;
  const partial = check.periods.some((p) => !p.complete);
  if (like && partial && like.changePct !== null)
    return `${formatCount(like.from.value)} → ${formatCount(like.to.value)} (${signedPct(like.changePct)}) over the same days of ${like.from.label.slice(0, 4)} and ${like.to.label.slice(0, 4)}`;
  const [a, b] = check.periods;
  if (check.computedChangePct === null || !b) return null;
  return `${formatCount(a.value)} → ${formatCount(b.value)} (${signedPct(check.computedChangePct)})`;
}

/** The trend claims the stored news texts make, with the store's verdict on each. */
function claimsSection(data: ReportData): Child {
  if (!data.claims.length) return null;
  return h(
    'section',
    {},
    h('h2', {}, 'Claims in the news texts, checked against the data'),
    h(
      'table',
      { class: 'data claims' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Claim', 'Verdict', 'The store'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        data.claims.map((c) =>
          h(
            'tr',
            {},
            h('td', {}, `“${clipped(c.quote, 220)}”`, h('div', { class: 'muted' }, documentName(c.document))),
            h(
              'td',
              {},
              h('span', { class: `verdict ${c.check.verdict.replaceAll(' ', '-')}` }, c.check.verdict),
            ),
            h('td', {}, storeFigure(c.check) ?? '—', h('div', { class: 'muted' }, c.check.definition)),
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'caption' },
      `A claim is consistent when the store's change is within ${CLAIM_TOLERANCE.percentagePoints} percentage points or ${CLAIM_TOLERANCE.relative * 100} % of it; a period the data cover only in part is compared over the same days of both years and gives no verdict. \`sitrep check --text FILE --published DAY\` gives the full working.`,
    ),
  );
}

function sitesSection(data: ReportData): Child {
  if (!data.sites.length) {
    return data.missingSites.length
      ? h(
          'section',
          {},
          h('h2', {}, 'Exposure of named sites'),
          h('p', { class: 'muted' }, `Not in the store: ${data.missingSites.join(', ')}.`),
        )
      : null;
  }
  return h(
    'section',
    {},
    h('h2', {}, 'Exposure of named sites'),
    h(
      'table',
      { class: 'data sites' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Site', 'Risk', 'Events', 'Killed', 'Recent trend', 'Score parts'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        data.sites.map(({ site, exposure: x }) =>
          h(
            'tr',
            {},
            h(
              'td',
              {},
              h('strong', {}, site.name),
              site.kind ? h('div', { class: 'muted' }, site.kind) : null,
            ),
            h(
              'td',
              {},
              h('span', { class: `risk ${x.risk.level}` }, `${Math.round(x.risk.score)} ${x.risk.level}`),
            ),
            h('td', { class: 'num' }, formatCount(x.events)),
            h('td', { class: 'num' }, formatCount(x.fatalities)),
            h('td', {}, `${x.trend.previousEvents} → ${x.trend.recentEvents} (${x.trend.band})`),
            h(
              'td',
              { class: 'parts' },
              x.risk.parts.map((p) =>
                h('div', { title: p.why }, `${p.name} ${Math.round(p.points)}/${p.weight}`),
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      'p',
      { class: 'caption' },
      `Events within ${data.sites[0]!.exposure.radiusKm} km of each site. Risk score 0–100 = intensity + lethality + proximity + trend (weights in the parts column); "recent trend" compares the last 12 months with the 12 before.`,
      data.missingSites.length ? ` Not in the store: ${data.missingSites.join(', ')}.` : '',
    ),
  );
}

function forecastSection(data: ReportData): Child {
  const f = data.forecast;
  if (!f) return null;
  return h(
    'section',
    {},
    h(
      'h2',
      {},
      `Outlook: ${formatPeriod(f.points[0]?.period ?? f.origin)} – ${formatPeriod(f.points[f.points.length - 1]?.period ?? f.origin)}`,
    ),
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'Month'),
          h('th', { class: 'num' }, 'Expected events'),
          h('th', { class: 'num' }, '80 % interval'),
        ),
      ),
      h(
        'tbody',
        {},
        f.points.map((p) =>
          h(
            'tr',
            {},
            h('td', {}, formatPeriod(p.period)),
            h('td', { class: 'num' }, formatCount(p.mid)),
            h('td', { class: 'num' }, `${formatCount(p.low)}–${formatCount(p.high)}`),
          ),
        ),
      ),
    ),
    f.districts.length
      ? h(
          'p',
          {},
          `Districts to watch in ${formatPeriod(f.districts[0]!.month)}: `,
          f.districts.map((d) => `${d.name} ${d.mean.toFixed(1)} (${d.low}–${d.high})`).join(', '),
          '.',
        )
      : null,
    h(
      'p',
      { class: 'caption' },
      `Forecast from the data up to ${formatPeriod(f.origin)} with a ${f.model} per province and district (see docs/forecast.md). Monthly intervals are those of the total, taking the provinces as independent.`,
    ),
  );
}

function sourcesSection(data: ReportData): Child {
  const acled = data.coverage.sources.some((s) => /acled/i.test(s));
  return h(
    'section',
    { class: 'method' },
    h('h2', {}, 'Sources and method'),
    h(
      'p',
      {},
      `Data: ${data.coverage.sources.join(', ') || 'none'} (${formatCount(data.coverage.events)} events in scope${data.coverage.first ? `, ${data.coverage.first} to ${data.coverage.last}` : ''}). Fatalities are the best estimate of each record; ACLED codes them conservatively.`,
      acled ? ' Contains data from ACLED, acleddata.com.' : '',
    ),
    h(
      'p',
      {},
      `Generated by Sitrep on ${utc(data.generatedAt)}. Figures are recomputed from the store at generation time; this file makes no network requests.`,
    ),
  );
}

/** A self-contained HTML brief: inline CSS and SVG, no scripts, no external requests. */
export function renderReport(data: ReportData): string {
  const filters = filterLines(data);
  const body = h(
    'body',
    {},
    h(
      'header',
      { class: 'masthead' },
      h('div', { class: 'kicker' }, 'SITREP · SITUATION BRIEF'),
      h('h1', {}, data.title),
      h(
        'div',
        { class: 'meta' },
        data.span.first
          ? `${formatPeriod(data.span.first)} – ${formatPeriod(data.span.last ?? data.span.first)}`
          : 'No events',
        ' · ',
        filters.length ? filters.join(' · ') : 'all events in the store',
        ' · ',
        `generated ${utc(data.generatedAt)}`,
      ),
    ),
    headline(data),
    h('section', { class: 'key' }, h('h2', {}, 'Key points'), h('ul', {}, keyPoints(data))),
    mapSection(data),
    timelineSection(data),
    trendSection(data),
    spreadSection(data),
    networkSection(data),
    claimsSection(data),
    sitesSection(data),
    forecastSection(data),
    sourcesSection(data),
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${renderToString({ kind: 'text', text: data.title })}</title>
<style>${REPORT_CSS}</style>
</head>
${renderToString(body)}
</html>
`;
}
