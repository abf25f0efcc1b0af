import { SITE_KINDS, type Site } from '../schema/extraction.ts';
import type { GazetteerPlace } from './geo.ts';
import type { SpanIndex } from './span-index.ts';

type PlaceMention = { place: GazetteerPlace; start: number; end: number; text: string };

const KIND_WORDS: Array<[RegExp, Site['kind']]> = [
  [/^(?:mine|mines|mining\s+project|copper\s+mine|gold\s+mine|coal\s+mine)$/i, 'mine'],
  [/^(?:port|seaport|harbour|harbor)$/i, 'port'],
  [/^(?:railway\s+station|train\s+station)$/i, 'railway station'],
  [/^(?:rail\s+line|railway\s+line|railway|railway\s+track|rail\s+track|railroad)$/i, 'rail line'],
  [/^(?:airport|airbase|air\s+base)$/i, 'airport'],
  [/^(?:dam)$/i, 'dam'],
  [/^(?:pipeline|gas\s+pipeline)$/i, 'pipeline'],
  [/^(?:gas\s+field|gasfield)$/i, 'gas field'],
  [/^(?:oil\s+field|oilfield)$/i, 'oil field'],
  [/^(?:power\s+plant|power\s+station|grid\s+station)$/i, 'power plant'],
  [/^(?:highway|motorway|expressway)$/i, 'highway'],
  [/^(?:naval\s+base|base|cantonment)$/i, 'base'],
  [/^(?:project)$/i, 'project'],
];
const KIND_ALTERNATION =
  'copper\\s+mine|gold\\s+mine|coal\\s+mine|mining\\s+project|mine|seaport|port|harbou?r|railway\\s+station|train\\s+station|railway\\s+line|rail\\s+line|railway\\s+track|railway|railroad|airport|air\\s+base|airbase|dam|gas\\s+pipeline|pipeline|gas\\s+field|gasfield|oil\\s+field|oilfield|power\\s+plant|power\\s+station|grid\\s+station|highway|motorway|expressway|naval\\s+base|cantonment';
/** "the Reko Diq mine", "Gwadar port", "Karachi’s airport": capitalised names before an asset word. */
const NAMED_SITE = new RegExp(`\\b((?:[A-Z][\\w-]+(?:’s|'s)?\\s+){1,4})(${KIND_ALTERNATION})\\b`, 'g');
/** "the 2014 assault on Karachi’s airport": an asset named as what an attack hit is that event's target. */
const ATTACKED =
  /\b(?:attack|attacks|attacked|assault|assaults|assaulted|siege|sieges|bombing|bombings|bombed|raid|raids|raided|strike|strikes|stormed|storming|blast|blasts)\s+(?:on|at|of|in)?\s*(?:the\s+)?$/i;
const NOT_NAMES =
  /^(?:The|A|An|This|That|These|Its|Their|Our|His|Her|New|Old|Main|Current|Next|Last|Share|Pakistan|Pakistani|Chinese|Saudi|Canada|National|Federal|Provincial)$/;

function kindOf(word: string): Site['kind'] | null {
  for (const [pattern, kind] of KIND_WORDS) if (pattern.test(word)) return kind;
  return null;
}

/**
 * Named assets a text talks about — mines, ports, rail lines, airports, pipelines — each once, with its
 * kind, and the place the text puts it in ("in Chagai district, where Reko Diq is located"). An asset
 * named only as what an attack hit ("the assault on Karachi’s airport") is that event's target, not a
 * site the text puts at risk.
 */
export function findSites(text: string, places: SpanIndex<PlaceMention>): Site[] {
  const out: Site[] = [];
  NAMED_SITE.lastIndex = 0;
  for (let m = NAMED_SITE.exec(text); m !== null; m = NAMED_SITE.exec(text)) {
    const words = m[1]!.trim().split(/\s+/);
    while (words.length > 0 && NOT_NAMES.test(words[0]!.replace(/(?:’s|'s)$/, ''))) words.shift();
    if (words.length === 0) continue;
    const kind = kindOf(m[2]!.replace(/\s+/g, ' '));
    if (!kind || !(SITE_KINDS as readonly string[]).includes(kind)) continue;
    if (ATTACKED.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    const name = words.join(' ').replace(/(?:’s|'s)$/, '');
    if (out.some((s) => s.name === name)) continue;
    const start = m.index + m[0].indexOf(words[0]!);
    const end = m.index + m[0].length;
    const where = placeOf(text, name, places);
    out.push({
      name,
      kind,
      place: where?.name ?? null,
      admin1: where?.admin1 ?? null,
      evidence: { start, end },
    });
  }
  return out;
}

/**
 * Where a site is: the place it is named after ("Karachi's airport", "Gwadar port"), else the place named
 * nearest to any mention of it in the same sentence ("in Chagai district, where Reko Diq is located").
 */
function placeOf(
  text: string,
  name: string,
  places: SpanIndex<PlaceMention>,
): { name: string; admin1: string | null } | null {
  const usable = (p: PlaceMention) => p.place.kind !== 'country' && p.place.kind !== 'province';
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    const own = places.inside(at, at + name.length).find((p) => usable(p) && p.text === name);
    // a landmark of the same name (the mine itself) says which district it is in
    if (own)
      return {
        name: own.place.kind === 'landmark' ? (own.place.admin2 ?? own.place.name) : own.place.name,
        admin1: own.place.admin1,
      };
  }
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
    const from = Math.max(text.lastIndexOf('.', at) + 1, 0);
    const dot = text.indexOf('.', at + name.length);
    const to = dot < 0 ? text.length : dot;
    const near = places
      .inside(from, to)
      .filter((p) => usable(p) && !name.includes(p.text))
      .sort((a, b) => Math.abs(a.start - at) - Math.abs(b.start - at));
    if (near[0]) return { name: near[0].place.name, admin1: near[0].place.admin1 };
    const district = /\bin\s+([A-Z][\w-]+)\s+district\b/.exec(text.slice(from, to));
    if (district?.[1]) return { name: district[1], admin1: null };
  }
  return null;
}
