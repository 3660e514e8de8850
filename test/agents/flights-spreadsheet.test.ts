import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.js';
import { agencyBuying, agentClient, listen } from './storefront-agent-support.js';
import {
  commitCsv,
  day,
  header,
  modularStorefront,
  sources,
} from '../modules/modular-sources/support.js';

/**
 * Flights at a spreadsheet source (issue 68, item 3), over MCP with the official client: a
 * package whose flight runs past its product's is refused at the package's field before anything
 * is booked anywhere, and a date-only end cell ends its day whatever the file's format.
 */
let h: Harness;
let base: string;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- AdCP answers as read
const row = (id: string, end: string) =>
  `${id},Print ${id},print,display,${day(-1)},${end},1000000,20,USD,display_300x250,news.example`;

async function ledgerOf(sf: { seller: { key: string }; sourceId: string }) {
  const res = await h.call('GET', `${sources}/${sf.sourceId}/modular/ledger`, {
    key: sf.seller.key,
  });
  expect(res.status, res.text).toBe(200);
  return res.body.data as { avails: Json[]; bookings: Json[] };
}

describe('a flight at a spreadsheet source', () => {
  it('refuses a package running past its product’s flight at that package’s field, booking nothing', async () => {
    const sf = await modularStorefront(h);
    // Two one-month avails: the buy's second package runs two months past its avail.
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      [header, row('a', day(30)), row('b', day(30))].join('\n'),
    );
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const listed = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: 'print',
        account,
      });
      expect(listed.isError, JSON.stringify(listed)).toBe(false);
      const products = listed.products as Json[];
      expect(products.length).toBe(2);
      const pkg = (p: Json, extra: Record<string, unknown> = {}) => ({
        product_id: p.product_id,
        pricing_option_id: p.pricing_options[0].pricing_option_id,
        budget: 1_000,
        ...extra,
      });
      const buy = (packages: unknown[], end = day(20)) => ({
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: 'asap',
        end_time: end,
        packages,
      });
      // The package's own end two months past its avail: refused at that package's end_time.
      const own = await agent.call(
        'create_media_buy',
        buy([pkg(products[0]), pkg(products[1], { end_time: day(90) })]),
      );
      expect(own.isError, JSON.stringify(own)).toBe(true);
      expect(own.adcp_error ?? own.errors?.[0], JSON.stringify(own)).toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'packages[1].end_time',
      });
      // The buy's end inherited by every package: refused at the first package's end_time.
      const inherited = await agent.call('create_media_buy', buy([pkg(products[0])], day(90)));
      expect(inherited.isError, JSON.stringify(inherited)).toBe(true);
      expect(JSON.stringify(inherited)).toContain('packages[0].end_time');
      // Nothing was held or booked, and no person was asked.
      expect((await ledgerOf(sf)).bookings).toEqual([]);
      // Within the flight the same buy books.
      const fine = await agent.call('create_media_buy', buy([pkg(products[0]), pkg(products[1])]));
      expect(fine.isError, JSON.stringify(fine)).toBe(false);
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('allocates a proposal only to products running for the brief’s whole flight, and books it', async () => {
    const sf = await modularStorefront(h);
    const video = (id: string, end: string) =>
      `${id},Sports video ${id},sports,olv,${day(-1)},${end},1000000,25,USD,video_vast,sports.example`;
    // The pre-roll stops running ten days in; the brief's flight is to day 20.
    await commitCsv(
      h,
      sf.seller.key,
      sf.sourceId,
      [header, video('preroll', day(10)), video('midroll', day(60))].join('\n'),
    );
    const { buyer, account } = await agencyBuying(h);
    const agent = await agentClient(base, sf.platformId, buyer.key);
    try {
      const answer = await agent.call('get_products', {
        buying_mode: 'brief',
        brief: `Sports video pre-roll, budget $5,000, ${day(2).slice(0, 10)} to ${day(20).slice(0, 10)}`,
        account,
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const proposals = answer.proposals as Json[];
      expect(proposals?.length, JSON.stringify(answer)).toBeGreaterThan(0);
      for (const proposal of proposals) {
        const ids = proposal.allocations.map((a: Json) => a.product_id);
        expect(ids.join(), JSON.stringify(proposal)).not.toContain('preroll');
      }
      const booked = await agent.call('create_media_buy', {
        idempotency_key: randomUUID(),
        account,
        brand: { domain: 'acmeoutdoor.example' },
        start_time: day(2),
        end_time: day(20),
        proposal_id: proposals[0].proposal_id,
        total_budget: { amount: 5_000, currency: 'USD' },
      });
      expect(booked.isError, JSON.stringify(booked)).toBe(false);
    } finally {
      await agent.close();
    }
  }, 120_000);

  it('ends a date-only XLSX end cell at the end of its day, as the CSV form does', async () => {
    const last = day(30).slice(0, 10);
    const csv = await modularStorefront(h);
    await commitCsv(h, csv.seller.key, csv.sourceId, `${header}\n${row('c', last)}`);
    const xlsx = await modularStorefront(h);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Avails');
    sheet.addRow(header.split(','));
    const cells: unknown[] = row('x', last).split(',');
    cells[4] = new Date(`${day(-1).slice(0, 10)}T00:00:00Z`);
    cells[5] = new Date(`${last}T00:00:00Z`);
    cells[6] = 1_000_000;
    cells[7] = 20;
    sheet.addRow(cells);
    sheet.getColumn(5).numFmt = 'yyyy-mm-dd';
    sheet.getColumn(6).numFmt = 'yyyy-mm-dd';
    const form = new FormData();
    form.append('contractId', 'static-avails-feed:v1');
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    form.append('file', new Blob([bytes]), 'avails.xlsx');
    const res = await fetch(`${base}${sources}/${xlsx.sourceId}/feed/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${xlsx.seller.key}` },
      body: form,
    });
    const preview = (await res.json()) as Json;
    expect(res.status, JSON.stringify(preview)).toBe(200);
    const commit = await h.call('POST', `${sources}/${xlsx.sourceId}/feed/commit`, {
      key: xlsx.seller.key,
      body: {
        feedId: preview.data.feedId,
        previewBaseline: preview.data.previewBaseline,
        revision: preview.data.revision,
      },
    });
    expect(commit.status, commit.text).toBe(200);
    const [fromCsv] = (await ledgerOf(csv)).avails;
    const [fromXlsx] = (await ledgerOf(xlsx)).avails;
    expect(new Date(fromCsv.endTime).toISOString()).toBe(`${last}T23:59:59.999Z`);
    expect(new Date(fromXlsx.endTime).toISOString()).toBe(`${last}T23:59:59.999Z`);
  }, 120_000);
});
