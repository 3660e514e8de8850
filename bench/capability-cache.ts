/**
 * `npx tsx bench/capability-cache.ts [--n 300] [--latency 20]`: what the capability cache of
 * audience and conversion forwarding (src/modules/audiences/capability-cache.ts) saves on
 * `POST /advertisers/{id}/log-event`, the buyer's conversion events forwarded to every agent it
 * uses that takes them. Two apps in one run, alike but for INTERCHANGE_CAPABILITY_CACHE_SECONDS
 * (300, the default, against 0: get_adcp_capabilities on every request), each with a buyer whose
 * remote agent is the demo seller answering after `latency` ms (a seller across a network) and
 * after 0 ms, rounds alternating between the apps so the shared machine's load falls on both.
 * Sequential requests, then 8 at a time. Figures: bench/README.md.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { registerDemoAgent } from '../src/demo/seller/index.js';
import { benchCustomer, startBenchApp } from './bench-app.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '300' },
    latency: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
  },
});
const n = Number(values.n);
let latency = Number(values.latency);
let capabilityAsks = 0;
// The demo seller (as bench-app's startDemoSeller), counting the capability asks it answers.
const sellerApp = Fastify({ logger: false });
let origin = '';
sellerApp.addHook('onRequest', async () => {
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
});
sellerApp.addHook('preHandler', async (request) => {
  const body = request.body as { method?: string; params?: { name?: string } } | undefined;
  if (body?.method === 'tools/call' && body.params?.name === 'get_adcp_capabilities') {
    capabilityAsks++;
  }
});
registerDemoAgent(sellerApp, {
  basePath: '/adcp/demo-seller',
  publicUrl: () => origin,
  concurrency: 64,
});
await sellerApp.listen({ host: '127.0.0.1', port: 0 });
origin = `http://127.0.0.1:${(sellerApp.server.address() as AddressInfo).port}`;
const seller = { app: sellerApp, url: `${origin}/adcp/demo-seller/mcp` };

async function arm(cacheSeconds: string) {
  const app = await startBenchApp({ INTERCHANGE_CAPABILITY_CACHE_SECONDS: cacheSeconds });
  const buyer = await benchCustomer(app, 'BUYER');
  await buyer.call('POST', '/api/v2/buyer/sales-agents', {
    name: 'Demo seller by URL',
    endpointUrl: seller.url,
    protocol: 'mcp',
  });
  const advertiser = await buyer.call('POST', '/api/v2/buyer/advertisers', {
    name: 'Bench advertiser',
    brand: 'bench-brand.example',
    primaryCurrency: 'USD',
  });
  const base = `/api/v2/buyer/advertisers/${advertiser.data['id'] as string}`;
  await buyer.call('POST', `${base}/event-sources/sync`, {
    event_sources: [{ event_source_id: 'pixel', name: 'Pixel', event_types: ['purchase'] }],
  });
  let next = 0;
  const logEvent = () =>
    buyer.call('POST', `${base}/log-event`, {
      event_source_id: 'pixel',
      events: [
        {
          event_id: `e-${cacheSeconds}-${next++}`,
          event_type: 'purchase',
          event_time: new Date().toISOString(),
        },
      ],
    });
  return { app, logEvent };
}

async function measure(logEvent: () => Promise<unknown>, concurrency: number) {
  const asksBefore = capabilityAsks;
  let left = n;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await logEvent();
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: n / seconds, asks: capabilityAsks - asksBefore };
}

const arms = { cached: await arm('300'), uncached: await arm('0') };
const results: Record<string, Record<string, { perSecond: number[]; asks: number }>> = {};
for (const seller_latency of [latency, 0]) {
  latency = seller_latency;
  for (const concurrency of [1, 8]) {
    const label = `seller ${seller_latency} ms, ${concurrency} at a time`;
    const row: Record<string, { perSecond: number[]; asks: number }> = {
      cached: { perSecond: [], asks: 0 },
      uncached: { perSecond: [], asks: 0 },
    };
    await measure(arms.cached.logEvent, concurrency); // warm-up
    await measure(arms.uncached.logEvent, concurrency);
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const name of ['cached', 'uncached'] as const) {
        const figure = await measure(arms[name].logEvent, concurrency);
        row[name]!.perSecond.push(figure.perSecond);
        row[name]!.asks += figure.asks;
      }
    }
    results[label] = row;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [label, row] of Object.entries(results)) {
  const cached = median(row['cached']!.perSecond);
  const uncached = median(row['uncached']!.perSecond);
  process.stdout.write(
    `${label}: cached ${cached.toFixed(0)} req/s (${row['cached']!.asks} capability asks), ` +
      `uncached ${uncached.toFixed(0)} req/s (${row['uncached']!.asks} asks); ` +
      `cached/uncached ${(cached / uncached).toFixed(2)}\n`,
  );
}
for (const { app } of Object.values(arms)) {
  await app.app.close();
  await app.services.close();
  await app.database.close();
}
await seller.app.close();
