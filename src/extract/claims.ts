import type { Claim } from '../schema/extraction.ts';
import type { ActorMention } from './actors-in-text.ts';
import type { Sentence } from './segment.ts';

const PCT = '(\\d+(?:\\.\\d+)?)\\s*(?:per\\s*cent|percent|%)';
const UP = 'increased|rose|grew|jumped|surged|climbed|soared|spiked|went\\s+up';
const DOWN = 'decreased|fell|dropped|declined|plunged|plummeted|went\\s+down';
/** "the number of attacks … increased by 119 per cent between 2023 and 2024, according to PIPS" */
const VERB_FORM = new RegExp(
  `((?:the\\s+)?(?:number|count|rate|level|frequency|share|incidence|toll)\\s+of\\s+[^,;.]{3,120}?|[A-Za-z][\\w\\s-]{2,60}?)\\s+(?:has\\s+|have\\s+|had\\s+)?(${UP}|${DOWN})\\s+(?:by\\s+)?(?:nearly\\s+|almost\\s+|about\\s+|over\\s+|more\\s+than\\s+)?${PCT}([^.]*)`,
  'gi',
);
/** "the 119 per cent increase in militant attacks last year" */
const NOUN_FORM = new RegExp(
  `${PCT}\\s+(increase|rise|jump|surge|growth|decrease|decline|drop|fall)\\s+in\\s+([^,;.]{3,80}?)(?=\\s+(?:last|this|in|between|from|since|during|over|according)\\b|[,;.]|$)([^.]*)`,
  'gi',
);

function years(rest: string, published: string | null): { from: string | null; to: string | null } {
  const between = /\b(?:between|from)\s+(\d{4})\s+(?:and|to|-)\s+(\d{4})\b/i.exec(rest);
  if (between) return { from: between[1]!, to: between[2]! };
  const last = /\blast\s+year\b/i.test(rest);
  if (last && published) {
    const y = Number(published.slice(0, 4)) - 1;
    return { from: String(y - 1), to: String(y) };
  }
  const single = /\b(?:in|during)\s+(\d{4})\b/i.exec(rest);
  if (single) return { from: String(Number(single[1]) - 1), to: single[1]! };
  return { from: null, to: null };
}

function source(rest: string): string | null {
  const m =
    /\baccording\s+to\s+(?:the\s+)?([^,;.]+?)(?:\s*[,;.]|$)/i.exec(rest) ??
    /,\s*(?:the\s+)?([A-Z][^,;.]+?)\s+(?:said|says|reported|reports|found)\b/.exec(rest);
  return m?.[1]?.trim() ?? null;
}

/**
 * Quantitative trend statements, to be checked against the data later: what changed, by how much,
 * between when, according to whom, and which actors it concerns. A figure repeated later in the text
 * ("the 119 per cent increase…") is kept once, from its fullest statement.
 */
export function findClaims(
  text: string,
  sentences: readonly Sentence[],
  actors: readonly ActorMention[],
  published: string | null = null,
): Claim[] {
  const claims: Claim[] = [];
  for (const sentence of sentences) {
    if (!/per\s*cent|percent|%/i.test(sentence.text)) continue;
    for (const [pattern, form] of [
      [VERB_FORM, 'verb'],
      [NOUN_FORM, 'noun'],
    ] as const) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(sentence.text); m !== null; m = pattern.exec(sentence.text)) {
        const [metric, direction, pct, rest] =
          form === 'verb' ? [m[1]!, m[2]!, m[3]!, m[4] ?? ''] : [m[3]!, m[2]!, m[1]!, m[4] ?? ''];
        const sign = new RegExp(`^(?:${DOWN}|decrease|decline|drop|fall)$`, 'i').test(direction) ? -1 : 1;
        const change = sign * Number(pct);
        if (claims.some((c) => c.change_pct === change)) continue;
        const start = sentence.start + m.index + (form === 'verb' ? m[0].indexOf(metric) : 0);
        const end = sentence.start + m.index + m[0].length;
        const metricText = metric.replace(/^\s*(?:the|that)\s+/i, '').trim();
        const inMetric = actors.filter((a) => a.start >= start && a.end <= end);
        claims.push({
          metric: metricText,
          actors: [...new Set(inMetric.map((a) => a.actor.name))],
          ...years(rest, published),
          change_pct: change,
          source: source(rest),
          evidence: { start, end: trimEnd(text, start, end) },
        });
      }
    }
  }
  return claims;
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /[\s,;]/.test(text[e - 1] ?? '')) e--;
  return e;
}
