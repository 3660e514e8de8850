import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsAppUri } from '../../src/mcp/analytics-app.js';
import { listen } from '../agents/storefront-agent-support.js';
import { launchBrowser } from '../support/browser.js';
import { createHarness, type Harness } from '../harness.js';
import { type ConsoleFixture, seedConsole } from '../web/console-fixture.js';
import { mcpClient } from './mcp-support.js';

/**
 * The seller analytics as an MCP App on the storefront MCP server: the official MCP client
 * lists and reads the ui:// resource and calls the linked tool; the view, rendered by a
 * minimal host speaking the MCP Apps postMessage protocol, draws the plots from the result.
 */
let h: Harness;
let f: ConsoleFixture;
let baseUrl: string;

beforeAll(async () => {
  h = await createHarness();
  f = await seedConsole(h);
  baseUrl = await listen(h);
});
afterAll(() => h.close());

type ToolResult = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

async function callAnalytics(key: string, args: Record<string, unknown> = {}) {
  const agent = await mcpClient(baseUrl, 'storefront', key);
  try {
    return (await agent.client.callTool({
      name: 'seller_analytics',
      arguments: args,
    })) as ToolResult;
  } finally {
    await agent.close();
  }
}

describe('the seller analytics MCP App', () => {
  it('lists and reads the ui:// resource as an MCP App view, with chart.js inline', async () => {
    const agent = await mcpClient(baseUrl, 'storefront', f.seller.key);
    const { resources } = await agent.client.listResources();
    const listed = resources.find((r) => r.uri === analyticsAppUri);
    expect(listed).toMatchObject({ name: 'Seller analytics', mimeType: RESOURCE_MIME_TYPE });
    const read = await agent.client.readResource({ uri: analyticsAppUri });
    const content = read.contents[0] as { uri: string; mimeType: string; text: string };
    expect(content.uri).toBe(analyticsAppUri);
    expect(content.mimeType).toBe('text/html;profile=mcp-app');
    expect(content.text).toMatch(/^<!doctype html>/);
    expect(content.text).toContain('Chart.js v4.6.1');
    // Self-contained: no script, style or image is loaded from anywhere.
    expect(content.text).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img/);
    const tool = (await agent.client.listTools()).tools.find((t) => t.name === 'seller_analytics');
    expect(tool?._meta).toMatchObject({ ui: { resourceUri: analyticsAppUri } });
    expect(tool?.annotations?.readOnlyHint).toBe(true);
    await agent.close();
  });

  it('returns the REST payload, and the plot series, from the tool', async () => {
    const result = await callAnalytics(f.seller.key, { limit: 50 });
    expect(result.isError).toBeFalsy();
    const rest = await h.call('GET', '/api/v2/storefront/seller-analytics?limit=50', {
      key: f.seller.key,
    });
    const { generatedAt: _a, ...expected } = rest.body.data;
    const analytics = result.structuredContent!.analytics as Record<string, unknown>;
    const { generatedAt: _b, ...actual } = analytics;
    expect(actual).toEqual(expected);
    expect(analytics.window).toMatchObject({ requestedRunLimit: 50, runCount: 3 });
    // The text content is the REST envelope, as for every tool of this server.
    expect(JSON.parse(result.content[0]!.text).data.window.runCount).toBe(3);
    const charts = result.structuredContent!.charts as { id: string; labels: string[] }[];
    expect(charts.map((c) => c.id)).toEqual(['by-month', 'funnel', 'top-buyers', 'top-products']);
    expect(charts[3]!.labels.sort()).toEqual(['p-news', 'p-sports']);
  });

  it("shows only the caller's storefront, refuses bad input, and is absent for buyers", async () => {
    const other = await callAnalytics(f.other.key);
    expect(JSON.stringify(other.structuredContent)).toContain('secretbrand.example');
    expect(JSON.stringify(other.structuredContent)).not.toContain('acme.example');
    const mine = await callAnalytics(f.seller.key);
    expect(JSON.stringify(mine.structuredContent)).not.toContain('secretbrand.example');

    const bad = await callAnalytics(f.seller.key, { limit: 500 });
    expect(bad.isError).toBe(true);

    const buyer = await mcpClient(baseUrl, 'buyer', f.buyer.key);
    expect((await buyer.client.listTools()).tools.map((t) => t.name)).not.toContain(
      'seller_analytics',
    );
    await buyer.close();
    const buyerOnStorefront = await callAnalytics(f.buyer.key);
    expect(buyerOnStorefront.isError).toBe(true);
    expect(buyerOnStorefront.content[0]!.text).toContain('CUSTOMER_ROLE_DENIED');
  });
});

describe('the MCP App view in a host', () => {
  let browser: Browser;
  let host: Server;

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => host?.close(r));
  });

  it('initializes with the host, receives the tool result and draws the four plots', async () => {
    const agent = await mcpClient(baseUrl, 'storefront', f.seller.key);
    const view = (await agent.client.readResource({ uri: analyticsAppUri })).contents[0] as {
      text: string;
    };
    const result = await agent.client.callTool({ name: 'seller_analytics', arguments: {} });
    await agent.close();

    // A minimal host: the view in a sandboxed iframe; it answers ui/initialize, then sends the
    // tool result once the view says it is initialized (MCP Apps 2026-01-26, JSON-RPC over
    // postMessage).
    const hostPage = `<!doctype html><html><body>
<iframe id="view" sandbox="allow-scripts" style="width:1000px;height:2600px;border:0"></iframe>
<script>
const frame = document.getElementById('view');
const result = ${JSON.stringify(result).replace(/</g, '\\u003c')};
window.hostLog = [];
window.addEventListener('message', (event) => {
  const msg = event.data;
  if (!msg || msg.jsonrpc !== '2.0') return;
  window.hostLog.push(msg.method || 'response');
  const reply = (m) => frame.contentWindow.postMessage(m, '*');
  if (msg.method === 'ui/initialize') {
    reply({ jsonrpc: '2.0', id: msg.id, result: {
      protocolVersion: msg.params.protocolVersion,
      hostInfo: { name: 'test-host', version: '1.0.0' },
      hostCapabilities: {},
      hostContext: { theme: 'light' },
    } });
  } else if (msg.method === 'ui/notifications/initialized') {
    reply({ jsonrpc: '2.0', method: 'ui/notifications/tool-result', params: result });
  } else if (msg.id !== undefined && msg.method) {
    reply({ jsonrpc: '2.0', id: msg.id, result: {} });
  }
});
frame.srcdoc = ${JSON.stringify(view.text).replace(/</g, '\\u003c')};
</script></body></html>`;
    host = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(hostPage);
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1040, height: 2700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`http://127.0.0.1:${(host.address() as AddressInfo).port}/`);
    const frame = page.frameLocator('#view');
    await frame.locator('canvas[data-chart="top-products"][data-drawn="true"]').waitFor();
    expect(await frame.locator('canvas[data-drawn="true"]').count()).toBe(4);
    expect(await frame.locator('h1').textContent()).toBe('Seller analytics · Northwind Media');
    expect(await frame.locator('#status').textContent()).toContain('3 discovery runs');
    const funnel = await frame.locator('table', { hasText: 'Ask-to-book funnel' }).textContent();
    expect(funnel).toMatch(/Discovery runs\s*3/);
    expect(await page.evaluate('window.hostLog')).toEqual(
      expect.arrayContaining(['ui/initialize', 'ui/notifications/initialized']),
    );
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1); // the host page itself; the view fetched nothing
    const artifacts = join(process.cwd(), 'test', 'artifacts', 'console');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'mcp-app.png'), fullPage: true });
  });
});
