import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { adServerSeller, settledSync, sources } from './support.js';

/*
 * Inventory sync of a large network: 100,000 ad units read page by page in bounded memory, the
 * progress in sync-history and status; a run whose page keeps failing is resumed by the job's
 * retry from its cursor, not restarted; a refresh during a run answers already_running.
 */

let gam: FakeGam;
let h: Harness;
const big = '21700002';
const small = '21700003';
const adUnits = 100_000;

// A full collection on demand, so the heap measured is what is live, not garbage not yet collected.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(async () => {
  gam = await startFakeGam();
  gam.addNetwork(big, adUnits);
  gam.addNetwork(small, 40);
  h = await createHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
    // A run, and the retry that resumes it, start within half a second of being queued (2 s by
    // default: pg-boss's poll, waited out at each hand-over).
    INTERCHANGE_JOBS_POLL_INTERVAL_SECONDS: '0.5',
  });
  await h.services.jobs.start();
});
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

const connect = async (key: string, networkCode: string) =>
  h.call('PUT', `${sources}/gam/ad-server`, {
    key,
    body: {
      type: 'google_ad_manager',
      networkCode,
      serviceAccountKey: gam.serviceAccount([networkCode]),
    },
  });

describe('inventory sync of an Ad Manager network', () => {
  it('syncs 100,000 ad units page by page with a bounded heap', { timeout: 600_000 }, async () => {
    const sf = await adServerSeller(h);
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampler = setInterval(() => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5000);
    const started = Date.now();
    try {
      const saved = await connect(sf.seller.key, big);
      expect(saved.body.data.provisioningStatus).toBe('active');
      // A refresh while the run goes on is the same run.
      const again = await h.call('POST', `${sources}/gam/refresh`, { key: sf.seller.key });
      expect(again.status, again.text).toBe(200);
      expect(again.body.data.status).toBe('already_running');
      const run = await settledSync(h, sf.seller.key, 'gam', 540_000);
      expect(run).toMatchObject({ status: 'completed', itemsProcessed: adUnits + 2 + 3 + 2 + 1 });
      expect(again.body.data.syncRunIds.inventory).toBe(run.syncId);
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;
    const growthMb = (peak - baseline) / 2 ** 20;
    console.log(
      `sync of ${adUnits} ad units: ${seconds.toFixed(1)} s, ${(adUnits / seconds).toFixed(0)} objects/s, heap growth ${growthMb.toFixed(1)} MB`,
    );
    // One page (500 ad units) at a time: a few MB live, where holding the network's 100,000
    // ad units would take tens of MB more.
    expect(growthMb).toBeLessThan(16);

    const counted = await h.database.queryable.query(
      `select count(*)::int as n from ad_server_inventory where kind = 'ad_unit'`,
    );
    expect((counted.rows[0] as { n: number }).n).toBe(adUnits);
    const status = await h.call('GET', `${sources}/gam/status`, { key: sf.seller.key });
    expect(status.body.data.syncs.inventory).toMatchObject({
      status: 'completed',
      itemCount: adUnits + 2,
    });
    expect(status.body.data.syncs.customTargeting.itemCount).toBe(5);
    // Placements were synced, so the source is live with products.
    expect(status.body.data.operational.isLive).toBe(true);
  });

  it(
    'resumes a run whose page kept failing from its cursor, without reading done kinds again',
    { timeout: 120_000 },
    async () => {
      const sf = await adServerSeller(h);
      const companiesBefore = gam.calls.filter(
        (c) => c.networkCode === small && c.method === 'getCompaniesByStatement',
      ).length;
      const saved = await connect(sf.seller.key, small);
      expect(saved.body.data.provisioningStatus, saved.text).toBe('active');
      // Every attempt of the first ad-unit page fails (the adapter's own retries included): the
      // run's job fails, and its retry resumes at the ad units.
      gam.failNext('getAdUnitsByStatement', 'server', 4);
      const run = await settledSync(h, sf.seller.key, 'gam', 110_000);
      expect(run).toMatchObject({ status: 'completed', itemsProcessed: 40 + 2 + 3 + 2 + 1 });
      const companyReads = gam.calls.filter(
        (c) => c.networkCode === small && c.method === 'getCompaniesByStatement',
      ).length;
      expect(companyReads - companiesBefore).toBe(1);
    },
  );
});
