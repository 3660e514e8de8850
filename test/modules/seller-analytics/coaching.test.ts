import { describe, expect, it } from 'vitest';
import {
  buildSellerAnalytics,
  runFactsWithOutcomes,
} from '../../../src/modules/seller-analytics/insights/payload.js';
import type {
  EventRecord,
  MediaBuyFacts,
  RunRecord,
} from '../../../src/modules/seller-analytics/runs/facts.js';
import type { Posture } from '../../../src/modules/postures/index.js';

/**
 * Eight eligible runs in March 2026, hand-computed: buyer A books its three one-product runs
 * and not its three-product runs (two of which object to price); buyer B refines twice, once
 * objecting in Dutch, and books nothing. Five buys are submitted for approval, none rejected.
 */
const acme = { operatorDomain: 'agency.example', brandDomain: 'acme.example', country: 'US' };
const beta = { operatorDomain: 'media.example', brandDomain: 'beta.example', country: 'FR' };
let nextId = 1;
const run = (
  day: number,
  buyer: 1 | 2,
  productIds: string[],
  refine: unknown[] | null,
  posture: [Posture | null, Posture | null] = [null, null],
): RunRecord => ({
  id: nextId++,
  storefrontId: 1001,
  createdAt: new Date(Date.UTC(2026, 2, day)),
  buyerCustomerId: buyer,
  ...(buyer === 1 ? acme : beta),
  buyingMode: refine ? 'refine' : 'brief',
  brief: null,
  refine,
  productIds,
  sourceOutcomes: [{ sourceId: 's1', ok: true, productCount: productIds.length }],
  discountPercent: null,
  durationMs: 10,
  selectedPosture: posture[0],
  recommendedPosture: posture[1],
  postureRationale: null,
  postureEvidence: [],
});
const objection = (ask: string) => [{ scope: 'request', ask }];
const runs = [
  run(1, 1, ['a1'], null, ['hold_value', 'hold_value']),
  run(2, 1, ['a2'], null, ['hold_value', 'hold_value']),
  run(3, 1, ['a3'], null, ['hold_value', 'hold_value']),
  run(4, 1, ['x1', 'x2', 'x3'], objection('too expensive'), ['hold_value', 'price_first']),
  run(5, 1, ['y1', 'y2', 'y3'], objection('a discount please'), ['hold_value', null]),
  run(6, 1, ['z1', 'z2', 'z3'], null),
  run(7, 2, ['b1', 'b2', 'b3'], objection('Het is te duur')),
  run(8, 2, ['b4', 'b5', 'b6'], [{ scope: 'request', ask: 'more video' }]),
].reverse();

const buys = new Map<string, MediaBuyFacts>(
  [
    ['mA1', 'a1', 100],
    ['mA2', 'a2', 200],
    ['mA3', 'a3', 300],
    ['mA4', 'x1', 400],
    ['mA5', 'y1', 500],
  ].map(([id, product, budget]) => [
    id as string,
    {
      mediaBuyId: id as string,
      productIds: [product as string],
      budget: budget as number,
      status: 'booked',
    },
  ]),
);
let eventId = 1;
const event = (mediaBuyId: string, name: EventRecord['event']): EventRecord => ({
  id: eventId++,
  createdAt: new Date(Date.UTC(2026, 2, 20)),
  buyerCustomerId: 1,
  mediaBuyId,
  event: name,
  detail: {},
});
const events = [
  ...['mA1', 'mA2', 'mA3', 'mA4', 'mA5'].map((id) => event(id, 'media_buy_submitted_for_approval')),
  ...['mA1', 'mA2', 'mA3'].map((id) => event(id, 'media_buy_forwarded')),
];

const analytics = buildSellerAnalytics({
  storefront: { id: 1001, name: 'S', archived: false },
  requestedRunLimit: 100,
  runs: runFactsWithOutcomes(runs, events, buys),
  buys,
  now: new Date('2026-04-01T00:00:00Z'),
});

describe('coaching over a hand-computed window', () => {
  it('recommends price_first for the window, the month and buyer A; B has too few runs', () => {
    expect(analytics.historicalPerformance).toMatchObject({
      runCount: 8,
      bookedRunCount: 3,
      winRate: 0.375,
      askRunCount: 4,
      askToBookConversionRate: 0,
      priceObjectionConversionRate: 0,
      packagingAskConversionRate: null,
      averageBookedBudget: 200,
      averageProductsPerRun: 2.25,
      averageProductsPerBookedRun: 1,
      averageProductsPerUnbookedRun: 3,
      deliveryRate: 0,
      repeatBuyerCount: 2,
      recommendedPosture: 'price_first',
    });
    expect(analytics.seasonality).toMatchObject([
      {
        period: '2026-03',
        runCount: 8,
        averageBookedBudget: 200,
        recommendedPosture: 'price_first',
      },
    ]);
    expect(analytics.buyers.map((b) => [b.brandDomain, b.recommendedPosture])).toEqual([
      ['acme.example', 'price_first'],
      ['beta.example', null],
    ]);
  });

  it('emits the signals whose conditions hold, with their evidence', () => {
    expect(analytics.strategySignals).toEqual([
      {
        id: 'price_objections',
        priority: 'high',
        label: 'Frequent price objections',
        detail: 'Price objections are frequent and rarely book: lead with price.',
        posture: 'price_first',
        evidence: [
          { label: 'Price-objection runs', value: '3' },
          { label: 'Objection win rate', value: '0%' },
          { label: 'Win rate', value: '38%' },
        ],
      },
      {
        id: 'tighten_selection',
        priority: 'medium',
        label: 'Fewer products book better',
        detail: 'Booked runs showed fewer products than unbooked ones.',
        posture: 'direct_fit',
        evidence: [
          { label: 'Products per booked run', value: '1' },
          { label: 'Products per unbooked run', value: '3' },
        ],
      },
    ]);
  });

  it('turns them into seller recommendations with stable ids, by priority then id', () => {
    expect(analytics.sellerRecommendations.map((r) => [r.id, r.priority, r.kind])).toEqual([
      ['price_resistance', 'high', 'price_resistance'],
      ['protect_expand:agency.example|acme.example|US', 'high', 'protect_expand'],
      ['prioritize_follow_up:media.example|beta.example|FR', 'medium', 'prioritize_follow_up'],
      ['tighten_selection', 'medium', 'tighten_selection'],
      ['learned_auto_approve', 'low', 'learned_auto_approve'],
    ]);
    const protect = analytics.sellerRecommendations[1]!;
    expect(protect.buyer).toEqual(acme);
    expect(protect.evidence).toEqual([
      { label: 'Booked runs', value: '3' },
      { label: 'Booked budget', value: '600' },
    ]);
  });

  it('learns the default posture and measures adherence', () => {
    expect(analytics.postureConversion).toEqual({
      byPosture: [
        { posture: 'hold_value', runCount: 5, bookedRunCount: 3, winRate: 0.6, bookedBudget: 600 },
      ],
      adherence: {
        comparableRunCount: 4,
        followedCount: 3,
        followedWinRate: 1,
        divergedWinRate: 0,
      },
    });
    expect(analytics.learnedDefault).toEqual({
      posture: 'hold_value',
      reason: 'Best win rate (0.6) over 5 runs using this posture.',
      checkedAt: '2026-04-01T00:00:00.000Z',
    });
  });
});
