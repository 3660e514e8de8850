import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../harness.js';
import { listen } from '../../agents/storefront-agent-support.js';
import { specViolations } from '../../agents/adcp31-spec-schemas.js';
import { dayOf, modularBuy } from './delivery-support.js';
import { day } from './support.js';

/**
 * Viewability in a modular source's delivery reports (issue 70): a report row may carry the
 * seller's measurable and viewable impressions, average viewed seconds and the standard; the
 * buyer's get_media_buy_delivery sums the counts, rates viewable over measurable, weights the
 * seconds by measurable impressions and names the standard only when every row agrees on it.
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

describe('viewability in a modular source’s delivery reports', () => {
  it('is aggregated from the seller’s rows into the buyer’s totals and packages', async () => {
    const buy = await modularBuy(h, base, { budget: 2_800, cpm: 14, start: 'asap', end: day(20) });
    try {
      const upload = (body: Record<string, unknown>) =>
        h.call('POST', buy.reports, { key: buy.key, body });
      const csvText = [
        'date,impressions,spend,measurable_impressions,viewable_impressions,viewed_seconds,viewability_standard',
        `${dayOf(-1)},10000,140,8000,6000,5,mrc`,
        `${dayOf(0)},5000,70,2000,1000,2.5,mrc`,
      ].join('\n');
      const sent = await upload({ csvText });
      expect(sent.status, sent.text).toBe(201);
      const delivery = await buy.delivery({ adcp_version: '3.1' });
      expect(specViolations('get_media_buy_delivery', delivery)).toEqual([]);
      const [row] = delivery.media_buy_deliveries;
      // 8,000 + 2,000 measurable; 7,000 viewable (0.7); (8,000 × 5 + 2,000 × 2.5) / 10,000 = 4.5 s.
      const expected = {
        measurable_impressions: 10_000,
        viewable_impressions: 7_000,
        viewable_rate: 0.7,
        viewed_seconds: 4.5,
        standard: 'mrc',
      };
      expect(row.totals.viewability, JSON.stringify(delivery)).toEqual(expected);
      expect(row.by_package[0].viewability, JSON.stringify(delivery)).toEqual(expected);

      // A row under another standard (or none): the counts still add up, the standard is not named.
      const mixed = await upload({
        rows: [
          {
            date: dayOf(0),
            impressions: 5_000,
            spend: 70,
            measurableImpressions: 2_000,
            viewableImpressions: 1_000,
            viewedSeconds: 2.5,
            viewabilityStandard: 'groupm',
          },
        ],
      });
      expect(mixed.status, mixed.text).toBe(201);
      const after = await buy.delivery({ adcp_version: '3.1' });
      expect(specViolations('get_media_buy_delivery', after)).toEqual([]);
      expect(after.media_buy_deliveries[0].totals.viewability).toEqual({
        measurable_impressions: 10_000,
        viewable_impressions: 7_000,
        viewable_rate: 0.7,
        viewed_seconds: 4.5,
      });
    } finally {
      await buy.agent.close();
    }
  }, 120_000);

  it('refuses rows whose viewability does not hold together, naming each', async () => {
    const buy = await modularBuy(h, base, { budget: 2_800, cpm: 14, start: 'asap', end: day(20) });
    try {
      const sent = await h.call('POST', buy.reports, {
        key: buy.key,
        body: {
          rows: [
            // More measurable than delivered.
            {
              date: dayOf(0),
              impressions: 100,
              spend: 1,
              measurable_impressions: 200,
              viewable_impressions: 10,
            },
            // More viewable than measurable.
            {
              date: dayOf(-1),
              impressions: 100,
              spend: 1,
              measurable_impressions: 50,
              viewable_impressions: 60,
            },
            // Seconds with nothing measured, and a standard AdCP does not know.
            {
              date: dayOf(0),
              impressions: 100,
              spend: 1,
              viewed_seconds: 3,
              viewability_standard: 'iab',
            },
          ],
        },
      });
      expect(sent.status, sent.text).toBe(400);
      const fields = (sent.body.error.details.issues as Array<{ field: string }>).map(
        (i) => i.field,
      );
      expect(fields).toEqual(
        expect.arrayContaining([
          'rows[0].measurable_impressions',
          'rows[1].viewable_impressions',
          'rows[2].viewed_seconds',
          'rows[2].viewability_standard',
        ]),
      );
      // A report without viewability answers none: AdCP lets a seller omit what it did not measure.
      const plain = await h.call('POST', buy.reports, {
        key: buy.key,
        body: { rows: [{ date: dayOf(0), impressions: 100, spend: 1.4 }] },
      });
      expect(plain.status, plain.text).toBe(201);
      const delivery = await buy.delivery({ adcp_version: '3.1' });
      expect(delivery.media_buy_deliveries[0].totals.impressions).toBe(100);
      expect(delivery.media_buy_deliveries[0].totals).not.toHaveProperty('viewability');
    } finally {
      await buy.agent.close();
    }
  }, 120_000);
});
