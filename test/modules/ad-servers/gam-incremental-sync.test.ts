import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { editAdUnits, editObject } from '../../../src/sandbox/fakes/gam/changes.js';
import { firstAdUnitId } from '../../../src/sandbox/fakes/gam/network.js';
import { startFakeGam, type FakeGam } from '../../../src/sandbox/fakes/gam/server.js';
import { adServerSeller, settledSync, sources } from './support.js';

/*
 * Incremental inventory sync: after the first (full) run, a refresh lists only what Ad Manager
 * changed since the last completed run's high-water mark (`lastModifiedDateTime >= :since`), marks
 * what was archived or deactivated upstream, and a full run comes back on request. A run that
 * fails mid-way resumes from its cursor on the job's retry, and a run that ends failed never
 * moves the mark: the next run lists from the same point.
 */

let gam: FakeGam;
let h: Harness;
const adUnits = 1_200;

beforeAll(async () => {
  gam = await startFakeGam();
  h = await createHarness({
    INTERCHANGE_GAM_SOAP_URL: gam.soapUrl,
    INTERCHANGE_GAM_TOKEN_URL: gam.tokenUrl,
  });
  await h.services.jobs.start();
});
afterAll(async () => {
  await h?.close();
  await gam?.close();
});

/** A seller whose `gam` source is connected to a fresh network and fully synced once. */
async function syncedSource(networkCode: string) {
  const network = gam.addNetwork(networkCode, adUnits);
  const sf = await adServerSeller(h);
  const saved = await h.call('PUT', `${sources}/gam/ad-server`, {
    key: sf.seller.key,
    body: {
      type: 'google_ad_manager',
      networkCode,
      serviceAccountKey: gam.serviceAccount([networkCode]),
    },
  });
  expect(saved.body.data.provisioningStatus, saved.text).toBe('active');
  const first = await settledSync(h, sf.seller.key, 'gam');
  expect(first).toMatchObject({ status: 'completed', syncMode: 'full' });
  expect(first.itemCounts.ad_unit).toBe(adUnits);
  return { key: sf.seller.key, network, first };
}

/** SOAP calls of a network from `from` on, by method: how many, and how many objects they answered. */
function callsSince(networkCode: string, from: number) {
  const byMethod: Record<string, { calls: number; results: number }> = {};
  for (const c of gam.calls.slice(from)) {
    if (c.networkCode !== networkCode) continue;
    const entry = (byMethod[c.method] ??= { calls: 0, results: 0 });
    entry.calls++;
    entry.results += c.results ?? 0;
  }
  return byMethod;
}

/** Synced ad units of the source a run belongs to (every fake network has the same ids). */
const adUnitRows = async (syncId: string, ids: number[]) => {
  const rows = await h.database.queryable.query(
    `select external_id, name, status from ad_server_inventory
      where kind = 'ad_unit' and external_id = any($1::text[])
        and inventory_source_id = (select inventory_source_id from ad_server_sync_runs where id = $2)
      order by external_id`,
    [ids.map(String), syncId],
  );
  return rows.rows as Array<{ external_id: string; name: string; status: string }>;
};

const refresh = (key: string, query = '') =>
  h.call('POST', `${sources}/gam/refresh${query}`, { key });

describe('incremental inventory sync of an Ad Manager network', () => {
  it(
    'lists only what changed, marks what was archived or deactivated, and runs full on request',
    {
      timeout: 90_000,
    },
    async () => {
      const networkCode = '21700101';
      const { key, network } = await syncedSource(networkCode);
      const before = await h.call('GET', `${sources}/gam/status`, { key });
      expect(before.body.data.products.activeCount).toBe(2);

      // Upstream: two ad units renamed, one archived, the homepage placement deactivated.
      editAdUnits(network, [100, 101], { name: 'Renamed slot' });
      editAdUnits(network, [102], { status: 'ARCHIVED' });
      editObject(network, 'placement', 501, { status: 'INACTIVE' });

      const from = gam.calls.length;
      const started = await refresh(key);
      expect(started.status, started.text).toBe(200);
      const run = await settledSync(h, key, 'gam');
      expect(run).toMatchObject({
        status: 'completed',
        syncMode: 'incremental',
        itemsProcessed: 3 + 1 + 2 + 3,
        itemCounts: {
          advertiser: 0,
          targeting_key: 2,
          targeting_value: 3,
          placement: 1,
          ad_unit: 3,
        },
        itemsRetired: 0,
      });
      // The fake answered one page of three ad units and one placement, not 1,200 and three.
      const calls = callsSince(networkCode, from);
      expect(calls['getAdUnitsByStatement']).toEqual({ calls: 1, results: 3 });
      expect(calls['getPlacementsByStatement']).toEqual({ calls: 1, results: 1 });

      const ids = [100, 101, 102].map((i) => firstAdUnitId + i);
      expect(await adUnitRows(run.syncId, ids)).toEqual([
        { external_id: String(ids[0]), name: 'Renamed slot', status: 'ACTIVE' },
        { external_id: String(ids[1]), name: 'Renamed slot', status: 'ACTIVE' },
        { external_id: String(ids[2]), name: 'Slot 103', status: 'ARCHIVED' },
      ]);
      // The deactivated placement no longer makes a product.
      const after = await h.call('GET', `${sources}/gam/status`, { key });
      expect(after.body.data.products.activeCount).toBe(1);

      // A full run on request reads everything and drops what the ad server no longer lists as active.
      const fullFrom = gam.calls.length;
      await refresh(key, '?full=true');
      const full = await settledSync(h, key, 'gam');
      expect(full).toMatchObject({ status: 'completed', syncMode: 'full', itemsRetired: 2 });
      expect(full.itemCounts.ad_unit).toBe(adUnits - 1);
      expect(callsSince(networkCode, fullFrom)['getAdUnitsByStatement']!.results).toBe(adUnits - 1);
      expect(await adUnitRows(run.syncId, [ids[2]!])).toEqual([]);
    },
  );

  it(
    'resumes an incremental run from its cursor after a failed page',
    { timeout: 60_000 },
    async () => {
      const networkCode = '21700102';
      const { key, network } = await syncedSource(networkCode);
      editAdUnits(network, [7, 8, 9], { name: 'Changed' });
      // Every attempt of the first ad-unit page fails: the job fails, and its retry resumes there.
      gam.failNext('getAdUnitsByStatement', 'server', 4);
      const from = gam.calls.length;
      await refresh(key);
      const run = await settledSync(h, key, 'gam', 50_000);
      expect(run).toMatchObject({ status: 'completed', syncMode: 'incremental' });
      expect(run.itemCounts).toMatchObject({ ad_unit: 3, placement: 0 });
      const calls = callsSince(networkCode, from);
      // Kinds done before the failure were not read again.
      expect(calls['getCompaniesByStatement']!.calls).toBe(1);
      expect(calls['getPlacementsByStatement']!.calls).toBe(1);
      expect(calls['getAdUnitsByStatement']).toEqual({ calls: 5, results: 3 });
    },
  );

  it(
    'never moves the high-water mark past a run that did not finish',
    { timeout: 90_000 },
    async () => {
      const networkCode = '21700103';
      const { key, network } = await syncedSource(networkCode);
      await refresh(key);
      const settled = await settledSync(h, key, 'gam');
      expect(settled).toMatchObject({ status: 'completed', syncMode: 'incremental' });

      editAdUnits(network, [20, 21, 22], { name: 'Changed again' });
      gam.failNext('getAdUnitsByStatement', 'permission', 1);
      await refresh(key);
      const failed = await settledSync(h, key, 'gam');
      expect(failed).toMatchObject({
        status: 'failed',
        errorCategory: 'ADAPTER_PERMISSION_DENIED',
      });
      // The placements page of the failed run committed, but the run did not complete.
      expect(failed.itemCounts.placement).toBe(0);

      const from = gam.calls.length;
      await refresh(key);
      const next = await settledSync(h, key, 'gam');
      // Listed from the last completed run's mark, not from the failed run's.
      expect(next).toMatchObject({ status: 'completed', syncMode: 'incremental' });
      expect(next.changedSince).toBe(
        new Date(new Date(settled.startedAt).getTime() - 10 * 60_000).toISOString(),
      );
      expect(failed.changedSince).toBe(next.changedSince);
      expect(callsSince(networkCode, from)['getAdUnitsByStatement']).toEqual({
        calls: 1,
        results: 3,
      });
      expect((await adUnitRows(next.syncId, [firstAdUnitId + 20]))[0]!.name).toBe('Changed again');
    },
  );
});
