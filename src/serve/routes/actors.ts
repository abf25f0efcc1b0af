import { createRoute, z } from '@hono/zod-openapi';
import { ActorGroup, listActorGroups, saveActorGroup } from '../../analyse/actor-groups.ts';
import { actorCatalogue, addMerger } from '../../analyse/actors.ts';
import type { Api, RouteDeps } from '../app.ts';
import { errorResponses, IsoDate, intParam } from '../query.ts';

const GroupBody = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    homeAdmin1: z.array(z.string()),
    aliases: z.array(z.string()),
    members: z.array(z.string()),
    builtin: z.boolean(),
  })
  .openapi('ActorGroup');

const Merger = z.object({
  into: z.string(),
  member: z.string(),
  date: z.string(),
  evidence: z.string().nullable(),
});

const ActorsResponse = z
  .object({
    actors: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.string().nullable(),
        aliases: z.array(z.string()),
        events: z.number(),
        first: z.string().nullable(),
        last: z.string().nullable(),
        groups: z.array(z.string()),
        mergedInto: z.array(z.object({ into: z.string(), date: z.string() })),
        mergedFrom: z.array(z.object({ member: z.string(), date: z.string() })),
        canonical: z.boolean(),
      }),
    ),
    groups: z.array(GroupBody),
    mergers: z.array(Merger),
  })
  .openapi('Actors');

const bearer = [{ bearer: [] as string[] }];

export function registerActorRoutes(app: Api, { store, requireToken }: RouteDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/actors',
      summary: 'Canonical actors with aliases, activity, groups and dated mergers',
      request: {
        query: z
          .object({
            search: z.string().max(200).optional().openapi({ description: 'part of a name or alias' }),
            limit: intParam(1, 5000, 'default 500'),
          })
          .strict(),
      },
      responses: {
        200: { content: { 'application/json': { schema: ActorsResponse } }, description: 'actors' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(
        await actorCatalogue(store, {
          ...(q.search ? { search: q.search } : {}),
          ...(q.limit ? { limit: q.limit } : {}),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/actor-groups',
      summary: 'Actor groups (stored and shipped defaults)',
      request: { query: z.object({}).strict() },
      responses: {
        200: {
          content: { 'application/json': { schema: z.object({ groups: z.array(GroupBody) }) } },
          description: 'groups',
        },
        ...errorResponses,
      },
    }),
    async (c) => c.json({ groups: await listActorGroups(store) }, 200),
  );

  app.use('/api/actor-groups', async (c, next) => (c.req.method === 'POST' ? requireToken(c, next) : next()));
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/actor-groups',
      summary: 'Create or replace an actor group (needs the bearer token)',
      security: bearer,
      request: {
        body: {
          content: { 'application/json': { schema: ActorGroup.omit({ builtin: true }).strict() } },
          required: true,
        },
      },
      responses: {
        201: { content: { 'application/json': { schema: GroupBody } }, description: 'saved' },
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      await saveActorGroup(store, body);
      return c.json({ ...body, builtin: false }, 201);
    },
  );

  app.use('/api/actor-mergers', async (c, next) =>
    c.req.method === 'POST' ? requireToken(c, next) : next(),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/actor-mergers',
      summary: 'Record a dated merger: members count as `into` from `date` on (needs the bearer token)',
      security: bearer,
      request: {
        body: {
          content: {
            'application/json': {
              schema: z
                .object({
                  into: z.string().min(1).max(200),
                  members: z.array(z.string().min(1).max(200)).min(1).max(100),
                  date: IsoDate,
                  evidence: z.string().max(2000).nullable().optional(),
                })
                .strict(),
            },
          },
          required: true,
        },
      },
      responses: {
        201: {
          content: { 'application/json': { schema: z.object({ mergers: z.array(Merger) }) } },
          description: 'saved',
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const mergers = await addMerger(store, {
        into: body.into,
        members: body.members,
        date: body.date,
        evidence: body.evidence ?? null,
      });
      return c.json({ mergers }, 201);
    },
  );
}
