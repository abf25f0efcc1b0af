import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { ClaimParseError } from '../analyse/claim-check.ts';
import { UnknownGroupError } from '../analyse/filter.ts';
import type { Store } from '../store/contract.ts';
import { mountDashboard } from '../web/mount.ts';
import { responseCache } from './cache.ts';
import { BadRequest } from './query.ts';
import { rejectNul } from './reject-nul.ts';
import { registerActorRoutes } from './routes/actors.ts';
import { registerCheckRoutes } from './routes/check.ts';
import { registerDistrictRoutes } from './routes/districts.ts';
import { registerDocumentRoutes } from './routes/documents.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerForecastRoutes } from './routes/forecast.ts';
import { registerMetaRoutes } from './routes/meta.ts';
import { registerQuestionRoutes } from './routes/questions.ts';
import { registerSiteRoutes } from './routes/sites.ts';

export interface AppOptions {
  /** Bearer token that writing endpoints require; without one the API is read-only. */
  writeToken?: string | undefined;
  /** Largest request body accepted, in bytes (default 1 MiB: a site polygon fits, a flood does not). */
  maxBodyBytes?: number;
  /** Cache GET answers until the data change (default true); see ./cache.ts. */
  cache?: boolean;
}

export type Api = OpenAPIHono;

export interface RouteDeps {
  store: Store;
  /** Middleware that lets a request through only with the start-up token. */
  requireToken: MiddlewareHandler;
}

const issuesOf = (error: ZodError) =>
  error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

/** Turns known failures into 4xx JSON; anything else is a server fault, reported without internals. */
function errorResponse(error: unknown, c: Context): Response {
  if (error instanceof BadRequest) return c.json({ error: error.message, details: error.details }, 400);
  if (error instanceof ZodError) return c.json({ error: 'invalid request', details: issuesOf(error) }, 400);
  if (error instanceof UnknownGroupError) {
    return c.json({ error: error.message, details: [{ path: 'group', message: error.message }] }, 400);
  }
  if (error instanceof ClaimParseError) {
    return c.json({ error: error.message, details: [{ path: 'claim', message: error.message }] }, 400);
  }
  if (error instanceof Error && /^invalid cursor/.test(error.message)) {
    return c.json(
      { error: error.message, details: [{ path: 'cursor', message: 'not a cursor this API issued' }] },
      400,
    );
  }
  if (error instanceof HTTPException && error.status === 415) {
    // the route validator's bare "Unsupported Media Type" left `curl -d '{…}'` (form data) users guessing
    const sent = c.req.header('content-type') ?? 'none';
    return c.json(
      {
        error: 'send the body as JSON, with the header Content-Type: application/json',
        details: [{ path: 'content-type', message: `got ${sent.slice(0, 100)}` }],
      },
      415,
    );
  }
  if (error instanceof HTTPException) {
    return c.json({ error: error.message || 'request refused', details: [] }, error.status);
  }
  if (error instanceof SyntaxError) return c.json({ error: 'malformed JSON body', details: [] }, 400);
  process.stderr.write(
    `sitrep serve: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return c.json({ error: 'internal error', details: [] }, 500);
}

/** A route's path (`/api/sites/:id`, `/api/*`) as a pattern matching the paths it answers. */
function routePattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) =>
      part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}$`);
}

/** The methods the app's routes answer on `path` (HEAD wherever GET), for a 405's `Allow` header. */
function allowedMethods(app: Api, path: string): string[] {
  const methods = new Set<string>();
  // `ALL` entries are middleware (cache, token checks), not endpoints.
  for (const route of app.routes) {
    if (route.method !== 'ALL' && routePattern(route.path).test(path)) methods.add(route.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * The HTTP API over a store: every request validated with zod, described at /openapi.json.
 *
 * @example serve({ fetch: createApp(store, { writeToken: process.env.SITREP_TOKEN }).fetch, port: 8080 })
 */
export function createApp(store: Store, options: AppOptions = {}): Api {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json({ error: `invalid ${result.target}`, details: issuesOf(result.error) }, 400);
      }
      return undefined;
    },
  });
  const maxSize = options.maxBodyBytes ?? 1024 * 1024;
  app.use(
    '/api/*',
    bodyLimit({
      maxSize,
      onError: (c) => c.json({ error: `request body larger than ${maxSize} bytes`, details: [] }, 413),
    }),
  );
  app.use('/api/*', rejectNul);
  if (options.cache !== false) app.use('/api/*', responseCache(store).middleware);
  app.onError(errorResponse);
  app.notFound((c) => {
    // A known path asked with the wrong method is a 405 naming the methods it takes, not "no such endpoint".
    const allow = allowedMethods(app, c.req.path);
    if (allow.length) {
      c.header('Allow', allow.join(', '));
      return c.json(
        {
          error: `${c.req.method} is not allowed on ${c.req.path}: use ${allow.join(', ')}`,
          details: [{ path: 'method', message: `allowed: ${allow.join(', ')}` }],
        },
        405,
      );
    }
    return c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}`, details: [] }, 404);
  });

  const token = options.writeToken;
  const requireToken: MiddlewareHandler = async (c, next) => {
    if (!token) {
      return c.json(
        {
          error: 'this server is read-only: start it with --token (or SITREP_TOKEN) to allow writes',
          details: [],
        },
        403,
      );
    }
    const given = c.req.header('authorization');
    if (given !== `Bearer ${token}`) {
      return c.json(
        {
          error: 'missing or wrong bearer token',
          details: [{ path: 'authorization', message: 'expected "Bearer <token>"' }],
        },
        401,
      );
    }
    await next();
  };
  const deps: RouteDeps = { store, requireToken };

  registerMetaRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerQuestionRoutes(app, deps);
  registerActorRoutes(app, deps);
  registerSiteRoutes(app, deps);
  registerCheckRoutes(app, deps);
  registerDistrictRoutes(app, deps);
  registerDocumentRoutes(app, deps);
  // Forecasts: the resolution/forecast stage's route (src/serve/routes/forecast.ts).
  registerForecastRoutes(app, deps);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sitrep API',
      version: '0.1.0',
      description:
        'Conflict-event questions over HTTP. Read-only unless the server was started with a token; writing endpoints need `Authorization: Bearer <token>`. Errors are JSON `{error, details}`.',
    },
  });
  // The dashboard: its page and assets at `/`, a client of the endpoints above.
  mountDashboard(app as unknown as Hono);
  return app;
}
