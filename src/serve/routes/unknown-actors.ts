import type { MiddlewareHandler } from 'hono';
import { memoised } from '../../analyse/memo.ts';
import { unknownActors } from '../../cli/unknown-actors.ts';
import type { Store } from '../../store/contract.ts';

/** One line per `actor` the store does not know, as the CLI prints it on stderr. */
export interface ActorWarning {
  path: 'actor';
  name: string;
  suggestion: string | null;
  message: string;
}

/**
 * For any API question with an `actor` parameter: when a name matches no actor, alias or name as written
 * in the store, a JSON answer gains `warnings: [{path: 'actor', name, suggestion, message}]` (a GeoJSON
 * answer too, as a foreign member). Without it a misspelt actor gives an empty answer that reads as "no
 * events"; the answer itself is unchanged, as the CLI still prints its answer under its stderr warning.
 * Registered before the question routes (Hono runs handlers in registration order); the response cache
 * sits outside it, so a cached answer carries its warnings.
 *
 * @example GET /api/events?actor=BLAA → {events: [], nextCursor: null, warnings: [{…, suggestion: 'BLA'}]}
 */
export function unknownActorWarnings(store: Store): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.method !== 'GET' || c.res.status !== 200) return;
    const names = c.req
      .queries('actor')
      ?.map((n) => n.trim())
      .filter(Boolean);
    if (!names?.length) return;
    if (!/json/.test(c.res.headers.get('content-type') ?? '')) return;
    // asked with every dashboard panel's request: remembered until the events change (actors and their
    // aliases are written by the ingests that write events)
    const unknown = await memoised(store, `unknown-actors:${JSON.stringify(names)}`, () =>
      unknownActors(store, names),
    );
    if (!unknown.length) return;
    const body: unknown = await c.res.clone().json();
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
    const warnings: ActorWarning[] = unknown.map(({ name, suggestion }) => ({
      path: 'actor',
      name,
      suggestion,
      message: `"${name}" matches no actor in the store${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; GET /api/actors lists them`,
    }));
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = undefined;
    c.res = new Response(JSON.stringify({ ...body, warnings }), { status: 200, headers });
  };
}
