import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { springServeAdapter } from '../../../src/modules/ad-servers/adapters/springserve/adapter.js';
import type { LinePlan } from '../../../src/modules/ad-servers/adapters/port.js';
import { adServerOrders } from '../../../src/modules/ad-servers/tables.js';
import { createOutboundClient } from '../../../src/platform/outbound/index.js';
import { createCustomer, type Harness } from '../../harness.js';
import {
  startFakeFreeWheel,
  type FakeFreeWheel,
} from '../../../src/sandbox/fakes/freewheel/server.js';
import {
  startFakeSpringServe,
  type FakeSpringServe,
} from '../../../src/sandbox/fakes/springserve/server.js';
import {
  adServerHarness,
  adServerSeller,
  connectAdServer,
  approveQueued,
  bookSports,
  settledSync,
  sources,
  sportsProduct,
} from './support.js';

/*
 * Bounds that used to cut work short silently: SpringServe's delivery report is read one page at
 * a time and, past the page bound, the import is recorded partial (sync-history, status); an
 * inventory sync that reaches its page bound stops partial, retiring nothing.
 */

let ss: FakeSpringServe;
let fw: FakeFreeWheel;
let h: Harness;
let base: string;
const email = 'ops+api@sportsnews.example';
const password = 'correct horse battery';

beforeAll(async () => {
  ss = await startFakeSpringServe({ supplyTags: 5 });
  fw = await startFakeFreeWheel({ siteSections: 1_000 });
  ({ h, base } = await adServerHarness({
    INTERCHANGE_SPRINGSERVE_URL: ss.url,
    INTERCHANGE_FREEWHEEL_URL: fw.url,
    INTERCHANGE_AD_SERVER_REPORT_MAX_PAGES: '2',
    INTERCHANGE_AD_SERVER_SYNC_MAX_PAGES: '8',
  }));
});
afterAll(async () => {
  await h?.close();
  await ss?.close();
  await fw?.close();
});

describe('the SpringServe delivery report, page by page', () => {
  const outbound = createOutboundClient({ allowPrivateNetwork: true, maxResponseBytes: 8 << 20 });
  afterAll(() => outbound.close());

  it('hands on one page at a time and says whether it ended within the bound', async () => {
    const adapter = springServeAdapter({
      credentials: { email, password },
      endpoints: { baseUrl: ss.url },
      fetch: outbound.fetch,
      backoffMs: 1,
    });
    const campaignId = await adapter.createOrder({ name: 'Bounds', advertiserId: '301' });
    const line: LinePlan = {
      packageId: 'pkg_1',
      name: 'Three days',
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2026-12-10T00:00:00Z'),
      cpm: 10,
      impressions: 100_000,
      adUnitIds: [],
      placementIds: ['502'],
      keyValues: [],
      sizes: [],
    };
    const [tagId] = await adapter.createLineItems(campaignId, [line], 'USD');
    ss.reportPageSize = 1;
    try {
      const pages: number[] = [];
      const all = adapter.deliveryReport([tagId!], '2026-12-01', '2026-12-03', 10);
      let end;
      for (let next = await all.next(); ; next = await all.next()) {
        if (next.done) {
          end = next.value;
          break;
        }
        pages.push(next.value.length);
      }
      expect(pages).toEqual([1, 1, 1]);
      expect(end).toEqual({ complete: true });

      const bounded = adapter.deliveryReport([tagId!], '2026-12-01', '2026-12-03', 2);
      const seen: number[] = [];
      let last;
      for (let next = await bounded.next(); ; next = await bounded.next()) {
        if (next.done) {
          last = next.value;
          break;
        }
        seen.push(next.value.length);
      }
      expect(seen).toEqual([1, 1]);
      expect(last).toEqual({ complete: false });
    } finally {
      ss.reportPageSize = 500;
    }
  });

  it('records an import that hit the page bound as partial, in sync-history and status', async () => {
    const sf = await connectAdServer(h, 'springserve', {
      type: 'springserve',
      email,
      password,
      publisherDomain: 'sportsnews.example',
      products: [sportsProduct],
    });
    const buyer = await createCustomer(h, { role: 'BUYER', domain: 'bounds-agency.example' });
    const { agent } = await bookSports(base, sf.platformId, buyer.key, {
      name: 'Preroll',
      url: 'https://ads.acme.example/vast/preroll.xml',
      kind: 'vast',
    });
    await agent.close();
    const decided = await approveQueued(h, sf.seller.key);
    expect(decided.body.data.forwardOutcome).toBe('all_completed');

    // The buy has served for three days (its start, here and in SpringServe, moved back), and
    // reports come one row a page: the bound of two pages is reached before the report's end.
    const threeDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    // (This file's database holds this one order.)
    await h.database.db.update(adServerOrders).set({ startTime: threeDaysAgo });
    for (const tag of ss.account.demandTags.values()) {
      tag['start_date'] = threeDaysAgo.toISOString().slice(0, 10);
    }
    ss.reportPageSize = 1;
    ss.reportPages = 0;
    try {
      const imported = await h.call('POST', `${sources}/springserve/ad-server/delivery/import`, {
        key: sf.seller.key,
      });
      expect(imported.status, imported.text).toBe(200);
      expect(imported.body.data).toMatchObject({ partial: true, rows: 2 });
      expect(ss.reportPages).toBe(2);
    } finally {
      ss.reportPageSize = 500;
    }
    const history = await h.call('GET', `${sources}/springserve/sync-history?syncType=delivery`, {
      key: sf.seller.key,
    });
    expect(history.body.data.runs[0]).toMatchObject({
      syncType: 'delivery',
      status: 'partial',
      errorCategory: 'REPORT_PAGE_BOUND',
      errorSummary: expect.stringMatching(/did not end within 2 pages/),
    });
    const status = await h.call('GET', `${sources}/springserve/status`, { key: sf.seller.key });
    expect(status.body.data.delivery).toMatchObject({ lastImportStatus: 'partial' });
    expect(status.body.data.operational.deliveryDegraded).toBe(true);
    expect(status.body.data.operational.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'REPORT_PAGE_BOUND' })]),
    );

    // A report that ends within the bound is a completed import again.
    const whole = await h.call('POST', `${sources}/springserve/ad-server/delivery/import`, {
      key: sf.seller.key,
    });
    expect(whole.body.data).toMatchObject({ partial: false, rows: 3 });
    const after = await h.call('GET', `${sources}/springserve/status`, { key: sf.seller.key });
    expect(after.body.data.delivery.lastImportStatus).toBe('completed');
    expect(after.body.data.operational.deliveryDegraded).toBe(false);

    // Rows the report answers out of shape (no day, a count that is no number, a fraction of an
    // impression) are left out and counted: the three good rows still land, the import is
    // partial with REPORT_ROWS_UNREADABLE, never a 500.
    // The booked buy's line item: the last demand tag made.
    const tagId = [...ss.account.demandTags.values()].at(-1)!['id'];
    ss.leadingReportRows = [
      { demand_tag_id: tagId, date: 'yesterday', impressions: 5, clicks: 0, revenue: 0.05 },
      { demand_tag_id: tagId, date: '2026-02-30', impressions: 5, clicks: 0, revenue: 0.05 },
      { demand_tag_id: tagId, date: '2026-11-01 00:00:00', impressions: 'n/a', revenue: 1 },
      { demand_tag_id: tagId, date: '2026-11-02 00:00:00', impressions: 2.5, revenue: 1 },
    ];
    try {
      const skipped = await h.call('POST', `${sources}/springserve/ad-server/delivery/import`, {
        key: sf.seller.key,
      });
      expect(skipped.status, skipped.text).toBe(200);
      expect(skipped.body.data).toMatchObject({ partial: true, rows: 3 });
    } finally {
      ss.leadingReportRows = [];
    }
    const runs = await h.call('GET', `${sources}/springserve/sync-history?syncType=delivery`, {
      key: sf.seller.key,
    });
    expect(runs.body.data.runs[0]).toMatchObject({
      status: 'partial',
      itemsProcessed: 3,
      errorCategory: 'REPORT_ROWS_UNREADABLE',
      errorSummary: expect.stringMatching(/^4 rows /),
    });
    const degraded = await h.call('GET', `${sources}/springserve/status`, { key: sf.seller.key });
    expect(degraded.body.data.operational.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'REPORT_ROWS_UNREADABLE' })]),
    );

    // Orders awaiting cleanup (a failed booking's) are open work: counted, the oldest named
    // whatever order the database keeps them in, and the live buy's package still counted.
    const [booked] = await h.database.db.select().from(adServerOrders);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    const [newer, older] = [daysAgo(1), daysAgo(3)];
    await h.database.db.insert(adServerOrders).values(
      [newer, older].map((createdAt, i) => ({
        ...booked!,
        id: `cleanup_${i}`,
        idempotencyKey: `cleanup_${i}`,
        status: 'cleanup_pending',
        createdAt,
      })),
    );
    const open = await h.call('GET', `${sources}/springserve/status`, { key: sf.seller.key });
    expect(open.body.data).toMatchObject({
      workflows: {
        openCount: 2,
        oldestOpenedAt: older.toISOString(),
        byKind: { order_cleanup: 2 },
      },
      packages: { activeCount: 1 },
      operational: { deliveryDegraded: true },
    });
  }, 60_000);
});

describe('the inventory sync page bound', () => {
  it('stops a run at the bound as partial, keeping what it read', async () => {
    const sf = await adServerSeller(h);
    const saved = await h.call('PUT', `${sources}/fw-big/ad-server`, {
      key: sf.seller.key,
      body: { type: 'freewheel', clientId: 'interchange-client', clientSecret: 'fw-client-secret' },
    });
    expect(saved.status, saved.text).toBe(200);
    // An advertiser page, the two kinds FreeWheel has none of (keys, values: a page each), then
    // site sections at 100 a page: the bound of 8 pages stops after five of them.
    const run = await settledSync(h, sf.seller.key, 'fw-big');
    expect(run).toMatchObject({
      status: 'partial',
      errorCategory: 'SYNC_PAGE_BOUND',
      itemsProcessed: 501,
    });
    expect(run.errorSummary).toMatch(/bound of 8 pages .* while reading placement/);
    const status = await h.call('GET', `${sources}/fw-big/status`, { key: sf.seller.key });
    expect(status.body.data.syncs.inventory).toMatchObject({
      status: 'partial',
      severity: 'warning',
      issue: { code: 'SYNC_PAGE_BOUND' },
      itemCount: 500,
    });
  });
});
