import type { ActorRegistry, CanonicalActor } from '../resolve/actor-registry.ts';
import { aliasKey } from '../resolve/alias-key.ts';
import { TakenCharacters } from './span-index.ts';

/** An actor named in the text, as written, with the canonical actor it resolves to. */
export interface ActorMention {
  start: number;
  end: number;
  text: string;
  actor: CanonicalActor;
  /** Said to have claimed the attack ("X claimed responsibility"); a suspicion ("believed to be X") is not a claim. */
  claimed: boolean;
  /** Named only as a suspect or in a denial ("no group claimed", "suspected"). */
  hedged: boolean;
}

interface Entry {
  tokens: string[];
  actor: CanonicalActor;
  /** acronyms must be written in capitals: "BLA" is a group, "bla" is not */
  exactCase: string | null;
}

const WORD = /[\p{L}\p{N}]+/gu;

interface Word {
  key: string;
  raw: string;
  start: number;
  end: number;
}

function words(text: string): Word[] {
  const out: Word[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    // ASCII words (nearly all) need no Unicode normalisation: lower-casing is their alias key
    const key = /^[A-Za-z0-9]+$/.test(m[0]) ? m[0].toLowerCase() : aliasKey(m[0]);
    out.push({ key: foldSpelling(key), raw: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Transliteration variants that do not make two names different ("Baluchistan" = "Balochistan"). */
const SPELLINGS: Record<string, string> = {
  baluchistan: 'balochistan',
  baluch: 'baloch',
  balochi: 'baloch',
  tehreek: 'tehrik',
  tahreek: 'tehrik',
  tahrik: 'tehrik',
  qaida: 'qaeda',
  jaish: 'jaish',
  mohammad: 'mohammed',
  muhammad: 'mohammed',
  lashkar: 'lashkar',
};

function foldSpelling(token: string): string {
  return SPELLINGS[token] ?? token;
}

/** Unnamed perpetrators: ACLED codes them as an unidentified armed group. */
const UNNAMED =
  /\b(?:unidentified|unknown|masked|armed)\s+(?:gunmen|militants|assailants|attackers|armed\s+men|men|persons|miscreants|motorcyclists|terrorists)\b/gi;

const finders = new WeakMap<ActorRegistry, Map<string, Entry[]>>();

function finderFor(registry: ActorRegistry): Map<string, Entry[]> {
  const cached = finders.get(registry);
  if (cached) return cached;
  const index = new Map<string, Entry[]>();
  for (const actor of registry.all()) {
    for (const alias of new Set([actor.name, ...actor.aliases])) {
      const tokens = aliasKey(alias).split(' ').filter(Boolean).map(foldSpelling);
      const first = tokens[0];
      if (!first) continue;
      // "Taliban (Pakistan)" style names are data-set labels, not how text writes them
      // "Taliban (Pakistan)", "Baloch Liberation Army (BLA)": data-set labels; text writes the parts apart
      if (alias.includes('(') && !/^(?:Civilians|Protesters|Rioters|Unidentified)/.test(alias)) continue;
      const exactCase =
        /^[A-Z][A-Za-z-]{0,5}$/.test(alias) && /[A-Z].*[A-Z]/.test(alias) ? alias.replace(/-/g, '') : null;
      const list = index.get(first) ?? [];
      list.push({ tokens, actor, exactCase });
      index.set(first, list);
    }
  }
  for (const list of index.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  finders.set(registry, index);
  return index;
}

/**
 * Every actor the registry knows that the text names, longest name first at each position
 * ("Baloch Liberation Army" rather than "Baloch"), plus unnamed perpetrators ("unidentified gunmen").
 * `on` (YYYY-MM-DD, the text's day) picks whom a dated alias named then (ActorRegistry.resolve).
 *
 * @example findActors('BLA militants attacked a post.', ActorRegistry.seeded())[0]?.actor.name // 'Baloch Liberation Army'
 */
export function findActors(text: string, registry: ActorRegistry, on?: string | null): ActorMention[] {
  const index = finderFor(registry);
  const ws = words(text);
  const out: ActorMention[] = [];
  for (let i = 0; i < ws.length; i++) {
    const candidates = index.get(ws[i]!.key);
    if (!candidates) continue;
    for (const entry of candidates) {
      const n = entry.tokens.length;
      if (i + n > ws.length) continue;
      let ok = true;
      for (let k = 0; k < n && ok; k++) ok = ws[i + k]!.key === entry.tokens[k];
      if (!ok) continue;
      const start = ws[i]!.start;
      const end = ws[i + n - 1]!.end;
      const written = text.slice(start, end);
      if (entry.exactCase && written.replace(/-/g, '') !== entry.exactCase) continue;
      // a name some day gave to another group ("Baloch National Army" in 2025): whom it meant on `on`
      const actor = (on ? registry.resolveDated(written, on) : null) ?? entry.actor;
      out.push(context(text, { start, end, text: written, actor }));
      i += n - 1;
      break;
    }
  }
  const unnamed = registry.resolve('unidentified gunmen');
  if (unnamed) {
    const named = new TakenCharacters(text.length);
    for (const a of out) named.take(a.start, a.end);
    UNNAMED.lastIndex = 0;
    for (let m = UNNAMED.exec(text); m !== null; m = UNNAMED.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (named.overlaps(start, end)) continue;
      out.push(context(text, { start, end, text: m[0], actor: unnamed }));
      named.take(start, end);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function context(text: string, mention: Omit<ActorMention, 'claimed' | 'hedged'>): ActorMention {
  const before = text.slice(Math.max(0, mention.start - 80), mention.start);
  const after = text.slice(mention.end, mention.end + 60);
  const claimed =
    /^\W*(?:\([^)]*\)\s*)?(?:['’]s\s+(?:spokes(?:man|person|woman)|leader|commander)(?:\s+[A-Z][\w-]*){0,3}\s+)?(?:has\s+|have\s+|had\s+|later\s+|reportedly\s+|also\s+)?(?:claimed|claims|accepted|owned)\b/i.test(
      after,
    ) && !/\bno\s+(?:group|one|organi[sz]ation)\b[^.]*$/i.test(before);
  const hedged =
    !claimed &&
    (/\b(?:believed|suspected|suspect|thought|blamed|likely|possibly|alleged(?:ly)?)\b[^.]{0,40}$/i.test(
      before,
    ) ||
      /^[^.]{0,30}\b(?:(?:was|were|are|is)\s+(?:suspected|believed|thought)|(?:was|were)\s+(?:likely|possibly)\s+)/i.test(
        after,
      ));
  return { ...mention, claimed, hedged };
}

const ARMED_KINDS = new Set(['rebel group', 'political militia', 'identity militia', 'unidentified']);

/**
 * Who did it and to whom: the group that claimed the attack, else the first armed group named
 * (a hedged suspicion counts only when nothing firmer is said), else state forces; actor2 is the
 * next different actor.
 */
export function pickActors(
  mentions: readonly ActorMention[],
  options: { unnamedPerpetrator?: boolean } = {},
): { actor1: ActorMention | null; actor2: ActorMention | null } {
  const armed = mentions.filter((m) => ARMED_KINDS.has(m.actor.kind ?? ''));
  const named = armed.filter((m) => m.actor.kind !== 'unidentified');
  const actor1 =
    armed.find((m) => m.claimed) ??
    named.find((m) => !m.hedged) ??
    named[0] ??
    armed[0] ??
    // state forces did it only when the text names no one else as the attacker
    (options.unnamedPerpetrator ? null : (mentions.find((m) => m.actor.kind === 'state forces') ?? null));
  const actor2 = mentions.find((m) => actor1 === null || m.actor.id !== actor1.actor.id) ?? null;
  return { actor1, actor2 };
}

/** Generic words for a state's forces: "security forces", "troops", "police" → the country's force. */
const STATE_NOUNS: Array<[RegExp, string]> = [
  [
    // a navy or an army installation names the forces too ("a naval air base", "an army camp")
    /\b(?:security\s+forces|military\s+forces|armed\s+forces|the\s+army|army\s+troops|troops|soldiers|the\s+military|the\s+navy|navy|naval|army\s+(?:camp|base|post|convoy|vehicle|personnel))\b/gi,
    'Military Forces of',
  ],
  [/\b(?:police(?:men)?|policemen|counter[\s-]terrorism\s+department)\b/gi, 'Police Forces of'],
];

/**
 * State forces the text names only generically ("security forces raided…"), resolved to the forces of the
 * country the event is in; nothing when the country is unknown.
 */
export function findGenericStateForces(
  text: string,
  registry: ActorRegistry,
  country: string | null,
  within: { from: number; to: number } = { from: 0, to: text.length },
): ActorMention[] {
  if (!country) return [];
  // Only the stretch asked for is read (an event's passages, not the whole document before it); `within`
  // starts at a sentence or clause, so no name is cut at its start.
  const stretch = text.slice(within.from, within.to);
  const out: ActorMention[] = [];
  // The country itself as the subject of a campaign ("Pakistan launched a … offensive"): its forces did it.
  const escaped = country.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const campaign: [RegExp, string] = [
    new RegExp(`\\b${escaped}(?=\\s+(?:launched|began|mounted|started)\\b)`, 'g'),
    'Military Forces of',
  ];
  for (const [pattern, prefix] of [...STATE_NOUNS, campaign]) {
    const actor = registry.resolve(`${prefix} ${country}`);
    if (!actor) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(stretch); m !== null; m = pattern.exec(stretch)) {
      out.push({
        start: within.from + m.index,
        end: within.from + m.index + m[0].length,
        text: m[0],
        actor,
        claimed: false,
        hedged: false,
      });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

const ACTIVE_ATTACK =
  /^\s*(?:\([^)]*\)\s*)?(?:(?!(?:was|were|been|being|is|are|had|has|have)\b)[\w-]+\s+){0,3}?(?:attacked|killed|raided|arrested|conducted|launched|shelled|fired|targeted|shot|ambushed|detained|stormed|bombed|struck|besieged|apprehended|neutrali[sz]ed|recovered|cordoned)\b/i;

/** A group named right after "against" ("an offensive against TTP") is the side attacked, not the attacker. */
export function isAttacked(text: string, mention: ActorMention): boolean {
  return /\bagainst\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, mention.start - 16), mention.start));
}

/**
 * The actor a report's first clause makes the subject of an attack verb ("Security forces raided a hideout",
 * "BLA militants attacked a post"), or null; an actor after "by" is not the subject.
 */
export function subjectOf(
  text: string,
  mentions: readonly ActorMention[],
  clauseEnd: number,
): ActorMention | null {
  // the grammatical subject is the first actor named
  const first = mentions[0];
  if (!first || first.start >= clauseEnd) return null;
  if (/\bby\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, first.start - 8), first.start))) return null;
  return ACTIVE_ATTACK.test(text.slice(first.end, Math.min(clauseEnd, first.end + 60))) ? first : null;
}
