import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  RESOURCE_MIME_TYPE,
  registerAppResource,
  registerAppTool,
} from '@modelcontextprotocol/ext-apps/server';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { SellerAnalytics } from '../modules/seller-analytics/index.js';
import { analyticsCharts } from '../web/analytics-charts/charts.js';
import { chartJsSource } from '../web/analytics-charts/chart-library.js';
import { drawScript } from '../web/analytics-charts/draw-script.js';
import { type Caller, dispatch } from './dispatch.js';
import type { FastifyInstance } from 'fastify';

/**
 * Seller analytics as an MCP App (@modelcontextprotocol/ext-apps): the tool `seller_analytics`
 * answers GET /api/v2/storefront/seller-analytics through the REST route (same key, scoping,
 * limits and envelope), with the payload and its plot series as structuredContent; its
 * `_meta.ui.resourceUri` points hosts at the `ui://` resource below, a self-contained HTML
 * view that draws the same four plots with chart.js and shows their tables.
 *
 * The view is one HTML document with everything inline (chart.js, our drawing script and the
 * ext-apps App class): hosts render it in a sandboxed iframe whose CSP allows inline script
 * but no network by default, so nothing is fetched from elsewhere.
 */
export const analyticsAppUri = 'ui://interchange/seller-analytics.html';
export const analyticsToolName = 'seller_analytics';

export interface AnalyticsAppResult {
  analytics: SellerAnalytics;
  charts: ReturnType<typeof analyticsCharts>;
}

export function registerAnalyticsApp(
  server: McpServer,
  /** `callerOf` reads the request's caller from the tool call (servers are pooled). */
  context: { app: FastifyInstance; callerOf: (extra: { authInfo?: AuthInfo }) => Caller },
): void {
  registerAppResource(
    server,
    'Seller analytics',
    analyticsAppUri,
    {
      description:
        'Interactive view of the seller_analytics tool result: win rate and booked budget by ' +
        'month, ask-to-book funnel, top buyers and top surfaced products, each with its table.',
    },
    async () => ({
      contents: [{ uri: analyticsAppUri, mimeType: RESOURCE_MIME_TYPE, text: analyticsAppHtml() }],
    }),
  );

  registerAppTool(
    server,
    analyticsToolName,
    {
      title: 'Seller analytics',
      description:
        'Your storefront’s seller analytics over the most recent discovery runs (same payload as ' +
        'GET /api/v2/storefront/seller-analytics): run mix, asks, attributed outcomes, buyers, ' +
        'seasonality, postures and recommendations. Hosts that support MCP Apps show it as ' +
        'plots. structuredContent: {analytics: <payload>, charts: <plot series>}.',
      inputSchema: {
        limit: z
          .number()
          .int()
          .min(1)
          .max(200)
          .optional()
          .describe('How many of the most recent discovery runs to aggregate over (default 100)'),
      },
      annotations: { readOnlyHint: true },
      _meta: { ui: { resourceUri: analyticsAppUri } },
    },
    async ({ limit }, extra) => {
      const result = await dispatch(context.app, context.callerOf(extra), {
        method: 'GET',
        path: '/api/v2/storefront/seller-analytics',
        ...(limit !== undefined && { query: { limit } }),
      });
      if (result.isError) return result;
      const text = (result.content[0] as { text: string }).text;
      const analytics = (JSON.parse(text) as { data: SellerAnalytics }).data;
      const structured: AnalyticsAppResult = { analytics, charts: analyticsCharts(analytics) };
      return { ...result, structuredContent: { ...structured } };
    },
  );
}

let html: string | undefined;

/** The view's HTML, built once. */
export function analyticsAppHtml(): string {
  html ??= `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Seller analytics</title>
<style>${viewCss}</style></head>
<body><main>
<h1 id="title">Seller analytics</h1>
<p id="status" role="status">Waiting for the seller_analytics result…</p>
<div id="charts"></div>
</main>
<script>${inline(chartJsSource())}</script>
<script>${inline(drawScript)}</script>
<script type="module">${inline(extAppsModule())}
${viewScript}
</script>
</body></html>`;
  return html;
}

/**
 * ext-apps' self-contained browser build ends in one `export{…}` list; an inline module cannot
 * be imported from, so that list becomes a local binding of the App class the view uses.
 */
function extAppsModule(): string {
  const path = createRequire(import.meta.url).resolve(
    '@modelcontextprotocol/ext-apps/app-with-deps',
  );
  const source = readFileSync(path, 'utf8');
  const exportList = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(source);
  const local = exportList?.[1]
    ?.split(',')
    .map((entry) => entry.trim().split(/\s+as\s+/))
    .find(([, exported]) => exported === 'App')?.[0];
  if (!exportList || !local) throw new Error('ext-apps browser build: no App export found');
  return `${source.slice(0, exportList.index)}\nconst McpApp = ${local};`;
}

function inline(script: string): string {
  // Nothing inlined may close its <script> element early.
  if (/<\/script/i.test(script)) throw new Error('inline script contains </script');
  return script;
}

const viewScript = `
const status = document.getElementById('status');
const title = document.getElementById('title');
const container = document.getElementById('charts');
function percent(v) { return v === null ? '—' : (v * 100).toFixed(1) + '%'; }
function render(result) {
  const content = result && result.structuredContent;
  if (result && result.isError) {
    status.textContent = 'The analytics could not be read: ' +
      ((result.content && result.content[0] && result.content[0].text) || 'unknown error');
    return;
  }
  if (!content || !content.analytics || !Array.isArray(content.charts)) {
    status.textContent = 'The tool result holds no analytics.';
    return;
  }
  const a = content.analytics;
  if (a.storefront) title.textContent = 'Seller analytics · ' + a.storefront.name;
  const h = a.historicalPerformance;
  status.textContent = a.window.runCount + ' discovery runs; win rate ' + percent(h.winRate) +
    '; ask-to-book ' + percent(h.askToBookConversionRate) + '; booked budget ' +
    a.outcomes.bookedBudget + '.';
  window.InterchangeCharts.build(container, content.charts);
}
const app = new McpApp({ name: 'Interchange seller analytics', version: '1.0.0' });
app.ontoolresult = render;
await app.connect();
`;

const viewCss = `
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff}
main{padding:12px 16px}h1{font-size:1.3rem;margin:0 0 8px}h2{font-size:1.1rem;margin:16px 0 4px}
.summary,.empty{color:#4b5563}.chart-box{position:relative;height:260px}
table{border-collapse:collapse;width:100%;margin:8px 0}caption{text-align:left;font-weight:600}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #d1d5db}thead th{background:#eef1f6}
`;
