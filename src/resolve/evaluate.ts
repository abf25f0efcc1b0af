import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Queryable } from '../store/contract.ts';

const GoldFile = z.object({
  pairs: z.array(z.object({ gtd: z.string(), suicideAttacks: z.number().int() })),
  ambiguous: z.array(z.object({ gtd: z.string(), suicideAttacks: z.number().int() })).default([]),
});

export const SUICIDE_ATTACKS_SOURCE = 'pakistan-suicide-attacks';

export interface GoldPairs {
  /** [record id A, record id B] of true pairs. */
  pairs: [string, string][];
  /** Pairs that are neither right nor wrong (one incident split across records by a source). */
  ambiguous: [string, string][];
}

/** Reads data/resolution/gold-pairs-2008.json into record-id pairs. */
export function readGoldPairs(path: string): GoldPairs {
  let parsed: z.infer<typeof GoldFile>;
  try {
    parsed = GoldFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`cannot read gold pairs ${path}: ${(error as Error).message}`, { cause: error });
  }
  const toIds = (p: { gtd: string; suicideAttacks: number }): [string, string] => [
    p.gtd,
    `${SUICIDE_ATTACKS_SOURCE}:${p.suicideAttacks}`,
  ];
  return { pairs: parsed.pairs.map(toIds), ambiguous: parsed.ambiguous.map(toIds) };
}

export interface LinkEvaluation {
  gold: number;
  predicted: number;
  truePositives: number;
  falsePositives: [string, string][];
  falseNegatives: [string, string][];
  ignoredAmbiguous: number;
  precision: number;
  recall: number;
}

const key = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Precision and recall of resolution's links between two sets of records (`left` × `right`), against
 * gold pairs: a predicted pair is any left and right record that share a resolved event.
 */
export async function evaluateLinks(
  db: Queryable,
  gold: GoldPairs,
  scope: { left: string; right: string },
): Promise<LinkEvaluation> {
  const rows = await db.query(
    `SELECT a.id AS a, b.id AS b
     FROM event_links la JOIN event_links lb ON la.resolved_id = lb.resolved_id
     JOIN events a ON a.id = la.record_id JOIN events b ON b.id = lb.record_id
     WHERE ${scope.left.replaceAll('e.', 'a.')} AND ${scope.right.replaceAll('e.', 'b.')}`,
  );
  const goldKeys = new Set(gold.pairs.map(([a, b]) => key(a, b)));
  const ambiguousKeys = new Set(gold.ambiguous.map(([a, b]) => key(a, b)));
  const predicted = new Set(rows.map((r) => key(String(r.a), String(r.b))));
  let truePositives = 0;
  let ignoredAmbiguous = 0;
  const falsePositives: [string, string][] = [];
  for (const k of predicted) {
    if (goldKeys.has(k)) truePositives++;
    else if (ambiguousKeys.has(k)) ignoredAmbiguous++;
    else falsePositives.push(k.split('\u0000') as [string, string]);
  }
  const falseNegatives = gold.pairs.filter(([a, b]) => !predicted.has(key(a, b)));
  const judged = truePositives + falsePositives.length;
  return {
    gold: gold.pairs.length,
    predicted: predicted.size,
    truePositives,
    falsePositives,
    falseNegatives,
    ignoredAmbiguous,
    precision: judged === 0 ? Number.NaN : truePositives / judged,
    recall: gold.pairs.length === 0 ? Number.NaN : truePositives / gold.pairs.length,
  };
}

/** The evaluation scope of the 2008 gold set: GTD suicide attacks × the compilation's 2008 rows. */
export const GOLD_2008_SCOPE = {
  left: "e.source = 'gtd' AND e.suicide AND e.event_date BETWEEN CAST('2008-01-01' AS DATE) AND CAST('2008-12-31' AS DATE)",
  right: `e.source = '${SUICIDE_ATTACKS_SOURCE}' AND e.event_date BETWEEN CAST('2008-01-01' AS DATE) AND CAST('2008-12-31' AS DATE)`,
};
