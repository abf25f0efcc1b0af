import type { ExtractedEvent, Relation } from '../schema/extraction.ts';
import type { ActorMention } from './actors-in-text.ts';
import { addDays, type DateMention } from './dates.ts';
import type { Sentence } from './segment.ts';
import type { SpanIndex } from './span-index.ts';

const KINDS: Array<{ kind: Relation['kind']; pattern: RegExp; minActors: number }> = [
  {
    kind: 'merger',
    pattern:
      /\b(?:merg\w*|morph\w*\s+into|amalgamat\w*|unit(?:e|ed|ing)\s+(?:into|under)|join(?:ed)?\s+(?:forces\s+)?to\s+form|(?:into|form(?:ed)?)\s+a\s+single\s+(?:force|group|organi[sz]ation|front))\b/i,
    minActors: 0,
  },
  {
    kind: 'split',
    pattern: /\b(?:split\s+(?:from|with|off)|splinter(?:ed)?|broke\s+away|breakaway|defected)\b/i,
    minActors: 1,
  },
  {
    kind: 'rivalry',
    pattern: /\b(?:rival\w*|infighting|feud\w*|turf\s+war|fought\s+each\s+other|clash\w*\s+between)\b/i,
    minActors: 2,
  },
  {
    kind: 'collaboration',
    pattern:
      /\b(?:collaborat\w+|joint\s+(?:operations?|attacks?|claims?|raids?)|allied\s+with|alliance\s+with|along\s+with|together\s+with|cooperat\w+|co-operat\w+|coordinat\w+\s+with)\b/i,
    minActors: 2,
  },
];

/** "called the Balochistan National Army", "into the X", "under the banner of X": a merger's new name. */
const NEW_NAME =
  /\b(?:called|named|known\s+as|into|under\s+the\s+(?:banner|name)\s+of)\s+(?:the\s+)?((?:[A-Z][\w'-]*\s?){2,6})/;
/** Unnamed plural groups a merger may be told about: "disparate Baloch separatist groups". */
const GROUP_PHRASE =
  /\b((?:[A-Z][\w-]+\s+)?(?:separatist|insurgent|militant|jihadist|armed|rebel)\s+(?:groups|outfits|organi[sz]ations|factions))\b/;
const ARMED = new Set(['rebel group', 'political militia', 'identity militia', 'unidentified']);

/**
 * Relations between actors: mergers (with the new name), collaborations, splits and rivalries, each
 * dated where the text dates it and with the sentence as evidence.
 */
export function findRelations(
  sentences: readonly Sentence[],
  dates: SpanIndex<DateMention>,
  actors: SpanIndex<ActorMention>,
  events: readonly ExtractedEvent[] = [],
): Relation[] {
  const out: Relation[] = [];
  sentences.forEach((sentence, i) => {
    for (const { kind, pattern, minActors } of KINDS) {
      const cue = pattern.exec(sentence.text);
      if (!cue) continue;
      const inSentence = actors
        .inside(sentence.start, sentence.end)
        .filter((a) => ARMED.has(a.actor.kind ?? ''));
      let newName: string | null = null;
      let mentions = firstMentions(inSentence);
      if (kind === 'merger') {
        const named = NEW_NAME.exec(sentence.text.slice(cue.index));
        newName = named?.[1]?.trim() ?? null;
        if (newName) {
          const nameStart = sentence.start + cue.index + named!.index + named![0].indexOf(newName);
          mentions = firstMentions(
            inSentence.filter((a) => a.start < nameStart || a.start >= nameStart + newName!.length),
          );
        }
        // "these outfits": the groups the previous sentence of the paragraph named
        const previous = sentences[i - 1];
        if (mentions.length === 0 && previous && previous.paragraph === sentence.paragraph) {
          const before = actors
            .inside(previous.start, previous.end)
            .filter((a) => ARMED.has(a.actor.kind ?? ''));
          mentions = firstMentions(before);
          const phrase = GROUP_PHRASE.exec(previous.text) ?? GROUP_PHRASE.exec(sentence.text);
          if (mentions.length === 0 && phrase?.[1]) mentions = [{ name: phrase[1], text: phrase[1] }];
        }
        if (!newName && mentions.length < 2) continue;
      }
      if (mentions.length < minActors) continue;
      const names = mentions.map((m) => m.name);
      if (out.some((r) => r.kind === kind && sameSet(r.actors, names))) continue;
      const when = dateFor(sentence, dates, events, sentences);
      out.push({
        kind,
        actors: names,
        actors_text: mentions.map((m) => m.text),
        new_name: newName,
        date: when?.date ?? null,
        date_precision: when?.precision ?? null,
        evidence: { start: sentence.start, end: sentence.end },
      });
    }
  });
  return out;
}

/** Each actor once, with the words of its first mention. */
function firstMentions(mentions: readonly ActorMention[]): Array<{ name: string; text: string }> {
  const seen = new Map<string, string>();
  for (const m of [...mentions].sort((a, b) => a.start - b.start))
    if (!seen.has(m.actor.name)) seen.set(m.actor.name, m.text);
  return [...seen].map(([name, text]) => ({ name, text }));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** "before the Jaffar Express tragedy": the name an anchored date gives the event it refers to. */
const ANCHOR_NAME = /^\s*(?:the|this|that)\s+((?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*)/;

/**
 * The sentence's own date; "a few days before the attack" takes the date of the event told before it —
 * of the one it names when it names one ("before the Jaffar Express tragedy").
 */
function dateFor(
  sentence: Sentence,
  dates: SpanIndex<DateMention>,
  events: readonly ExtractedEvent[],
  sentences: readonly Sentence[],
): { date: string; precision: Relation['date_precision'] } | null {
  const mention = dates.inside(sentence.start, sentence.end).find((d) => !d.future);
  if (!mention) return null;
  if (mention.date) return { date: mention.date, precision: mention.precision };
  const told = [...events]
    .reverse()
    .filter((e) => e.span.start < sentence.start && e.date && e.date_precision !== 'year');
  const name = ANCHOR_NAME.exec(sentence.text.slice(mention.end - sentence.start))?.[1];
  const named = name
    ? told.find((e) =>
        sentences.some((s) => s.start < e.span.end && s.end > e.span.start && s.text.includes(name)),
      )
    : undefined;
  const anchor = named ?? told[0];
  if (!anchor?.date) return null;
  if (anchor.date_precision !== 'day') return { date: anchor.date, precision: anchor.date_precision };
  return { date: addDays(anchor.date, mention.anchorOffsetDays ?? 0), precision: mention.precision };
}
