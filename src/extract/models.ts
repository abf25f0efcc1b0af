import { z } from 'zod';
import { LinearModel } from './linear-model.ts';
import { NaiveBayesModel, predictNaiveBayes } from './naive-bayes.ts';

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
