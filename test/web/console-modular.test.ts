import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyBuying, agentClient, buyOf, listen } from '../agents/storefront-agent-support.js';
import { createCustomer, createHarness, type Harness, type TestCustomer } from '../harness.js';
import { availRow, day, header, sources } from '../modules/modular-sources/support.js';
import { multipartBody } from '../../src/web/console/upload-forward.js';
import { eventually } from '../support/eventually.js';
import { consoleClient } from './console-client.js';
import {
  type ConsoleBrowser,
  expectAccessible,
  expectNoSidewaysScroll,
  openConsoleBrowser,
} from './console-browser.js';

/**
 * A publisher without an AdCP agent runs a modular source in the console, on a phone-sized
 * screen: creates it from the form, uploads an avails file and sees its refused rows before
 * committing it, then works the queue as a buyer books over MCP (confirms the booking, marks it
 * trafficked, uploads a delivery report) while the buyer sees its buy move through the API.
 */
let h: Harness;
let base: string;
let publisher: TestCustomer;
let b: ConsoleBrowser;
let agent: Awaited<ReturnType<typeof agentClient>>;
let account: Record<string, unknown>;
let platformId: string;
let mediaBuyId: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  // The follow-up of a source's tasks runs as a background job, as under serve.
  await h.services.jobs.start();
  publisher = await createCustomer(h, { role: 'SELLER', name: 'Coastal Radio' });
  const sf = await h.call('PUT', '/api/v2/storefront', {
    key: publisher.key,
    body: { defaultCurrency: 'USD', mediaBuyApproval: 'auto', creativeApproval: 'auto' },
  });
  platformId = sf.body.data.platformId;
  b = await openConsoleBrowser('modular', { width: 375, height: 800 });
}, 120_000);
afterAll(async () => {
  await agent?.close();
  await b?.close();
  await h?.close();
});

const src = `${sources}/avails`;
const api = (path: string) => h.call('GET', path, { key: publisher.key });
const status = () => b.page.textContent('[role="status"]');
const openItems = async (kind: string) =>
  (await api(`${src}/modular/work-items?status=OPEN,IN_PROGRESS,BLOCKED&kind=${kind}`)).body.data
    .items as Array<{ id: string }>;
/** What the buyer finds for a homepage brief over MCP. */
const homepageProducts = async () =>
  (await agent.call('get_products', { buying_mode: 'brief', brief: 'homepage', account })).products;
const buyStatus = async () =>
  (await agent.call('get_media_buys', { media_buy_ids: [mediaBuyId], account })).media_buys?.[0]
    ?.status as string | undefined;

async function checkPage(name: string) {
  await b.shot(name);
  await expectAccessible(b);
  await expectNoSidewaysScroll(b.page);
}

describe('a publisher runs a modular source in the console', () => {
  it('creates the source from the form, a refusal shown at its field with the rest kept', async () => {
    const { page } = b;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel('API key').fill(publisher.key);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/console`);
    await page.goto(`${base}/console/sources/new`);
    const form = page.locator('form#add-modular');
    await form.getByLabel('Name (required)', { exact: true }).fill('Print and radio avails');
    await form.getByLabel('Source id (optional)').fill('Print Avails');
    await form.getByLabel('Booking', { exact: true }).selectOption('manual');
    await form.getByLabel('Execution (trafficking)').selectOption('upstream_system');
    await form.getByLabel('Ad server', { exact: true }).fill('GAM');
    await form.getByLabel('Reporting', { exact: true }).selectOption('upload');
    await form.locator('button[type="submit"]').click();
    // The API's own rule for source ids, at the field; what was typed is all still there.
    const sourceId = page.locator('form#add-modular').getByLabel('Source id (optional)');
    expect(await sourceId.getAttribute('aria-invalid')).toBe('true');
    expect(await page.textContent('#add-modular-sourceId-error')).toContain(
      'Must be lowercase letters, digits, - or _',
    );
    expect(await page.locator('#add-modular-name').inputValue()).toBe('Print and radio avails');
    expect(await page.locator('#add-modular-booking-mode').inputValue()).toBe('manual');
    expect(await page.locator('#add-modular-execution-systemName').inputValue()).toBe('GAM');
    await checkPage('01-new-refused');
    expect((await api(`${sources}`)).body.data).toEqual([]);

    await sourceId.fill('avails');
    const notes = 'Rates from the March rate card.\nSponsorships: ask Sam <sam@print.example>.';
    await form.getByLabel('Notes (optional)', { exact: true }).fill(notes);
    await page.locator('form#add-modular button[type="submit"]').click();
    await page.waitForURL(/\/console\/sources\/avails\?notice=modular-source-added/);
    expect(await status()).toContain('Modular source Print and radio avails is created');
    // The notes typed on the form are on the source's page (they were shown nowhere).
    expect(await page.locator('#source-notes dd').first().innerText()).toBe(notes);
    expect(await page.textContent('#active-avails')).toBe('0');
    const finalize = page.locator('tr', { hasText: 'FINALIZE_BOOKING' });
    expect(await finalize.textContent()).toContain('HITL');
    await checkPage('02-source');
    const created = (await api(`${src}/modular`)).body.data;
    expect(created.inventorySource).toMatchObject({ name: 'Print and radio avails' });
    expect(created.modules.map((m: { kind: string }) => m.kind)).toContain('TRAFFICKING');

    // The storefront goes live on it (the publisher journey does this in the console).
    expect(
      (await h.call('POST', '/api/v2/storefront/activate', { key: publisher.key })).status,
    ).toBe(200);
    const sf = (await api('/api/v2/storefront')).body.data;
    await h.call('POST', `/api/v2/admin/storefronts/${sf.id}/marketplace`, {
      key: h.adminKey,
      body: { action: 'list' },
    });
  });

  it('uploads avails, sees the refused rows in the preview, and commits what it previewed', async () => {
    const { page } = b;
    await page.click('a:has-text("Upload avails")');
    await page.waitForURL(`${base}/console/sources/avails/avails`);
    const csv = [
      header,
      availRow('hp-week1', 500_000),
      availRow('hp-week2', 300_000).replace('300000', 'lots'),
      availRow('hp-week3', 100_000).replace(',20,USD,', ',20,DOLLARS,'),
    ].join('\n');
    const file = { name: 'avails.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };

    // A mapping that is not JSON is refused at its field, and comes back as typed.
    await page.getByLabel('Column mapping (optional)').fill('{"Imps": impressions');
    await page.getByLabel(/Avails file/).setInputFiles(file);
    await page.click('button:has-text("Upload and preview")');
    await page.waitForSelector('#avails-upload-columnMapping-error');
    expect(await page.textContent('#avails-upload-columnMapping-error')).toContain(
      'ColumnMapping must be a JSON object',
    );
    expect(await page.getByLabel('Column mapping (optional)').inputValue()).toBe(
      '{"Imps": impressions',
    );

    await page.getByLabel('Column mapping (optional)').fill('');
    await page.getByLabel(/Avails file/).setInputFiles(file);
    await page.click('button:has-text("Upload and preview")');
    await page.waitForSelector('#preview-summary');
    expect(await page.textContent('#preview-summary')).toBe('1 row accepted, 2 refused.');
    const refused = page.locator('table.refused-rows tr.refused');
    expect(await refused.count()).toBe(2);
    const impressions = refused.filter({ hasText: 'lots' });
    expect(
      (await impressions.locator('td').allTextContents()).slice(0, 3),
      'row, column, value',
    ).toEqual(['3', 'impressions', 'lots']);
    expect(await impressions.locator('td').nth(3).textContent()).not.toBe('');
    expect(await refused.filter({ hasText: 'DOLLARS' }).locator('td').first().textContent()).toBe(
      '4',
    );
    expect(await page.locator('table', { hasText: 'Accepted avails' }).textContent()).toContain(
      'hp-week1',
    );
    await checkPage('03-preview');
    // A preview commits nothing.
    expect((await api(`${src}/modular`)).body.data.activeAvailCount).toBe(0);

    await page.click('button:has-text("Commit: put 1 avail on sale")');
    await page.waitForURL(/avails\?notice=avails-committed/);
    expect(await status()).toContain('one avail is on sale');
    expect(await page.textContent('#on-sale-count')).toBe('1');
    expect(await page.locator('section[aria-labelledby="on-sale-h"]').textContent()).toContain(
      'hp-week1',
    );
    expect((await api(`${src}/modular`)).body.data.activeAvailCount).toBe(1);
    await checkPage('04-committed');
  });

  it('confirms a buyer’s booking from the queue: the item leaves it, the buyer’s buy is booked', async () => {
    const buying = await agencyBuying(h);
    account = buying.account;
    agent = await agentClient(base, platformId, buying.buyer.key);
    const found = await homepageProducts();
    const product = found.find((p: { name: string }) => p.name.includes('hp-week1'));
    expect(product, JSON.stringify(found)).toBeDefined();
    const created = await agent.call('create_media_buy', buyOf(product, account, 2_000));
    expect(created.status, JSON.stringify(created)).toBe('submitted');
    const taskId = created.task_id as string;
    expect((await agent.call('tasks_get', { task_id: taskId, account })).status).toBe('submitted');

    const { page } = b;
    await page.goto(`${base}/console/sources/avails`);
    expect(await page.textContent('#open-work')).toBe('1');
    await page.click('a:has-text("Booking confirmations")');
    await page.waitForURL(`${base}/console/sources/avails/work#kind-CONFIRM_AVAILS`);
    const queue = page.locator('#kind-CONFIRM_AVAILS');
    expect(await queue.locator('article.work-item').count()).toBe(1);
    expect(await queue.textContent()).toContain('(hp-week1: 100000)');
    await checkPage('05-queue');
    await queue.locator('button:has-text("Confirm the booking")').click();
    await page.waitForURL(/work\?notice=work-booking-confirmed/);
    expect(await status()).toContain('The booking is confirmed');
    expect(await page.locator('#kind-CONFIRM_AVAILS').count()).toBe(0);
    expect(await openItems('CONFIRM_AVAILS')).toEqual([]);

    // The buyer's task completes with its media buy, booked and waiting to be trafficked.
    const done = await eventually(
      () => agent.call('tasks_get', { task_id: taskId, account }),
      (task) => task.status === 'completed',
      30_000,
    );
    mediaBuyId = JSON.stringify(done).match(/"media_buy_id":"([^"]+)"/)![1]!;
    // Booked with no creative on it: the buyer's move first (AdCP pending_creatives), then,
    // its creative on, it waits for the publisher's trafficking.
    expect(await buyStatus()).toBe('pending_creatives');
    const read = await agent.call('get_media_buys', { media_buy_ids: [mediaBuyId], account });
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
        { creative_id: 'hp_week1_banner', package_id: read.media_buys[0].packages[0].package_id },
      ],
    });
    expect(synced.isError, JSON.stringify(synced)).toBe(false);
    expect(await buyStatus()).toBe('pending_start');
  }, 90_000);

  it('marks the buy trafficked: the buyer’s buy goes live', async () => {
    const { page } = b;
    const queue = page.locator('#kind-TRAFFIC_TO_GAM');
    expect(await queue.locator('h2').textContent()).toBe('Trafficking into GAM (1)');
    await queue.getByLabel('Campaign or order id where it was trafficked').fill('gam-order-77');
    await queue.locator('button:has-text("Mark trafficked")').click();
    await page.waitForURL(/work\?notice=work-trafficked/);
    expect(await page.locator('#kind-TRAFFIC_TO_GAM').count()).toBe(0);
    expect(await openItems('TRAFFIC_TO_GAM')).toEqual([]);
    await eventually(buyStatus, (s) => s === 'active');
  }, 60_000);

  it('uploads a delivery report: a refused row is shown at the report, then the buyer reads its delivery', async () => {
    const { page } = b;
    const queue = page.locator('#kind-UPLOAD_FINAL_REPORT');
    const report = queue.getByLabel('Delivery report (CSV)');
    const today = day(0).slice(0, 10);
    const bad = `date,impressions,clicks,spend\n${today},10,1,1\n2026-02-30,10,1,1\n${today},10,1,-5`;
    await report.fill(bad);
    await queue.locator('button:has-text("Upload the report")').click();
    const error = page.locator('#kind-UPLOAD_FINAL_REPORT .field-error');
    await error.waitFor();
    // Every refused row, each by its line and column; nothing of the report is saved.
    expect((await error.textContent())!.split('\n')).toEqual([
      'Line 3 of the CSV (report row 2), column date: date must be YYYY-MM-DD',
      expect.stringMatching(
        /^Line 4 of the CSV \(report row 3\), column spend: spend must be a number/,
      ),
    ]);
    expect(
      await page
        .locator('#kind-UPLOAD_FINAL_REPORT')
        .getByLabel('Delivery report (CSV)')
        .inputValue(),
    ).toBe(bad);
    await checkPage('06-report-refused');

    // The file picked is read into the field (the page script), then sent as an interim report
    // (the flight runs for two weeks): the item stays for the final one.
    const good = `date,impressions,clicks,spend\n${day(-1).slice(0, 10)},40000,120,800\n${today},25000,80,500`;
    await page
      .locator('#kind-UPLOAD_FINAL_REPORT')
      .getByLabel(/Or pick the CSV file/)
      .setInputFiles({ name: 'report.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await expect
      .poll(() =>
        page.locator('#kind-UPLOAD_FINAL_REPORT').getByLabel('Delivery report (CSV)').inputValue(),
      )
      .toBe(good);
    await page.locator('#kind-UPLOAD_FINAL_REPORT button:has-text("Upload the report")').click();
    await page.waitForURL(/work\?notice=work-report-uploaded/);
    expect(await status()).toContain('the interim report of media buy');
    expect(await openItems('UPLOAD_FINAL_REPORT')).toHaveLength(1);
    await checkPage('07-report-interim');
    const delivery = await agent.call('get_media_buy_delivery', {
      media_buy_ids: [mediaBuyId],
      account,
    });
    expect(delivery.media_buy_deliveries[0].totals).toMatchObject({
      impressions: 65_000,
      clicks: 200,
      spend: 1300,
    });
    expect(delivery.media_buy_deliveries[0].by_package[0].is_final).toBe(false);

    // Past the booking (100,000 at CPM 20) and its 10 % tolerance, a report is refused with the
    // figures; the seller confirms them on the form, with why, and the buyer reads what it is
    // billed under the storefront's policy (default: not above the budget).
    const over = `date,impressions,clicks,spend\n${day(-1).slice(0, 10)},40000,120,800\n${today},75000,200,1500`;
    const form = page.locator('#kind-UPLOAD_FINAL_REPORT');
    await form.getByLabel('Delivery report (CSV)').fill(over);
    await form.locator('button:has-text("Upload the report")').click();
    await page.locator('#kind-UPLOAD_FINAL_REPORT .field-error').waitFor();
    const refusal = (await page.textContent('#kind-UPLOAD_FINAL_REPORT .field-error'))!;
    expect(refusal).toContain('115000, over the 110000 allowed');
    expect(refusal).toContain('confirm the figures under “Over-delivery”');
    const again = page.locator('#kind-UPLOAD_FINAL_REPORT');
    await again.getByLabel(/cumulative impressions you stand by/).fill('115000');
    await again.getByLabel(/cumulative spend you stand by/).fill('2300');
    await again.getByLabel(/why it delivered more/).fill('The ad server counted a day late');
    await again.locator('button:has-text("Upload the report")').click();
    await page.waitForURL(/work\?notice=work-report-uploaded/);
    const billed = (
      await agent.call('get_media_buy_delivery', { media_buy_ids: [mediaBuyId], account })
    ).media_buy_deliveries[0];
    expect(billed.totals).toMatchObject({ impressions: 115_000, spend: 2300 });
    expect(billed.ext.interchange.billing).toEqual({
      overdelivery_billing: 'not_billed',
      budget: 2000,
      delivered_spend: 2300,
      billable_spend: 2000,
      excess_spend: 300,
    });
    expect(billed.ext.interchange.delivery_revisions.at(-1).overdelivery_confirmed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          metric: 'impressions',
          confirmed: 115_000,
          reason: 'The ad server counted a day late',
        }),
      ]),
    );

    // A final report waits for the end of the flight: the form says so at the choice.
    const final = page.locator('#kind-UPLOAD_FINAL_REPORT');
    await final.getByRole('radio', { name: /Final: the flight is over/ }).check();
    await final
      .getByLabel('Delivery report (CSV)')
      .fill(`date,impressions,spend\n${today},25000,500`);
    await final.locator('button:has-text("Upload the report")').click();
    await page.locator('#kind-UPLOAD_FINAL_REPORT .field-error').waitFor();
    expect(await page.textContent('#kind-UPLOAD_FINAL_REPORT .field-error')).toContain(
      'send interim reports',
    );
    expect(await openItems('UPLOAD_FINAL_REPORT')).toHaveLength(1);
  }, 60_000);

  it('declines a booking: the capacity is back on sale and the buyer’s buy is rejected', async () => {
    const product = (await homepageProducts())[0];
    const created = await agent.call('create_media_buy', buyOf(product, account, 1_000));
    expect(created.status, JSON.stringify(created)).toBe('submitted');
    const { page } = b;
    await page.goto(`${base}/console/sources/avails/work`);
    const queue = page.locator('#kind-CONFIRM_AVAILS');
    await queue.getByLabel('Why (the buyer is told)').fill('Sold out in print');
    await queue.locator('button:has-text("Decline the booking")').click();
    await page.waitForURL(/work\?notice=work-booking-declined/);
    expect(await page.locator('#kind-CONFIRM_AVAILS').count()).toBe(0);
    const task = await eventually(
      () => agent.call('tasks_get', { task_id: created.task_id, account }),
      (t) => t.status !== 'submitted' && t.status !== 'working',
      30_000,
    );
    expect(['rejected', 'failed']).toContain(task.status);
  }, 60_000);

  it('loaded nothing from another origin, and no page broke its CSP', async () => {
    expect(b.requests.filter((url) => !url.startsWith(base))).toEqual([]);
    // The refused forms' pages came with their 400s; nothing else went wrong.
    const expected = [/status of 400 /, /status of 409 /];
    expect(b.problems.filter((p) => !expected.some((e) => e.test(p)))).toEqual([]);
  });
});

describe('modular console actions: CSRF and isolation', () => {
  const client = consoleClient(() => h.app);

  /** A buyer's booking waiting in the publisher's queue; answers its work item's id. */
  async function pendingBooking(): Promise<string> {
    const product = (await homepageProducts())[0];
    const created = await agent.call('create_media_buy', buyOf(product, account, 500));
    expect(created.status, JSON.stringify(created)).toBe('submitted');
    const [item] = await openItems('CONFIRM_AVAILS');
    return item!.id;
  }

  /** An avails file as the upload form sends it (multipart: the token first, the file last). */
  function uploadForm(csrf: string, csv: string) {
    const { bytes, contentType } = multipartBody(
      { csrf, form: 'avails-upload', contractId: 'static-avails-feed:v1' },
      { file: Readable.from([Buffer.from(csv)]), filename: 'avails.csv', mimetype: 'text/csv' },
    );
    return { payload: bytes, contentType };
  }

  it('another seller’s console answers 404 for the source, its items and its upload, and changes nothing', async () => {
    const itemId = await pendingBooking();
    const other = await createCustomer(h, { role: 'SELLER', name: 'Rival Radio' });
    const rival = await client.signIn(other.key);
    const mine = await client.signIn(publisher.key);

    for (const page of [
      '/console/sources/avails',
      '/console/sources/avails/work',
      '/console/sources/avails/avails',
    ]) {
      const res = await client.get(page, rival.cookie);
      expect(res.statusCode, page).toBe(404);
      expect(res.body).not.toContain(itemId);
    }
    for (const action of ['confirm', 'decline', 'claim']) {
      const res = await client.post(
        `/console/sources/avails/work/${itemId}/${action}`,
        { csrf: rival.csrf, form: `${action}-${itemId}`, 'result.reason': 'mine now' },
        rival.cookie,
      );
      expect(res.statusCode, action).toBe(404);
    }
    const csv = `${header}\n${availRow('rival-avail', 1_000)}`;
    const upload = uploadForm(rival.csrf, csv);
    const uploaded = await h.app.inject({
      method: 'POST',
      url: '/console/sources/avails/avails/upload',
      headers: { cookie: rival.cookie, 'content-type': upload.contentType },
      payload: upload.payload,
    });
    expect(uploaded.statusCode).toBe(404);
    // The item is still the publisher's, open; the avails on sale are the publisher's.
    expect((await openItems('CONFIRM_AVAILS')).map((i) => i.id)).toContain(itemId);
    const products = (await api(`${src}/modular/products`)).body.data.products;
    expect(JSON.stringify(products)).not.toContain('rival-avail');

    // A form without this session's token is refused, and changes nothing either.
    const forged = await client.post(
      `/console/sources/avails/work/${itemId}/confirm`,
      { csrf: rival.csrf, form: `confirm-${itemId}` },
      mine.cookie,
    );
    expect(forged.statusCode).toBe(403);
    const forgedUpload = uploadForm('not-the-token', csv);
    const refused = await h.app.inject({
      method: 'POST',
      url: '/console/sources/avails/avails/upload',
      headers: { cookie: mine.cookie, 'content-type': forgedUpload.contentType },
      payload: forgedUpload.payload,
    });
    expect(refused.statusCode).toBe(403);
    const created = await client.post(
      '/console/sources/new-modular',
      { csrf: 'forged', form: 'add-modular', name: 'Forged', sourceId: 'forged' },
      mine.cookie,
    );
    expect(created.statusCode).toBe(403);
    expect((await openItems('CONFIRM_AVAILS')).map((i) => i.id)).toContain(itemId);
    expect((await api(`${sources}/forged`)).status).toBe(404);

    // The publisher's own session does what the others could not.
    const confirmed = await client.post(
      `/console/sources/avails/work/${itemId}/confirm`,
      { csrf: mine.csrf, form: `confirm-${itemId}` },
      mine.cookie,
    );
    expect(confirmed.statusCode, confirmed.body).toBe(303);
    expect((await openItems('CONFIRM_AVAILS')).map((i) => i.id)).not.toContain(itemId);
  }, 60_000);
});
