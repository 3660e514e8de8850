import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../src/sandbox/fakes/freewheel/server.js';
import { eventually } from '../support/eventually.js';
import {
  call,
  createDeployment,
  customer,
  type Deployment,
  type ServerProcess,
} from '../support/spawned-server.js';

/*
 * An inventory sync killed with SIGKILL mid-way resumes from its last committed page on another
 * process: Interchange runs as a process of its own against a fake FreeWheel whose list pages
 * are slow; it is killed after some pages, and a second process (the same database) finishes
 * the same run without reading the committed pages again, with one run in sync-history.
 */

let fw: FakeFreeWheel;
let deployment: Deployment;
let server: ServerProcess | undefined;
const sections = 3_000;

beforeAll(async () => {
  fw = await startFakeFreeWheel({ siteSections: sections });
  fw.listDelayMs = 150;
  deployment = await createDeployment({
    INTERCHANGE_FREEWHEEL_URL: fw.url,
    // A slice left by the dead process expires in seconds, and the queue looks every second.
    INTERCHANGE_AD_SERVER_SYNC_JOB_TIMEOUT_SECONDS: '4',
    INTERCHANGE_JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
  });
});
afterAll(async () => {
  await server?.kill().catch(() => undefined);
  await deployment?.close();
  await fw?.close();
});

const sectionPages = () =>
  fw.calls
    .filter((c) => c.route === 'GET site_sections')
    .map((c) => Number(new URLSearchParams(c.query).get('page')));

describe('an ad-server inventory sync killed with SIGKILL', { timeout: 240_000 }, () => {
  it('resumes from its last committed page on another process, as the same run', async () => {
    server = await deployment.start();
    const seller = await customer(server.url, deployment.adminKey, 'SELLER');
    const sf = await call(server.url, 'PUT', '/api/v2/storefront', {
      key: seller.key,
      body: { defaultCurrency: 'USD', mediaBuyApproval: 'manual', creativeApproval: 'auto' },
    });
    expect(sf.status, sf.text).toBe(200);
    const saved = await call(
      server.url,
      'PUT',
      '/api/v2/storefront/inventory-sources/fw/ad-server',
      {
        key: seller.key,
        body: {
          type: 'freewheel',
          clientId: 'interchange-client',
          clientSecret: 'fw-client-secret',
        },
      },
    );
    expect(saved.status, saved.text).toBe(200);

    // Killed once ten pages of site sections (of 30) have been read.
    await eventually(
      async () => sectionPages().length,
      (n) => n >= 10,
      60_000,
    );
    await server.kill();
    const readBefore = sectionPages();
    const history = (base: string) =>
      call(base, 'GET', '/api/v2/storefront/inventory-sources/fw/sync-history', {
        key: seller.key,
      });

    server = await deployment.start();
    const runs = await eventually(
      async () => (await history(server!.url)).body?.data?.runs ?? [],
      (r: Array<{ status: string }>) => r.length > 0 && r[0]!.status !== 'running',
      120_000,
    );
    // One run, completed by the second process with every object.
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'completed', itemsProcessed: sections + 2 + 2 + 1 });
    // The second process went on from the last committed page: at most the page in flight at
    // the kill was read again, never the run from its start.
    const after = sectionPages().slice(readBefore.length);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(Math.max(...readBefore));
    expect(after).not.toContain(1);
    const status = await call(server.url, 'GET', '/api/v2/storefront/inventory-sources/fw/status', {
      key: seller.key,
    });
    expect(status.body.data.syncs.inventory).toMatchObject({
      status: 'completed',
      itemCount: sections + 2 + 2,
    });
  });
});
