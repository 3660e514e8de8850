import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Harness } from '../../harness.js';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../../src/sandbox/fakes/freewheel/server.js';
import { adServerHarness, adServerSeller, settledSync, sources } from './support.js';

/*
 * Never two syncs of one source at once, across instances: two app instances over the same
 * database, each with its own services and job workers, are asked to refresh the same source
 * at once, many times. One run starts; every other ask is told it is already running; the
 * fake FreeWheel sees each page of that run read once, and sync-history holds that one run.
 */

let fw: FakeFreeWheel;
let h: Harness;
let other: FastifyInstance;
const sections = 600;

beforeAll(async () => {
  fw = await startFakeFreeWheel({ siteSections: sections });
  ({ h } = await adServerHarness({ INTERCHANGE_FREEWHEEL_URL: fw.url }));
  other = await h.buildApp({ INTERCHANGE_FREEWHEEL_URL: fw.url }, { services: true });
  await h.servicesOf(other).jobs.start();
});
afterAll(async () => {
  await other?.close();
  await h?.close();
  await fw?.close();
});

const sectionPages = () =>
  fw.calls
    .filter((c) => c.route === 'GET site_sections')
    .map((c) => Number(new URLSearchParams(c.query).get('page')));

describe('an ad-server source refreshed on two instances at once', { timeout: 180_000 }, () => {
  it('runs one sync: one run in sync-history, each page read once', async () => {
    const sf = await adServerSeller(h);
    const saved = await h.call('PUT', `${sources}/fw/ad-server`, {
      key: sf.seller.key,
      body: { type: 'freewheel', clientId: 'interchange-client', clientSecret: 'fw-client-secret' },
    });
    expect(saved.status, saved.text).toBe(200);
    expect((await settledSync(h, sf.seller.key, 'fw')).status).toBe('completed');

    fw.listDelayMs = 20;
    const pagesBefore = sectionPages().length;
    const asks = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        h.call('POST', `${sources}/fw/refresh?full=true`, {
          key: sf.seller.key,
          ...(i % 2 === 1 && { app: other }),
        }),
      ),
    );
    for (const ask of asks) expect(ask.status, ask.text).toBe(200);
    const started = asks.filter((a) => a.body.data.status === 'started');
    expect(started).toHaveLength(1);
    const runId = started[0]!.body.data.syncRunIds.inventory;
    for (const ask of asks) {
      expect(ask.body.data.syncRunIds.inventory).toBe(runId);
    }

    const run = await settledSync(h, sf.seller.key, 'fw', 120_000);
    expect(run).toMatchObject({ status: 'completed' });
    const history = await h.call('GET', `${sources}/fw/sync-history`, { key: sf.seller.key });
    expect(history.body.data.runs).toHaveLength(2);
    // The second run's pages, each read once (30 pages of 20 sections).
    const pages = sectionPages().slice(pagesBefore);
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(pages).size).toBe(pages.length);
  });
});
