import { describe, expect, it } from 'vitest';
import { campaignForCreatives } from './creatives-port.js';
import type { CampaignRow, MediaBuyRow } from '../store.js';

const now = Date.parse('2026-06-15T00:00:00Z');
const campaign = {
  id: 'cmp_1',
  customerId: 7,
  advertiserId: 3,
  status: 'ACTIVE',
} as CampaignRow;

function buy(patch: Partial<MediaBuyRow>): MediaBuyRow {
  return {
    id: 'mb_1',
    salesAgentId: 'agent_1',
    salesAgentName: 'Agent',
    sellerMediaBuyId: 'seller_mb_1',
    status: 'ACTIVE',
    account: { account_id: 'acct_1' },
    endTime: new Date(now + 86_400_000),
    packages: [
      { productId: 'p1', productName: 'P1', pricingOptionId: 'cpm', budget: 10, packageId: 'pk1' },
      {
        productId: 'p2',
        productName: 'P2',
        pricingOptionId: 'cpm',
        budget: 10,
        packageId: 'pk2',
        canceled: true,
      },
    ],
    ...patch,
  } as MediaBuyRow;
}

const live = (buys: MediaBuyRow[]) =>
  campaignForCreatives(campaign, buys, 'acme.example', 'agency.example', [], now).liveBuys;

describe('the live buys creatives go to (and are withdrawn from)', () => {
  it('are placed buys whose flight has not ended, with their packages not canceled', () => {
    expect(live([buy({})])).toEqual([
      expect.objectContaining({
        mediaBuyId: 'mb_1',
        packages: [{ packageId: 'pk1', productId: 'p1', formatIds: [] }],
      }),
    ]);
  });

  it('leave out buys that cannot serve: canceled, completed, flight ended, not placed', () => {
    expect(
      live([
        buy({ id: 'canceled', status: 'CANCELED' }),
        buy({ id: 'completed', status: 'COMPLETED' }),
        buy({ id: 'ended', endTime: new Date(now - 1000) }),
        buy({ id: 'unplaced', sellerMediaBuyId: null }),
        buy({ id: 'failed', status: 'FAILED' }),
      ]),
    ).toEqual([]);
  });
});
