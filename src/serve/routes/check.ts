import { createRoute, z } from '@hono/zod-openapi';
import { CLAIM_METRICS, Claim, checkClaim, parseClaim } from '../../analyse/claim-check.ts';
import { CoverageSchema } from '../../analyse/coverage.ts';
import { resolveFilter } from '../../analyse/filter.ts';
import type { Api, RouteDeps } from '../app.ts';
import { BadRequest, errorResponses, FILTER_QUERY, filterFromQuery, intParam, pickFilter } from '../query.ts';

const Figure = z.object({
  label: z.string(),
  from: z.string(),
  to: z.string(),
  value: z.number(),
  covered: z.number(),
  complete: z.boolean(),
});

const RankedActor = z.object({
  actor: z.string(),
  name: z.string(),
  value: z.number(),
  claimed: z.boolean(),
});

const CheckResponse = z
  .object({
    kind: z.enum(['change', 'ranking']),
    claim: z.object({
      kind: z.enum(['change', 'ranking']),
      text: z.string().nullable(),
      metric: z.enum(CLAIM_METRICS),
      actors: z.array(z.string()),
      from: z.string(),
      to: z.string(),
      changePct: z.number().nullable(),
      source: z.string().nullable(),
    }),
    verdict: z.enum(['consistent', 'inconsistent', 'not enough data']),
    explanation: z.string(),
    definition: z.string(),
    resolvedActors: z.object({
      names: z.array(z.string()),
      ids: z.array(z.string()),
      groups: z.array(z.string()),
    }),
    /** A change's two periods; a ranking's one, with the claimed actor's figure. */
    periods: z.union([z.tuple([Figure, Figure]), z.tuple([Figure])]),
    ranking: z
      .object({
        rank: z.number().int().nullable(),
        actorsRanked: z.number().int(),
        leader: RankedActor.nullable(),
        top: z.array(RankedActor),
      })
      .optional()
      .openapi({ description: 'ranking claims only ("the deadliest group in 2024"): the top 5 initiators' }),
    computedChangePct: z.number().nullable(),
    likeForLike: z
      .object({ from: Figure, to: Figure, changePct: z.number().nullable(), verdict: z.string() })
      .nullable(),
    alternatives: z.array(
      z.object({
        definition: z.string(),
        from: z.number(),
        to: z.number(),
        changePct: z.number().nullable(),
      }),
    ),
    coverage: CoverageSchema.extend({ admin1: z.array(z.string()) }),
    caveats: z.array(z.string()),
    tolerance: z.object({ percentagePoints: z.number(), relative: z.number() }),
  })
  .openapi('ClaimCheck');

/**
 * The claim schema's period pattern lets any two digits through as a month; "2023-13" then reached the
 * database as a date it refused (a 500). Months are checked here, where the body is validated.
 */
const ClaimBody = Claim.strict().superRefine((claim, ctx) => {
  for (const key of ['from', 'to'] as const) {
    const month = /^\d{4}-(\d{2})$/.exec(claim[key])?.[1];
    if (month && (Number(month) < 1 || Number(month) > 12))
      ctx.addIssue({ code: 'custom', path: [key], message: `no month ${month}: months run from 01 to 12` });
  }
});

const CHECK_RESPONSES = {
  200: { content: { 'application/json': { schema: CheckResponse } }, description: 'verdict with figures' },
  ...errorResponses,
} as const;

export function registerCheckRoutes(app: Api, { store }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/check',
      summary: 'Check a claim written as a sentence against the store',
      request: {
        query: z
          .object({
            ...FILTER_QUERY,
            claim: z.string().min(5).max(2000).openapi({
              description:
                'e.g. "attacks by Baloch groups rose 119% between 2023 and 2024" or "TTP was the deadliest group in 2024"',
            }),
            reference_year: intParam(
              1900,
              2200,
              'the year "last year" is counted from (the text\'s publication year)',
            ),
          })
          .strict(),
      },
      responses: CHECK_RESPONSES,
    }),
    async (c) => {
      const q = c.req.valid('query');
      const claim = await parseClaim(
        store,
        q.claim,
        q.reference_year ? { referenceYear: q.reference_year } : {},
      );
      const { filter } = await resolveFilter(store, filterFromQuery(pickFilter(q)));
      return c.json(await checkClaim(store, claim, filter), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/check',
      summary: 'Check a structured claim (as text extraction produces it); reads only, needs no token',
      request: { body: { content: { 'application/json': { schema: ClaimBody } }, required: true } },
      responses: CHECK_RESPONSES,
    }),
    async (c) => {
      const claim = c.req.valid('json');
      if (claim.from > claim.to)
        throw new BadRequest('invalid claim', [{ path: 'from', message: 'from is after to' }]);
      return c.json(await checkClaim(store, claim), 200);
    },
  );
}
