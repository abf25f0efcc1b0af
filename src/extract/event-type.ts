import type { Span } from '../schema/extraction.ts';
import { ACLED_TAXONOMY, type AcledEventType } from '../schema/index.ts';
import { type LinearModel, predictLinear } from './linear-model.ts';
import { features, type NaiveBayesModel, predictFromFeatures } from './naive-bayes.ts';

/** A trained text classifier head: logistic regression or naive Bayes. */
export type TextClassifier = NaiveBayesModel | LinearModel;

function predictHead(model: TextClassifier, featureSet: ReadonlySet<string>) {
  return 'kind' in model ? predictLinear(model, featureSet) : predictFromFeatures(model, featureSet);
}

/** What kind of event a passage describes, in both taxonomies, with the words that said so. */
export interface EventTypeGuess {
  eventType: AcledEventType | null;
  subEventType: string | null;
  attackType: string | null;
  /** The cue the rules matched; null when only the statistical model decided. */
  cue: Span | null;
}

interface Cue {
  /** a letters-only token naming the cue, added to the model's features */
  id: string;
  pattern: RegExp;
  sub: string;
  attack: string;
}

/** Decisive cues, most specific first: the first that matches names the sub-event type and attack type. */
const CUES: Cue[] = [
  {
    id: 'xcuesuicide',
    pattern:
      /\bsuicide\s+(?:bomb\w*|attack\w*|blast|vest|car\s+bomb\w*)|\bblew\s+(?:himself|herself|themselves)\s+up\b|\bself-detonat\w+/i,
    sub: 'Suicide bomb',
    attack: 'Bombing/Explosion',
  },
  {
    id: 'xcueair',
    pattern:
      /\b(?:drone|air|aerial)[\s-]?(?:strike|attack|raid|bombardment)s?\b|\bairstrikes?\b|\bjets?\s+bombed\b/i,
    sub: 'Air/drone strike',
    attack: 'Bombing/Explosion',
  },
  { id: 'xcuehijack', pattern: /\bhijack\w*/i, sub: 'Abduction/forced disappearance', attack: 'Hijacking' },
  {
    id: 'xcuekidnap',
    pattern:
      /\b(?:kidnap\w*|abduct\w*|taken\s+hostage|took\s+\w+\s+hostage|hostages?|forcibly\s+disappeared|enforced\s+disappearance)\b/i,
    sub: 'Abduction/forced disappearance',
    attack: 'Hostage Taking (Kidnapping)',
  },
  {
    id: 'xcuegrenade',
    pattern: /\bgrenades?\b(?!\s*launcher)/i,
    sub: 'Grenade',
    attack: 'Bombing/Explosion',
  },
  {
    id: 'xcueied',
    pattern:
      /\b(?:IEDs?|landmines?|land\s+mines?|mines?\s+(?:blast|explosion)|roadside\s+bomb\w*|improvised\s+explosive|remote[\s-]controlled|magnetic\s+bomb|car\s+bomb\w*|planted\s+(?:a\s+)?bomb|bomb\s+(?:blast|explosion|exploded|went\s+off)|bombings?|blasts?|explosions?|explosives?\s+(?:laden|device)|detonat\w+)\b/i,
    sub: 'Remote explosive/landmine/IED',
    attack: 'Bombing/Explosion',
  },
  {
    id: 'xcueshelling',
    pattern:
      /\b(?:rockets?|mortars?|shell(?:s|ing|ed)|artillery|missiles?|RPGs?|grenade\s+launchers?|heavy\s+weapons)\b/i,
    sub: 'Shelling/artillery/missile attack',
    attack: 'Bombing/Explosion',
  },
  {
    id: 'xcuearson',
    pattern: /\b(?:set\s+(?:on\s+)?fire|set\s+ablaze|torched|arson|burnt|burned)\b/i,
    sub: 'Looting/property destruction',
    attack: 'Facility/Infrastructure Attack',
  },
  {
    id: 'xcueprotest',
    pattern: /\b(?:protest\w*|demonstrat\w+|rall(?:y|ies)|sit-in|march(?:ed)?)\b/i,
    sub: 'Peaceful protest',
    attack: 'Unknown',
  },
  { id: 'xcueriot', pattern: /\b(?:riot\w*|mob)\b/i, sub: 'Mob violence', attack: 'Unarmed Assault' },
  { id: 'xcuearrest', pattern: /\barrest\w*\b/i, sub: 'Arrests', attack: 'Unknown' },
  {
    id: 'xcuemerger',
    pattern: /\b(?:merg\w+|alliance|joined\s+forces|announced\s+the\s+formation)\b/i,
    sub: 'Change to group/activity',
    attack: 'Unknown',
  },
  {
    id: 'xcueassassination',
    pattern: /\b(?:assassinat\w+|target\s+killing|targeted\s+killing)\b/i,
    sub: 'Attack',
    attack: 'Assassination',
  },
  {
    id: 'xcuearmed',
    pattern:
      /\b(?:shot|opened\s+fire|fired|firing|gunmen|gunfight|gun\s+battle|clash\w*|exchange\s+of\s+fire|ambush\w*|attack\w*|assault\w*|raid\w*|massacre|siege|stormed|killed|snipers?|beheaded|stabbed)\b/i,
    sub: 'Armed clash',
    attack: 'Armed Assault',
  },
];

const SECURITY =
  /\b(?:soldiers?|troops|army|military|FC|Frontier\s+Corps|police\w*|levies|security\s+(?:forces|personnel|officials)|check\s*-?\s*posts?|outposts?|camps?|convoy|personnel|cantonment|base|officers?|sepoys?|jawans?|naval|airport|headquarters|CTD|Rangers|Coast\s+Guard|militia\w*|death\s+squad|pro-government|peace\s+committee|lashkar)\b/i;
const CIVILIAN =
  /\b(?:civilians?|labou?rers?|workers?|drivers?|passengers?|shopkeepers?|teachers?|students?|villagers?|residents?|locals?|informants?|traders?|women|children|family|tribal\s+elders?|journalists?|doctors?|engineers?|school|mosque|market|park|bus|hotel|worshippers?|pilgrims?|spy|spying|leader|worker)\b/i;

function subTypeToEventType(sub: string): AcledEventType | null {
  for (const [type, subs] of Object.entries(ACLED_TAXONOMY)) {
    if ((subs as readonly string[]).includes(sub)) return type as AcledEventType;
  }
  return null;
}

/** The text plus one token per cue that fires, so the model can weigh the rules' evidence too. */
export function withCueTokens(text: string): string {
  const tokens = CUES.filter((c) => c.pattern.test(text)).map((c) => c.id);
  const security = SECURITY.test(text) ? ' xcuesecurity' : '';
  const civilian = CIVILIAN.test(text) ? ' xcuecivilian' : '';
  const target = targetOf(text);
  const targetToken =
    target === 'security' ? ' xtargetsecurity' : target === 'civilian' ? ' xtargetcivilian' : '';
  return `${text} ${tokens.join(' ')}${security}${civilian}${targetToken}`;
}

/** The words right after the first attack verb: "opened fire on [construction workers]", "shot [a levies official]". */
const ATTACK_VERB =
  /\b(?:attacked|attacking|opened\s+fired?\s+(?:on|at)|fired\s+(?:on|at|upon)|shot(?:\s+dead|\s+and\s+killed)?|targeted|targeting|ambushed|killed|killing|abducted|kidnapped|hurled\s+\w+(?:\s+\w+)?\s+at|lobbed\s+\w+(?:\s+\w+)?\s+at|stormed|raided|on\s+the\s+(?:vehicle|house|residence|home)\s+of)\s+/i;

function targetOf(text: string): 'security' | 'civilian' | null {
  const verb = ATTACK_VERB.exec(text);
  if (!verb) return null;
  const window = text
    .slice(verb.index + verb[0].length)
    .split(/[,.;]/, 1)[0]!
    .split(/\s+/)
    .slice(0, 8)
    .join(' ');
  const security = SECURITY.exec(window);
  const civilian = CIVILIAN_TARGET.exec(window);
  if (civilian && (!security || civilian.index < security.index)) return 'civilian';
  if (security) return 'security';
  return civilian ? 'civilian' : null;
}

const CIVILIAN_TARGET =
  /\b(?:civilians?|labou?rers?|workers?|employees?|drivers?|passengers?|shopkeepers?|teachers?|students?|villagers?|residents?|locals?|informants?|traders?|women|children|family|elders?|journalists?|doctors?|engineers?|school|mosque|market|bus|hotel|person|people|man|men|youth|ministers?|leaders?|members?|candidates?|politicians?|crew|players|tanker|truck|house|residence|home|office|shop|tower|spy)\b/i;

/** Rules alone: the first decisive cue, with armed attacks split by target (security forces or civilians). */
export function classifyByRules(text: string, offset = 0): EventTypeGuess {
  for (const cue of CUES) {
    const m = cue.pattern.exec(text);
    if (!m) continue;
    let sub = cue.sub;
    let attack = cue.attack;
    if (sub === 'Armed clash') {
      const target = targetOf(text);
      const security = SECURITY.exec(text);
      const civilian = CIVILIAN.exec(text);
      if (target === 'civilian' || (!target && civilian && (!security || civilian.index < security.index)))
        sub = 'Attack';
      if (/\b(?:shot\s+dead|shot\s+and\s+killed|gunned\s+down)\b/i.test(text) && civilian && !security)
        attack = 'Assassination';
    }
    return {
      eventType: subTypeToEventType(sub),
      subEventType: sub,
      attackType: attack,
      cue: { start: offset + m.index, end: offset + m.index + m[0].length },
    };
  }
  return { eventType: null, subEventType: null, attackType: null, cue: null };
}

const FIREFIGHT =
  /\b(?:exchange\w*\s+(?:of\s+)?fire|fire\s+exchanged|exchanged\s+fire|clash\w*|gunfight|gun\s+battle|retaliat\w*|returned\s+fire|firing|opened\s+fire|fired\s+(?:at|on|upon)|snipers?|assault\s+(?:weapons|rifles)|heavy\s+weapons|automatic\s+weapons)\b/i;
const TWO_SIDED =
  /\b(?:exchange[sd]?\s+(?:of\s+)?fire|fire[\s-]exchange[sd]?|exchanged\s+fire|clash(?:ed|es)?|gunfights?|gun\s+battles?|retaliat\w*|returned\s+(?:the\s+)?fire|responded\s+(?:by\s+firing|with\s+fire)|engaged\s+(?:in\s+)?(?:a\s+)?(?:fire|gun))/i;
/** Any word for an explosive or its going off: without one, a passage tells of no bombing. */
const EXPLOSIVE_WORDS =
  /\b(?:bomb\w*|blasts?|explo\w+|IEDs?|improvised|device|detonat\w+|grenades?|rockets?|mortars?|missiles?|shell(?:s|ed|ing)|landmines?|mines?|suicide|dynamite|plant(?:ed)?|RCIED|VBIED|drone|air\s*strikes?|bl[eo]w\s+(?:\w+\s+)?up|blown\s+up)\b/i;

const EXPLOSIVE_CUES = CUES.filter(
  (c) => c.id === 'xcuegrenade' || c.id === 'xcueied' || c.id === 'xcueshelling',
);

const DECISIVE = new Set(['Air/drone strike']);
const MASSACRE = /\b(?:massacre[ds]?|massacring)\b/i;

/** The trained heads (scripts/train-event-type.ts): ACLED sub-event type and GTD attack type. */
export interface EventTypeModels {
  acledSubType?: TextClassifier | undefined;
  gtdAttackType?: TextClassifier | undefined;
}

/**
 * Rules plus the statistical model: the model decides when it is confident or no rule fires, a decisive
 * rule cue decides otherwise, so a passage unlike the training data still gets a sensible type.
 */
export function classifyEvent(
  text: string,
  models: EventTypeModels = {},
  offset = 0,
  threshold = 0.5,
): EventTypeGuess {
  const rules = classifyByRules(text, offset);
  const guess = { ...rules };
  // rare, unambiguous cues (a hijacking, a suicide bombing, an air strike) outrank a model that has seen few of them
  if (rules.cue && DECISIVE.has(rules.subEventType ?? '')) return guess;
  const featureSet =
    models.acledSubType || models.gtdAttackType ? new Set(features(withCueTokens(text))) : new Set<string>();
  if (models.acledSubType) {
    const ranked = predictHead(models.acledSubType, featureSet);
    const top = ranked[0];
    if (top && (top.probability >= threshold || !rules.subEventType) && rules.attackType !== 'Hijacking') {
      guess.subEventType = top.label;
      guess.eventType = subTypeToEventType(top.label);
    }
  }
  if (models.acledSubType && guess.subEventType === 'Armed clash' && !FIREFIGHT.test(text)) {
    // ACLED's definition: an explosive weapon used one-sidedly (no firefight) is remote violence, not a battle
    const explosive = EXPLOSIVE_CUES.find((c) => c.pattern.test(text));
    if (explosive) {
      guess.subEventType = explosive.sub;
      guess.eventType = subTypeToEventType(explosive.sub);
    }
  }
  if (guess.subEventType === 'Armed clash' && MASSACRE.test(text)) {
    // a massacre is one-sided by definition: the victims did not fight back (the model has seen none)
    guess.subEventType = 'Attack';
    guess.eventType = 'Violence against civilians';
  }
  if (
    models.acledSubType &&
    guess.eventType === 'Explosions/Remote violence' &&
    guess.subEventType !== 'Air/drone strike' &&
    TWO_SIDED.test(text)
  ) {
    // explosives used inside a firefight between armed groups: ACLED codes the battle
    guess.subEventType = 'Armed clash';
    guess.eventType = 'Battles';
  }
  if (models.gtdAttackType) {
    const [top] = predictHead(models.gtdAttackType, featureSet);
    // Most GTD Pakistan records are bombings, so the head leans that way; a passage that names no
    // explosive at all ("attacked a police post, killing two") keeps the rules' armed assault.
    const unfoundedBombing =
      top?.label === 'Bombing/Explosion' && rules.attackType !== null && !EXPLOSIVE_WORDS.test(text);
    if (
      top &&
      (top.probability >= threshold || !rules.attackType) &&
      rules.attackType !== 'Hijacking' &&
      !unfoundedBombing
    )
      guess.attackType = top.label;
  }
  return guess;
}
