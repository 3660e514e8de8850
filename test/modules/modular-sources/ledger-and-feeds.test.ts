import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createHarness, type Harness } from '../../harness.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import {
  availRow,
  commitCsv,
  day,
  header,
  modularStorefront,
  sources,
  withStartTime,
} from './support.js';

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const statusOf = (projection: { lifecycleSummary: Array<{ stage: string; status: string }> }) =>
  Object.fromEntries(projection.lifecycleSummary.map((s) => [s.stage, s.status]));

describe('the booking ledger under concurrency', () => {
  it('books exactly the last 10 units when 100 buyers race for them over MCP', async () => {
    const sf = await modularStorefront(h);
    // CPM 1000: a budget of 1 buys one impression. 90 units are already booked upstream.
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      `${header},upstream_booked\n${availRow('last-units', 100, 1000)},90`,
    );
    const buyers = await Promise.all([1, 2, 3, 4].map(() => agencyBuying(h)));
    const agents = await Promise.all(
      buyers.map((b) => agentClient(base, sf.platformId, b.buyer.key)),
    );
    try {
      // Product ids are the storefront's: each buyer learns them from get_products.
      const found = await Promise.all(
        agents.map((agent, i) =>
          agent.call('get_products', {
            buying_mode: 'brief',
            brief: 'homepage',
            account: buyers[i]!.account,
          }),
        ),
      );
      const product = found[0].products[0];
      expect(found.every((f) => f.products[0]?.product_id === product.product_id)).toBe(true);
      const attempts = Array.from({ length: 100 }, (_, i) => {
        const agent = agents[i % agents.length]!;
        return agent.call('create_media_buy', {
          idempotency_key: randomUUID(),
          account: buyers[i % buyers.length]!.account,
          brand: { domain: 'acmeoutdoor.example' },
          start_time: 'asap',
          end_time: day(7),
          packages: [
            {
              product_id: product.product_id,
              pricing_option_id: product.pricing_options[0].pricing_option_id,
              budget: 1,
            },
          ],
        });
      });
      const answers = await Promise.all(attempts);
      const booked = answers.filter((a) => !a.isError && a.media_buy_id);
      const refused = answers.filter((a) => a.isError);
      expect(booked).toHaveLength(10);
      expect(refused).toHaveLength(90);
      // The refusal is the buyer's AdCP error and says how much is left.
      expect(JSON.stringify(refused[0])).toContain('PRODUCT_UNAVAILABLE');
      expect(JSON.stringify(refused[0])).toMatch(/has 0 impressions left/);

      const capabilities = await h.call(
        'GET',
        `${sources}/${sf.sourceId}/modular/inventory/capabilities`,
        { key: sf.seller.key },
      );
      expect(capabilities.body.data.availableImpressions).toBe(0);

      // A canceled buy gives its unit back, once.
      const won = answers.findIndex((a) => !a.isError && a.media_buy_id);
      const cancel = {
        media_buy_id: answers[won].media_buy_id,
        account: buyers[won % buyers.length]!.account,
        canceled: true,
      };
      const owner = agents[won % agents.length]!;
      const canceled = await owner.call('update_media_buy', {
        ...cancel,
        idempotency_key: randomUUID(),
      });
      expect(canceled.isError, JSON.stringify(canceled)).toBe(false);
      await owner.call('update_media_buy', { ...cancel, idempotency_key: randomUUID() });
      const after = await h.call(
        'GET',
        `${sources}/${sf.sourceId}/modular/inventory/capabilities`,
        { key: sf.seller.key },
      );
      expect(after.body.data.availableImpressions).toBe(1);
    } finally {
      await Promise.all(agents.map((a) => a.close()));
    }
  }, 120_000);

  it('holds exactly the capacity when 100 reservations race, and a retried one holds once', async () => {
    const sf = await modularStorefront(h, { booking: { mode: 'manual' } });
    await commitCsv(h, sf.seller.key, sf.sourceId, `${header}\n${availRow('race', 10)}`);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const url = `${sources}/${sf.sourceId}/modular/reservations`;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        h.call('POST', url, {
          key: sf.seller.key,
          body: {
            availId: 'race',
            mediaBuyId: `deal-${i}`,
            buyerCustomerId: buyer.id,
            requestedImpressions: 1,
          },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(90);
    expect(refused[0]!.body.error.message).toContain('has 0 impressions left');
    const winner = results.find((r) => r.status === 201)!.body.data;
    const retried = await h.call('POST', url, {
      key: sf.seller.key,
      body: {
        availId: 'race',
        mediaBuyId: winner.mediaBuyId,
        buyerCustomerId: buyer.id,
        requestedImpressions: 1,
      },
    });
    expect(retried.status).toBe(201);
    expect(retried.body.data.bookingId).toBe(winner.bookingId);

    // Released, the unit is back on sale once (a second release gives nothing more).
    const release = { availId: 'race', mediaBuyId: winner.mediaBuyId, buyerCustomerId: buyer.id };
    const released = await h.call('POST', `${sources}/${sf.sourceId}/modular/bookings/release`, {
      key: sf.seller.key,
      body: release,
    });
    expect(released.body.data.status).toBe('RELEASED');
    await h.call('POST', `${sources}/${sf.sourceId}/modular/bookings/release`, {
      key: sf.seller.key,
      body: release,
    });
    const products = await h.call('GET', `${sources}/${sf.sourceId}/modular/products`, {
      key: sf.seller.key,
    });
    expect(products.body.data.products[0].description).toContain('1 impressions available');
  }, 60_000);
});

describe('feeds', () => {
  it('refuses a stale or altered commit and changes nothing', async () => {
    const sf = await modularStorefront(h);
    const src = `${sources}/${sf.sourceId}`;
    const key = sf.seller.key;
    const preview = async (csvText: string) =>
      (
        await h.call('POST', `${src}/feed/preview`, {
          key,
          body: { contractId: 'static-avails-feed:v1', csvText },
        })
      ).body.data;
    const a = await preview(`${header}\n${availRow('a', 1000)}`);
    const b = await preview(`${header}\n${availRow('b', 1000)}`);

    // An altered revision (another file's digest) is refused.
    const altered = await h.call('POST', `${src}/feed/commit`, {
      key,
      body: {
        feedId: a.feedId,
        previewBaseline: a.previewBaseline,
        revision: { ...a.revision, contentDigest: b.revision.contentDigest },
      },
    });
    expect(altered.status).toBeGreaterThanOrEqual(400);
    expect(altered.status).toBeLessThan(500);
    // A forged baseline (its digest changed) is refused.
    const forged = await h.call('POST', `${src}/feed/commit`, {
      key,
      body: {
        feedId: a.feedId,
        previewBaseline: { ...a.previewBaseline, payloadDigest: b.previewBaseline.payloadDigest },
      },
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.status).toBeLessThan(500);

    const committed = await h.call('POST', `${src}/feed/commit`, {
      key,
      body: { feedId: b.feedId, previewBaseline: b.previewBaseline },
    });
    expect(committed.status, committed.text).toBe(200);
    // a was previewed against the head b has since replaced: stale.
    const stale = await h.call('POST', `${src}/feed/commit`, {
      key,
      body: { feedId: a.feedId, previewBaseline: a.previewBaseline },
    });
    expect(stale.status).toBe(422);
    expect(stale.body.error.code).toBe('STALE_PREVIEW_BASELINE');
    const products = await h.call('GET', `${src}/modular/products`, { key });
    expect(products.body.data.products.map((p: { product_id: string }) => p.product_id)).toEqual([
      'b',
    ]);
  });

  it('refuses a row the database could not store by row and column, and commits the rest', async () => {
    const sf = await modularStorefront(h);
    const src = `${sources}/${sf.sourceId}`;
    const key = sf.seller.key;
    const yearZero = withStartTime(availRow('year-zero', 1000), '0000-01-01');
    const dearest = availRow('dearest', 1000, 99_999_999_999);
    const preview = await h.call('POST', `${src}/feed/preview`, {
      key,
      body: {
        contractId: 'static-avails-feed:v1',
        csvText: `${header}\n${availRow('fine', 1000)}\n${yearZero}\n${dearest}`,
      },
    });
    expect(preview.status, preview.text).toBe(200);
    const refused = preview.body.data.rejectedRows.map(
      (r: { rowNumber: number; diagnostics: Array<{ column: string; code: string }> }) => [
        r.rowNumber,
        r.diagnostics[0]!.column,
        r.diagnostics[0]!.code,
      ],
    );
    expect(refused).toEqual([
      [3, 'start_time', 'INVALID_DATE_TIME'],
      [4, 'cpm', 'CPM_ABOVE_CEILING'],
    ]);
    const commit = await h.call('POST', `${src}/feed/commit`, {
      key,
      body: {
        feedId: preview.body.data.feedId,
        previewBaseline: preview.body.data.previewBaseline,
      },
    });
    expect(commit.status, commit.text).toBe(200);
    const products = await h.call('GET', `${src}/modular/products`, { key });
    expect(products.body.data.products.map((p: { product_id: string }) => p.product_id)).toEqual([
      'fine',
    ]);
  });

  it('previews an uploaded XLSX spreadsheet, naming the refused row and column', async () => {
    const sf = await modularStorefront(h);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Avails');
    sheet.addRow(header.split(','));
    sheet.addRow(availRow('x1', 5000).split(','));
    sheet.addRow(availRow('x2', 5000).replace(',20,', ',free,').split(','));
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const form = new FormData();
    form.append('contractId', 'static-avails-feed:v1');
    form.append(
      'file',
      new Blob([bytes], {
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      }),
      'avails.xlsx',
    );
    const response = await fetch(`${base}${sources}/${sf.sourceId}/feed/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sf.seller.key}` },
      body: form,
    });
    const body = (await response.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.data.summary).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 1 });
    expect(body.data.rejectedRows[0]).toMatchObject({ rowNumber: 3 });
    expect(body.data.rejectedRows[0].diagnostics[0]).toMatchObject({
      column: 'cpm',
      value: 'free',
    });
  });

  it('answers a 4xx for a file that is not a spreadsheet, committing nothing', async () => {
    const sf = await modularStorefront(h);
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('PK\u0003\u0004garbage')]), 'avails.xlsx');
    const response = await fetch(`${base}${sources}/${sf.sourceId}/feed/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sf.seller.key}` },
      body: form,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { error: { code: string; field?: string } };
    expect(body.error.field).toBe('file');
    const projection = await h.call('GET', `${sources}/${sf.sourceId}/modular`, {
      key: sf.seller.key,
    });
    expect(projection.body.data.activeAvailCount).toBe(0);
  });
});

describe('lifecycleSummary', () => {
  it('reaches and leaves each of seed 003’s six statuses', async () => {
    const sf = await modularStorefront(h, {
      booking: { mode: 'manual' },
      execution: { mode: 'upstream_system' },
    });
    const src = `${sources}/${sf.sourceId}`;
    const key = sf.seller.key;
    const read = async () => statusOf((await h.call('GET', `${src}/modular`, { key })).body.data);
    const patch = (module: string, body: Record<string, unknown>) =>
      h.call('PATCH', `${src}/modular/modules/${module}/config`, { key, body });

    let now = await read();
    expect(now['INGEST_AVAILS']).toBe('RUNTIME_INPUTS_REQUIRED');
    expect(now['TRAFFIC_CAMPAIGN']).toBe('MISSING_SETUP');
    await commitCsv(h, key, sf.sourceId, `${header}\n${availRow('a', 1000)}`);
    expect((await patch('execution', { config: { systemName: 'GAM' } })).status).toBe(200);
    now = await read();
    expect(now['INGEST_AVAILS']).toBe('READY');
    expect(now['TRAFFIC_CAMPAIGN']).toBe('READY');

    await patch('avails-feed', { config: {}, status: 'ERROR', error: 'The nightly export broke' });
    expect((await read())['INGEST_AVAILS']).toBe('BLOCKED');
    await patch('avails-feed', { config: {}, status: 'CONFIGURING' });
    expect((await read())['INGEST_AVAILS']).toBe('READY');

    await patch('execution', { config: {}, status: 'DISABLED' });
    expect((await read())['TRAFFIC_CAMPAIGN']).toBe('UNSUPPORTED');
    await patch('execution', { config: {}, status: 'CONFIGURING' });
    expect((await read())['TRAFFIC_CAMPAIGN']).toBe('READY');

    const buyer = await createCustomer(h, { role: 'BUYER' });
    const deal = { availId: 'a', mediaBuyId: 'deal-1', buyerCustomerId: buyer.id };
    await h.call('POST', `${src}/modular/reservations`, {
      key,
      body: { ...deal, requestedImpressions: 10 },
    });
    const finalized = await h.call('POST', `${src}/modular/bookings/finalize`, {
      key,
      body: deal,
    });
    expect(finalized.status, finalized.text).toBe(200);
    expect((await read())['FINALIZE_BOOKING']).toBe('HITL_PENDING');
    const item = finalized.body.data.workItems[0];
    const done = await h.call('POST', `${src}/modular/work-items/${item.id}/complete`, {
      key,
      body: { result: {} },
    });
    expect(done.status, done.text).toBe(200);
    expect((await read())['FINALIZE_BOOKING']).toBe('READY');
  });
});

describe('isolation', () => {
  it('answers NOT_FOUND for another storefront’s source, feed, booking and work item', async () => {
    const mine = await modularStorefront(h, { booking: { mode: 'manual' } });
    const theirs = await modularStorefront(h);
    await commitCsv(h, mine.seller.key, mine.sourceId, `${header}\n${availRow('a', 1000)}`);
    const buyer = await createCustomer(h, { role: 'BUYER' });
    const deal = { availId: 'a', mediaBuyId: 'deal-1', buyerCustomerId: buyer.id };
    const src = `${sources}/${mine.sourceId}`;
    await h.call('POST', `${src}/modular/reservations`, {
      key: mine.seller.key,
      body: { ...deal, requestedImpressions: 10 },
    });
    const item = (
      await h.call('POST', `${src}/modular/bookings/finalize`, { key: mine.seller.key, body: deal })
    ).body.data.workItems[0];
    // Both sources are named "avails": the other seller reaches only its own.
    const other = theirs.seller.key;
    const reads = [
      await h.call('GET', `${src}/modular/work-items/${item.id}`, { key: other }),
      await h.call('POST', `${src}/modular/work-items/${item.id}/complete`, {
        key: other,
        body: { result: {} },
      }),
      await h.call('POST', `${src}/modular/bookings/release`, { key: other, body: deal }),
    ];
    for (const read of reads) expect(read.status, read.text).toBe(404);
    const products = await h.call('GET', `${src}/modular/products`, { key: other });
    expect(products.body.data.products).toEqual([]);
    const stranger = await createCustomer(h, { role: 'SELLER' });
    await h.call('PUT', '/api/v2/storefront', { key: stranger.key, body: {} });
    const none = await h.call('GET', `${src}/modular`, { key: stranger.key });
    expect(none.status).toBe(404);
    // Still open for its own operator.
    const mineItem = await h.call('GET', `${src}/modular/work-items/${item.id}`, {
      key: mine.seller.key,
    });
    expect(mineItem.body.data.item.status).toBe('OPEN');
  });
});
