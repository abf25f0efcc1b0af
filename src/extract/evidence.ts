import type { ExtractionResult, Span } from '../schema/extraction.ts';

/**
 * What is wrong with a result's evidence: every span (events and their fields, relations, claims,
 * sites) must lie inside the text and slice back to something that is not blank. Empty when all is well.
 */
export function evidenceProblems(text: string, result: ExtractionResult): string[] {
  const problems: string[] = [];
  const check = (where: string, span: Span) => {
    if (span.start < 0 || span.end > text.length || span.end <= span.start)
      problems.push(`${where}: span ${span.start}-${span.end} out of range`);
    else if (text.slice(span.start, span.end).trim() === '')
      problems.push(`${where}: span ${span.start}-${span.end} is blank`);
  };
  result.events.forEach((e, i) => {
    check(`events[${i}]`, e.span);
    for (const [field, span] of Object.entries(e.evidence)) check(`events[${i}].${field}`, span);
  });
  for (const [i, r] of result.relations.entries()) check(`relations[${i}]`, r.evidence);
  for (const [i, c] of result.claims.entries()) check(`claims[${i}]`, c.evidence);
  for (const [i, s] of result.sites.entries()) check(`sites[${i}]`, s.evidence);
  return problems;
}
