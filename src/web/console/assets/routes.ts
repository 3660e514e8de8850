import type { FastifyInstance } from 'fastify';
import { chartJsSource } from '../../analytics-charts/chart-library.js';
import { consolePageScript } from '../../analytics-charts/draw-script.js';
import { formsScript } from '../forms/script.js';
import { consoleCss } from './styles.js';

const faviconSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" ' +
  'rx="3" fill="#1f3a93"/><path d="M7 3h2v10H7z" fill="#fff"/></svg>';

/**
 * The console's static files, from our own origin (the pages' CSP allows no other): chart.js,
 * our plot-drawing script, the forms script, the stylesheet and an icon (browsers ask for one; answering it keeps
 * every request of a page 2xx). Public: they hold no data.
 */
export function registerConsoleAssets(scope: FastifyInstance): void {
  const asset = (path: string, type: string, body: () => string) =>
    scope.get(path, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .header('Cache-Control', 'public, max-age=3600')
        .header('X-Content-Type-Options', 'nosniff')
        .type(type)
        .send(body()),
    );
  asset('/console/assets/chart.umd.min.js', 'text/javascript; charset=utf-8', chartJsSource);
  asset('/console/assets/console.js', 'text/javascript; charset=utf-8', () => consolePageScript);
  asset('/console/assets/console-forms.js', 'text/javascript; charset=utf-8', () => formsScript);
  asset('/console/assets/console.css', 'text/css; charset=utf-8', () => consoleCss);
  asset('/console/assets/favicon.svg', 'image/svg+xml', () => faviconSvg);
}
