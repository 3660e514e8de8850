import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { eventually } from '../../support/eventually.js';
import { agencyBuying, agentClient, listen } from '../../agents/storefront-agent-support.js';
import { availRow, day, header, modularStorefront, sources } from './support.js';

let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  // The follow-up of a source's tasks and delivery import run as background jobs, as under serve.
  await h.services.jobs.start();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** Uploads `csv` as a multipart file to …/feed/upload over real HTTP. */
async function upload(key: string, sourceId: string, csv: string) {
  const form = new FormData();
  form.append('contractId', 'static-avails-feed:v1');
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'avails.csv');
  const response = await fetch(`${base}${sources}/${sourceId}/feed/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('a modular source from an empty storefront to a buyer’s reported delivery', () => {
  it('previews, commits, sells over MCP, books through work items and reports delivery', async () => {
    const sf = await modularStorefront(h, {
      booking: { mode: 'manual' },
      execution: { mode: 'manual', systemName: 'GAM' },
      reporting: { mode: 'upload' },
    });
    const key = sf.seller.key;
    const src = `${sources}/${sf.sourceId}`;

    // Before any avails, the avails stage waits for the operator's input.
    const fresh = await h.call('GET', `${src}/modular`, { key });
    expect(fresh.status).toBe(200);
    expect(fresh.body.data.activeAvailCount).toBe(0);

    // A file with one good row and two refused ones: the preview names row, column and value.
    const csv = [
      header,
      availRow('hp-week1', 500_000),
      availRow('hp-week2', 300_000).replace('300000', 'lots'),
      availRow('hp-week3', 100_000).replace(',20,USD,', ',20,DOLLARS,'),
    ].join('\n');
    const preview = await upload(key, sf.sourceId, csv);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const previewed = preview.body.data;
    expect(previewed.summary).toMatchObject({ parsedAvailCount: 1, rejectedRowCount: 2 });
    const refused = previewed.rejectedRows.flatMap(
      (r: { rowNumber: number; diagnostics: Array<Record<string, unknown>> }) =>
        r.diagnostics.map((d) => ({ row: r.rowNumber, column: d['column'], value: d['value'] })),
    );
    expect(refused).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, column: 'impressions', value: 'lots' }),
        expect.objectContaining({ row: 4, column: 'currency', value: 'DOLLARS' }),
      ]),
    );
    // A preview commits nothing.
    expect((await h.call('GET', `${src}/modular`, { key })).body.data.activeAvailCount).toBe(0);

    const commit = await h.call('POST', `${src}/feed/commit`, {
      key,
      body: { feedId: previewed.feedId, previewBaseline: previewed.previewBaseline },
    });
    expect(commit.status, commit.text).toBe(200);
    expect(commit.body.data.activeAvailCount).toBe(1);
    // Sent again, the commit is replayed, not applied twice.
    const again = await h.call('POST', `${src}/feed/commit`, {
      key,
      body: { feedId: previewed.feedId, previewBaseline: previewed.previewBaseline },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body.data.revisionRecord.replayed).toBe(true);

    // A buyer discovers the avail over MCP, through the storefront's Merchandising Agent.
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const found = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'homepage takeover',
        account,
      });
      expect(found.isError, JSON.stringify(found)).toBe(false);
      const product = found.products.find((p: { name: string }) => p.name.includes('hp-week1'));
      expect(product, JSON.stringify(found.products)).toBeDefined();

      const created = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: day(14),
        packages: [
          {
            product_id: product.product_id,
            pricing_option_id: product.pricing_options[0].pricing_option_id,
            budget: 2_000,
          },
        ],
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      // A person confirms manual bookings: the buyer holds a task meanwhile.
      expect(created.status).toBe('submitted');
      const taskId = created.task_id as string;

      // The operator's queue: CONFIRM_AVAILS; the lifecycle shows the stage waiting on a human.
      const queue = await h.call('GET', `${src}/modular/work-items`, { key });
      expect(queue.status, queue.text).toBe(200);
      const confirm = queue.body.data.items.find(
        (i: { kind: string }) => i.kind === 'CONFIRM_AVAILS',
      );
      expect(confirm, queue.text).toBeDefined();
      const pending = await h.call('GET', `${src}/modular`, { key });
      expect(pending.body.data.openWorkItemCountsByKind).toMatchObject({ CONFIRM_AVAILS: 1 });
      expect(
        pending.body.data.lifecycleSummary.find(
          (s: { stage: string }) => s.stage === 'FINALIZE_BOOKING',
        ).status,
      ).toBe('HITL_PENDING');

      const claimed = await h.call('PATCH', `${src}/modular/work-items/${confirm.id}`, {
        key,
        body: { status: 'IN_PROGRESS', assignedTo: 'ops@news.example' },
      });
      expect(claimed.status, claimed.text).toBe(200);
      const confirmed = await h.call('POST', `${src}/modular/work-items/${confirm.id}/complete`, {
        key,
        body: { result: { decision: 'approve' } },
      });
      expect(confirmed.status, confirmed.text).toBe(200);
      // Completing twice applies nothing twice.
      const twice = await h.call('POST', `${src}/modular/work-items/${confirm.id}/complete`, {
        key,
        body: { result: {} },
      });
      expect(twice.status).toBe(409);

      // The buyer's task completes with the media buy.
      const done = await eventually(
        () => agent.call('tasks_get', { task_id: taskId, account }),
        (task) => task.status === 'completed',
        30_000,
      );
      const mediaBuyId = JSON.stringify(done).match(/"media_buy_id":"([^"]+)"/)?.[1];
      expect(mediaBuyId, JSON.stringify(done)).toBeDefined();

      // Trafficking into GAM is the next human step; done, the buy is live.
      const traffic = (
        await h.call('GET', `${src}/modular/work-items?kind=TRAFFIC_TO_GAM`, { key })
      ).body.data.items[0];
      expect(traffic).toBeDefined();
      // Booked with no creative on it: the buyer's move first (AdCP pending_creatives).
      const read = () => agent.call('get_media_buys', { media_buy_ids: [mediaBuyId], account });
      const bare = await read();
      expect(bare.media_buys[0].status, JSON.stringify(bare)).toBe('pending_creatives');
      const synced = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [
          {
            creative_id: 'hp_week1_banner',
            name: 'Homepage banner',
            format_id: product.format_ids[0],
            assets: {
              image: {
                asset_type: 'image',
                url: 'https://cdn.example/hp-week1.png',
                width: 300,
                height: 250,
                mime_type: 'image/png',
              },
            },
          },
        ],
        assignments: [
          { creative_id: 'hp_week1_banner', package_id: bare.media_buys[0].packages[0].package_id },
        ],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      // Its creative on, it waits for the publisher's trafficking.
      const before = await read();
      expect(before.media_buys[0].status, JSON.stringify(before)).toBe('pending_start');
      const trafficked = await h.call('POST', `${src}/modular/work-items/${traffic.id}/complete`, {
        key,
        body: { result: { upstreamCampaignId: 'gam-order-77' } },
      });
      expect(trafficked.status, trafficked.text).toBe(200);
      await eventually(
        () => agent.call('get_media_buys', { media_buy_ids: [mediaBuyId], account }),
        (live) => live.media_buys?.[0]?.status === 'active',
      );

      // The final report, uploaded by the publisher, is what the buyer's delivery reads.
      const report = (
        await h.call('GET', `${src}/modular/work-items?kind=UPLOAD_FINAL_REPORT`, { key })
      ).body.data.items[0];
      expect(report).toBeDefined();
      const bad = await h.call('POST', `${src}/modular/work-items/${report.id}/complete`, {
        key,
        body: { result: { csvText: 'date,impressions,spend\n2026-13-45,10,1' } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('result.rows[0].date');
      // A day that does not exist is refused by row, not left to the database (a 500).
      const today = day(0).slice(0, 10);
      const noSuchDay = await h.call('POST', `${src}/modular/work-items/${report.id}/complete`, {
        key,
        body: { result: { csvText: `date,impressions,spend\n${today},10,1\n2026-02-30,10,1` } },
      });
      expect(noSuchDay.status, noSuchDay.text).toBe(400);
      expect(noSuchDay.body.error.field).toBe('result.rows[1].date');
      // Every refused row is named, so the report is fixed in one go.
      const twoBad = await h.call('POST', `${src}/modular/work-items/${report.id}/complete`, {
        key,
        body: { result: { csvText: `date,impressions,spend\n2026-13-45,10,1\n${today},lots,1` } },
      });
      expect(twoBad.status, twoBad.text).toBe(400);
      expect(twoBad.body.error.details).toMatchObject({
        refusedRowCount: 2,
        issues: [
          { field: 'result.rows[0].date', message: expect.stringContaining('Report row 1') },
          { field: 'result.rows[1].impressions', message: expect.stringContaining('Report row 2') },
        ],
      });
      const tooMuch = await h.call('POST', `${src}/modular/work-items/${report.id}/complete`, {
        key,
        body: { result: { csvText: `date,impressions,spend\n${today},10,10000000000000` } },
      });
      expect(tooMuch.status, tooMuch.text).toBe(400);
      expect(tooMuch.body.error.field).toBe('result.rows[0].spend');
      // The final report waits for the end of the 14-day flight; meanwhile reports are interim.
      const csvText = `date,impressions,clicks,spend\n${day(-1).slice(0, 10)},40000,120,800\n${today},25000,80,500`;
      const early = await h.call('POST', `${src}/modular/work-items/${report.id}/complete`, {
        key,
        body: { result: { csvText } },
      });
      expect(early.status, early.text).toBe(409);
      expect(early.body.error.field).toBe('final');
      const uploaded = await h.call(
        'POST',
        `${src}/modular/media-buys/${report.mediaBuyId}/delivery-reports`,
        { key, body: { csvText } },
      );
      expect(uploaded.status, uploaded.text).toBe(201);
      const delivery = await agent.call('get_media_buy_delivery', {
        media_buy_ids: [mediaBuyId],
        account,
      });
      expect(delivery.isError, JSON.stringify(delivery)).toBe(false);
      expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
        impressions: 65_000,
        clicks: 200,
        spend: 1300,
      });
    } finally {
      await agent.close();
    }
  }, 120_000);
});

describe('a booking a person confirms', () => {
  it('settles the buyer’s task at once, 3.0 and 3.1 alike, not at the storefront’s next look', async () => {
    const sf = await modularStorefront(h, { booking: { mode: 'manual' } });
    const key = sf.seller.key;
    const src = `${sources}/${sf.sourceId}`;
    const commit = await h.call('POST', `${src}/feed/preview`, {
      key,
      body: {
        contractId: 'static-avails-feed:v1',
        csvText: `${header}\n${availRow('hp', 900_000)}`,
      },
    });
    const previewed = commit.body.data;
    await h.call('POST', `${src}/feed/commit`, {
      key,
      body: { feedId: previewed.feedId, previewBaseline: previewed.previewBaseline },
    });
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const product = (
        await agent.call('get_products', { buying_mode: 'brief', brief: 'homepage', account })
      ).products[0];
      const buy = async (pin: Record<string, unknown>) => {
        const created = await agent.call('create_media_buy', {
          ...pin,
          idempotency_key: randomUUID(),
          account,
          brand: { domain: 'acmeoutdoor.example' },
          start_time: day(1),
          end_time: day(15),
          packages: [
            {
              product_id: product.product_id,
              pricing_option_id: product.pricing_options[0].pricing_option_id,
              budget: 500,
            },
          ],
        });
        expect(created.status, JSON.stringify(created)).toBe('submitted');
        return created.task_id as string;
      };
      const [task30, task31] = [await buy({}), await buy({ adcp_version: '3.1' })];
      // The storefront looks at its source's tasks with a backoff that reaches ten minutes; here
      // each buy's next look is that far away, as after a day of waiting for a person.
      const { rowCount } = await h.database.queryable.query(
        `update pgboss.job set start_after = now() + interval '10 minutes'
          where name = 'storefront.media-buy-upstream-tasks' and state = 'created'
            and (data->>'storefrontId')::int = $1`,
        [sf.id],
      );
      expect(rowCount).toBe(2);
      const queue = await h.call('GET', `${src}/modular/work-items?kind=CONFIRM_AVAILS`, { key });
      for (const item of queue.body.data.items) {
        const done = await h.call('POST', `${src}/modular/work-items/${item.id}/complete`, {
          key,
          body: { result: { decision: 'approve' } },
        });
        expect(done.status, done.text).toBe(200);
      }
      const settled30 = await eventually(
        () => agent.call('tasks_get', { task_id: task30, account }),
        (task) => task.status !== 'submitted',
      );
      expect(settled30.status, JSON.stringify(settled30)).toBe('completed');
      const settled31 = await eventually(
        () => agent.call('get_task_status', { adcp_version: '3.1', task_id: task31 }),
        (task) => task.status !== 'submitted',
      );
      expect(settled31.status, JSON.stringify(settled31)).toBe('completed');
    } finally {
      await agent.close();
    }
  }, 120_000);
});
