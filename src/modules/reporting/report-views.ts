import type { Db } from '../../platform/db/database.js';
import { invalid } from '../../platform/errors.js';
import { cents } from '../../platform/pricing.js';
import * as store from './store.js';
import type { GroupSums, Level, Names, Scope, Sums } from './store.js';
import { byCurrencyOf, currencyOf, eventConversionsOf, metricsOf } from './views.js';

// Campaigns here are executed by us (hosted: managed), not mirrored from elsewhere (tracked).
const management = 'managed' as const;

/** The period a report names: its bounds, or the days it has figures on when open. */
async function periodNamed(db: Db, scope: Scope) {
  if (scope.startDay && scope.endDay)
    return { periodStart: scope.startDay, periodEnd: scope.endDay };
  const span = await store.daySpan(db, scope);
  const today = new Date().toISOString().slice(0, 10);
  return {
    periodStart: scope.startDay ?? span.first ?? scope.endDay ?? today,
    periodEnd: scope.endDay ?? span.last ?? scope.startDay ?? today,
  };
}

const level = (parts: Sums[]) => {
  const metrics = metricsOf(parts);
  return { currency: currencyOf(parts), metrics, totals: metrics, byCurrency: byCurrencyOf(parts) };
};

/** Groups rows by a key, keeping first-seen order (the query's order). */
function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/**
 * Seed 004's summary: advertiser → campaign → media buy → package, each level with totals
 * summed in SQL (GROUPING SETS), per currency where a level mixes them; consolidated into
 * displayCurrency only where a level's currency already is it (no exchange-rate source).
 */
export async function summaryOf(
  db: Db,
  scope: Scope,
  outcomeTypes: readonly string[],
  displayCurrency: string | undefined,
  at: Date,
) {
  const [groups, events, period] = await Promise.all([
    store.summaryGroups(db, scope),
    store.eventConversions(db, scope, outcomeTypes),
    periodNamed(db, scope),
  ]);
  const at_ = (l: GroupSums['level']) => groups.filter((g) => g.level === l);
  // Campaigns with attributed conversion events but no delivery in the period still show.
  const eventCampaigns = events.flatMap((e) => (e.campaignId ? [e.campaignId] : []));
  const names = await store.namesOf(db, scope.customerId, {
    advertisers: [
      ...new Set([
        ...at_('advertiser').map((g) => g.advertiserId as number),
        ...events.map((e) => e.advertiserId),
      ]),
    ],
    campaigns: [
      ...new Set([...at_('campaign').map((g) => g.campaignId as string), ...eventCampaigns]),
    ],
    mediaBuys: at_('mediaBuy').map((g) => g.mediaBuyId as string),
  });
  // Each level's groups under their parent (rows of one id: one per currency).
  const children = (
    l: Level,
    parent: (g: GroupSums) => unknown,
    own: (g: GroupSums) => unknown,
  ) => {
    const tree = new Map<unknown, Map<unknown, GroupSums[]>>();
    for (const [key, parts] of groupBy(at_(l), own)) {
      const first = parts[0] as GroupSums;
      const siblings = tree.get(parent(first)) ?? new Map<unknown, GroupSums[]>();
      siblings.set(key, parts);
      tree.set(parent(first), siblings);
    }
    return tree;
  };
  const packagesOf = children(
    'package',
    (g) => g.mediaBuyId,
    (g) => g.packageId,
  );
  const buysOf = children(
    'mediaBuy',
    (g) => g.campaignId,
    (g) => g.mediaBuyId,
  );
  const campaignsOf = children(
    'campaign',
    (g) => g.advertiserId,
    (g) => g.campaignId,
  );
  const advertisers = groupBy(at_('advertiser'), (g) => g.advertiserId as number);
  for (const e of events) {
    if (!advertisers.has(e.advertiserId)) advertisers.set(e.advertiserId, []);
    if (!e.campaignId) continue;
    const siblings = campaignsOf.get(e.advertiserId) ?? new Map<unknown, GroupSums[]>();
    if (!siblings.has(e.campaignId)) siblings.set(e.campaignId, []);
    campaignsOf.set(e.advertiserId, siblings);
  }
  const eventsByCampaign = groupBy(events, (e) => e.campaignId);
  const eventsByAdvertiser = groupBy(events, (e) => e.advertiserId);
  const totals = at_('total');

  const packageView = (buyId: string, packageId: string, parts: GroupSums[]) => {
    const product = names.mediaBuys.get(buyId)?.products.get(packageId);
    return {
      packageId,
      productId: product?.productId ?? null,
      productName: product?.productName ?? null,
      ...level(parts),
    };
  };
  const buyView = (buyId: string, parts: GroupSums[]) => {
    const buy = names.mediaBuys.get(buyId);
    return {
      mediaBuyId: buyId,
      name: buy?.name ?? buyId,
      status: buy?.status ?? 'UNKNOWN',
      budget: buy?.budget ?? null,
      ...level(parts),
      deliveryFxConversion: null,
      packages: [...(packagesOf.get(buyId) ?? new Map()).entries()].map(([id, p]) =>
        packageView(buyId, id as string, p),
      ),
    };
  };
  const campaignView = (campaignId: string, parts: GroupSums[]) => {
    const name = names.campaigns.get(campaignId) ?? campaignId;
    return {
      campaignId,
      campaignName: name,
      name,
      management,
      ...level(parts),
      eventConversions: eventConversionsOf(eventsByCampaign.get(campaignId) ?? []),
      mediaBuys: [...(buysOf.get(campaignId) ?? new Map()).entries()].map(([id, b]) =>
        buyView(id as string, b),
      ),
    };
  };
  const advertiserViews = [...advertisers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([advertiserId, parts]) => {
      const name = names.advertisers.get(advertiserId) ?? String(advertiserId);
      return {
        advertiserId: String(advertiserId),
        advertiserName: name,
        name,
        ...level(parts),
        eventConversions: eventConversionsOf(eventsByAdvertiser.get(advertiserId) ?? []),
        campaigns: [...(campaignsOf.get(advertiserId) ?? new Map()).entries()].map(([id, c]) =>
          campaignView(id as string, c),
        ),
      };
    });
  const top = level(totals);
  return {
    advertisers: advertiserViews,
    totals: top.metrics,
    totalsCurrency: top.currency,
    totalsByCurrency: top.byCurrency,
    eventConversions: eventConversionsOf(events),
    consolidated: displayCurrency ? consolidated(displayCurrency, totals, advertisers, at) : null,
    ...period,
  };
}

/**
 * Hosted `consolidated`: the rollup in displayCurrency. No exchange-rate source is configured,
 * so only figures already in displayCurrency are counted; every other currency is listed in
 * `unconverted` and left out of the consolidated spend (never converted at a guessed rate).
 */
function consolidated(
  displayCurrency: string,
  totals: GroupSums[],
  advertisers: Map<number, GroupSums[]>,
  at: Date,
) {
  const same = totals.filter((t) => t.currency === displayCurrency);
  const metrics = metricsOf(same);
  return {
    totals: {
      ...metricsOf(totals),
      spend: metrics.spend ?? 0,
      conversionValue: metrics.conversionValue ?? 0,
      ecpm: null,
      cpc: null,
      cpa: null,
      roas: null,
    },
    byAdvertiser: [...advertisers.entries()].flatMap(([advertiserId, parts]) =>
      parts.map((p) => ({
        advertiserId: String(advertiserId),
        currency: p.currency,
        spend: p.currency === displayCurrency ? cents(p.spend) : null,
      })),
    ),
    conversionInfo: {
      displayCurrency,
      asOf: at.toISOString(),
      rateSource: 'none' as const,
      rateBasis: 'as-of' as const,
      rates: [],
      unconverted: totals.map((t) => t.currency).filter((c) => c !== displayCurrency),
      estimate: true as const,
    },
  };
}

/** Beyond this many rows a JSON answer is the wrong tool (tens of MB); the download streams. */
export const maxTimeseriesRows = 50_000;

/** Hosted timeseries: one row per (advertiser → campaign → media buy → package) × day. */
export async function timeseriesOf(db: Db, scope: Scope, outcomeTypes: readonly string[]) {
  const [rows, totals, events, period] = await Promise.all([
    store.dayRows(db, scope, maxTimeseriesRows + 1),
    store.totalsByCurrency(db, scope),
    store.eventConversions(db, scope, outcomeTypes),
    periodNamed(db, scope),
  ]);
  if (rows.length > maxTimeseriesRows) {
    throw invalid(
      `The timeseries holds more than ${maxTimeseriesRows} rows: narrow the period or filters, or use download=true`,
      'view',
    );
  }
  const names = await namesForRows(db, scope.customerId, rows);
  const top = level(totals);
  return {
    timeseries: rows.map((r) => timeseriesRow(r, names)),
    totals: top.metrics,
    totalsCurrency: top.currency,
    totalsByCurrency: top.byCurrency,
    eventConversions: [
      ...groupBy(events, (e) => `${e.day}\n${e.advertiserId}\n${e.campaignId ?? ''}`).values(),
    ].map((group) => {
      const first = group[0] as (typeof group)[number];
      return {
        date: first.day,
        advertiserId: String(first.advertiserId),
        campaignId: first.campaignId,
        ...eventConversionsOf(group),
      };
    }),
    ...period,
  };
}

/** The names a page of day rows mentions. */
export function namesForRows(db: Db, customerId: number, rows: store.DayRow[]) {
  return store.namesOf(db, customerId, {
    advertisers: [...new Set(rows.map((r) => r.advertiserId))],
    campaigns: [...new Set(rows.map((r) => r.campaignId))],
    mediaBuys: [...new Set(rows.map((r) => r.mediaBuyId))],
  });
}

/** What names one leaf-by-day row: its ids and their names (the timeseries and the CSV). */
export function rowLabels(r: store.DayRow, names: Names) {
  const buy = names.mediaBuys.get(r.mediaBuyId);
  const product = buy?.products.get(r.packageId);
  return {
    date: r.day,
    advertiserId: String(r.advertiserId),
    advertiserName: names.advertisers.get(r.advertiserId) ?? String(r.advertiserId),
    currency: r.currency,
    campaignId: r.campaignId,
    campaignName: names.campaigns.get(r.campaignId) ?? r.campaignId,
    management,
    mediaBuyId: r.mediaBuyId,
    mediaBuyName: buy?.name ?? r.mediaBuyId,
    mediaBuyStatus: buy?.status ?? 'UNKNOWN',
    packageId: r.packageId,
    productId: product?.productId ?? null,
    productName: product?.productName ?? null,
  };
}

/** One leaf-by-day row as the hosted timeseries shows it. */
export const timeseriesRow = (r: store.DayRow, names: Names) => ({
  ...rowLabels(r, names),
  metrics: metricsOf([r]),
});
