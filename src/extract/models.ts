import { z } from 'zod';
import { LinearModel } from './linear-model.ts';
import { NaiveBayesModel, predictNaiveBayes } from './naive-bayes.ts';
import { canonicalAdmin1 } from './places/admin-names.ts';

/**
 * The trained parts of extraction, as written by scripts/train-extraction.ts. Every head is token
 * counts per label (see naive-bayes.ts); `actorMap` maps a registry actor id to the label coders
 * used for it in the training data (e.g. "Taliban" in Pakistani reports → TTP).
 */
export const ExtractionModelsFile = z.object({
  provenance: z.string().optional(),
  acledSubType: z.union([LinearModel, NaiveBayesModel]).optional(),
  gtdAttackType: z.union([LinearModel, NaiveBayesModel]).optional(),
  /** Who coders named as actor1 when the text names no group (label per training text). */
  actorFallback: NaiveBayesModel.optional(),
  /**
   * Provinces (canonical names) the fallback's training texts came from. Coders' guesses are regional
   * (ACLED codes unnamed gunmen in Balochistan as Baloch Separatists): elsewhere the fallback stays silent.
   */
  actorFallbackAdmin1: z.array(z.string()).optional(),
  actorMap: z.record(z.string(), z.string()).optional(),
});
export type ExtractionModels = z.infer<typeof ExtractionModelsFile>;

/** The fallback actor when the text names no group, or null when the model is unsure or absent. */
export function predictActorFallback(
  models: ExtractionModels,
  passage: string,
  saysUnidentified: boolean,
): string | null {
  if (!models.actorFallback) return null;
  const [top] = predictNaiveBayes(
    models.actorFallback,
    passage,
    saysUnidentified ? ['ACTOR:unidentified'] : ['ACTOR:none'],
  );
  return top && top.probability >= 0.5 ? top.label : null;
}

/**
 * Whether a learned `actorMap` label may stand for a mention of `actor`: only when it names the same
 * kind of actor. Coders' labels are learned from the actor the text names first, which is often the
 * target ("militants attacked an FC post" was coded as Baloch Separatists): such a label must not turn
 * a state force into a rebel group wherever it is mentioned.
 *
 * @example mapsToSameKind({ kind: 'state forces' }, registry.resolve('Baloch Separatists (Pakistan)')) // false
 */
export function mapsToSameKind(
  actor: { kind: string | null },
  label: { kind: string | null } | null,
): boolean {
  return label === null || label.kind === null || actor.kind === null || label.kind === actor.kind;
}

/**
 * Whether the actor fallback may speak for an event placed in `admin1`: only in a province its training
 * texts came from (any province for a model that does not record them).
 *
 * @example fallbackCovers({ actorFallbackAdmin1: ['Balochistan'] }, 'Punjab') // false
 */
export function fallbackCovers(models: ExtractionModels, admin1: string | null): boolean {
  const provinces = models.actorFallbackAdmin1;
  if (!provinces) return true;
  const province = canonicalAdmin1(admin1);
  return province !== null && provinces.includes(province);
}
