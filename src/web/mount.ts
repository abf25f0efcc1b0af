import type { Hono } from 'hono';
import { defaultBoundaries } from './boundaries.ts';
import { type ClientBundle, clientBundle } from './bundle.ts';
import { dashboardHtml } from './page.ts';

/** No inline script, no third-party origin: data rendered as markup could not run even if it slipped through. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the dashboard at `/`: the page, its bundled script and styles, and the boundary polygons
 * the map draws (shipped with the project, so it works offline). The data comes from `/api`.
 * @example mountDashboard(app) // then GET / in a browser
 */
export function mountDashboard(app: Hono): void {
  // Bundle now, not on the first visit: the first page load then costs no build time.
  void clientBundle().catch(() => undefined);
  app.get('/', async (c) => {
    const bundle = await clientBundle();
    c.header('Content-Security-Policy', DASHBOARD_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(dashboardHtml(bundle.version));
  });
  const asset = (path: string, type: string, body: (bundle: ClientBundle) => string) =>
    app.get(path, async (c) => {
      const bundle = await clientBundle();
      c.header('Content-Type', type);
      // Versioned URLs never change content; an unversioned one must be revalidated.
      c.header(
        'Cache-Control',
        c.req.query('v') === bundle.version ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      return c.body(body(bundle));
    });
  asset('/assets/app.js', 'text/javascript; charset=utf-8', (b) => b.js);
  asset('/assets/app.css', 'text/css; charset=utf-8', (b) => b.css);
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/assets/boundaries.json', (c) => {
    const { districts, provinces } = defaultBoundaries();
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json({ districts, provinces });
  });
}
