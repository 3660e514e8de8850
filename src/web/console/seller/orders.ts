import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import { page, panel, statusBadge, table, when } from '../layout.js';
import { hrefOf, pager, registerSignedExport } from '../pager.js';
import { workPage } from './modular/wire.js';
import { sellerMediaBuyStatuses } from '../../../modules/order-views/index.js';

const listApi = '/api/v2/storefront/media-buys';
const pagePath = '/console/orders';
const pageSize = 25;

const statuses = sellerMediaBuyStatuses;

/** A row of GET /api/v2/storefront/media-buys, the fields this page shows. */
interface Order {
  mediaBuyId: string;
  buyer: { customerId: number | null; name: string | null };
  status: string;
  pendingReason: string | null;
  flightStart: string | null;
  flightEnd: string | null;
  createdAt: string | null;
  brandDomain: string | null;
  poNumber: string | null;
  budget: number | null;
  bookedBudget: number | null;
  currency: string | null;
  productIds: string[];
  sources: Array<{ sourceId: string; name: string | null; sourceMediaBuyId: string | null }>;
  pacing: {
    deliveredSpend: number;
    deliveredImpressions: number;
    expectedSpend: number | null;
    pacingRatio: number | null;
  };
  openWorkItems: number;
  buyerRefs: {
    agencyEstimateNumber: string | null;
    planId: string | null;
    proposalId: string | null;
  };
}

interface OrderList {
  items: Order[];
  total: number;
  nextCursor: string | null;
}

/**
 * The filters as the API names them, from the page's query: a day typed in a date field is the
 * whole UTC day (from 00:00, to 23:59:59). Anything the API refuses comes back as its message.
 */
function filtersOf(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['status', 'buyerCustomerId', 'sourceId'] as const) {
    if (query[k]) out[k] = query[k];
  }
  if (query['from']) out['flightStartFrom'] = `${query['from']}T00:00:00Z`;
  if (query['to']) out['flightStartTo'] = `${query['to']}T23:59:59Z`;
  return out;
}

const money = (n: number | null, currency: string | null) =>
  n === null
    ? '—'
    : `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}${currency ? ` ${e(currency)}` : ''}`;

/** The budget the sources confirmed, and the booked one beneath it when an update moved it. */
const budgetCell = (o: Order) =>
  o.bookedBudget !== null && o.budget !== o.bookedBudget
    ? `${money(o.budget, o.currency)}<br><span class="note">booked ${money(o.bookedBudget, o.currency)}</span>`
    : money(o.budget, o.currency);

const tone = (status: string) =>
  status === 'delivering' || status === 'booked' || status === 'completed'
    ? 'good'
    : status === 'forward_failed' || status === 'rejected' || status === 'canceled'
      ? 'bad'
      : ('neutral' as const);

/**
 * Delivered ÷ expected to date, as a seller reads it: behind under 80 % (bad), on pace to 120 %,
 * ahead above; past 10× (a buy minutes into its flight that has already delivered) it says so
 * rather than a six-digit percentage.
 */
function pacingBadge(ratio: number): string {
  const pct = `${Math.round(ratio * 100).toLocaleString('en-US')}% of pace`;
  if (ratio < 0.8) return statusBadge(`${pct}, behind`, 'bad');
  if (ratio <= 1.2) return statusBadge(pct, 'good');
  if (ratio <= 10) return statusBadge(`${pct}, ahead`, 'neutral');
  return statusBadge('over 10× pace, ahead', 'neutral');
}

function pacingCell(o: Order): string {
  const p = o.pacing;
  const ratio = p.pacingRatio === null ? '' : `<br>${pacingBadge(p.pacingRatio)}`;
  return `${money(p.deliveredSpend, o.currency)} delivered of ${money(p.expectedSpend, o.currency)} expected<br>${p.deliveredImpressions.toLocaleString('en-US')} impressions${ratio}`;
}

function orderRow(o: Order): string[] {
  const refs = [
    o.buyerRefs.agencyEstimateNumber && `Estimate ${e(o.buyerRefs.agencyEstimateNumber)}`,
    o.buyerRefs.planId && `Plan ${e(o.buyerRefs.planId)}`,
    o.buyerRefs.proposalId && `Proposal ${e(o.buyerRefs.proposalId)}`,
  ].filter(Boolean);
  const work = o.sources.length
    ? `<a href="${e(workPage(o.sources[0]!.sourceId))}">${o.openWorkItems} open</a>`
    : String(o.openWorkItems);
  return [
    `<code>${e(o.mediaBuyId)}</code>${o.poNumber ? `<br>PO ${e(o.poNumber)}` : ''}${refs.length ? `<br>${refs.join('<br>')}` : ''}`,
    `${e(o.buyer.name ?? `Buyer ${o.buyer.customerId ?? '—'}`)}${o.brandDomain ? `<br>${e(o.brandDomain)}` : ''}`,
    `${statusBadge(o.status.replace(/_/g, ' '), tone(o.status))}${o.pendingReason ? `<br><span class="note">${e(o.pendingReason.replace(/_/g, ' '))}</span>` : ''}`,
    `${o.flightStart ? when(o.flightStart) : `ASAP (placed ${when(o.createdAt)})`}<br>to ${when(o.flightEnd)}`,
    budgetCell(o),
    o.productIds.map((p) => `<code>${e(p)}</code>`).join('<br>') || '—',
    o.sources.map((s) => e(s.name ?? s.sourceId)).join('<br>') || '—',
    pacingCell(o),
    work,
  ];
}

function filterForm(
  query: Record<string, string>,
  buyers: Map<number, string>,
  sources: Array<{ sourceId: string; name: string }>,
): string {
  const option = (value: string, label: string, chosen: string | undefined) =>
    `<option value="${e(value)}"${chosen === value ? ' selected' : ''}>${e(label)}</option>`;
  return `<form method="get" action="${pagePath}" class="filters">
<div class="field"><label for="o-status">Status</label><select id="o-status" name="status"><option value="">Any</option>${statuses.map((s) => option(s, s.replace(/_/g, ' '), query['status'])).join('')}</select></div>
<div class="field"><label for="o-source">Source</label><select id="o-source" name="sourceId"><option value="">Any</option>${sources.map((s) => option(s.sourceId, s.name, query['sourceId'])).join('')}</select></div>
<div class="field"><label for="o-buyer">Buyer</label><select id="o-buyer" name="buyerCustomerId"><option value="">Any</option>${[...buyers].map(([id, name]) => option(String(id), name, query['buyerCustomerId'])).join('')}</select></div>
<div class="field"><label for="o-from">Flight starts from</label><input type="date" id="o-from" name="from" value="${e(query['from'] ?? '')}"></div>
<div class="field"><label for="o-to">Flight starts by</label><input type="date" id="o-to" name="to" value="${e(query['to'] ?? '')}"></div>
<div class="actions"><button type="submit">Show</button> <a href="${pagePath}">Clear</a></div></form>`;
}

async function renderOrders(args: PageArgs): Promise<string> {
  const filters = filtersOf(args.query);
  const cursor = args.query['cursor'];
  const [list, everyone, sources] = await Promise.all([
    args.api.get<OrderList>(listApi, {
      ...filters,
      take: String(pageSize),
      ...(cursor && { cursor }),
    }),
    // The buyers to filter by: those of the storefront's newest 200 buys.
    args.api.get<OrderList>(listApi, { take: '200' }),
    args.api.get<Array<{ sourceId: string; name: string }>>('/api/v2/storefront/inventory-sources'),
  ]);
  const buyers = new Map<number, string>();
  for (const o of everyone.items) {
    if (o.buyer.customerId !== null) {
      buyers.set(o.buyer.customerId, o.buyer.name ?? `Buyer ${o.buyer.customerId}`);
    }
  }
  const keep = {
    status: args.query['status'],
    sourceId: args.query['sourceId'],
    buyerCustomerId: args.query['buyerCustomerId'],
    from: args.query['from'],
    to: args.query['to'],
  };
  const paging = pager({
    label: 'Orders pages',
    summary:
      list.total === 0
        ? 'No orders match.'
        : `${list.items.length} shown of ${list.total} orders${cursor ? ' (a later page)' : ''}.`,
    first: cursor ? hrefOf(pagePath, keep) : undefined,
    next: list.nextCursor ? hrefOf(pagePath, { ...keep, cursor: list.nextCursor }) : undefined,
  });
  const body = `${panel(
    'orders-filter-h',
    'Find orders',
    `${filterForm(args.query, buyers, sources)}
<p class="button-row"><a class="button secondary" href="${e(hrefOf(`${pagePath}/export`, keep))}">Export CSV</a></p>`,
  )}
${panel(
  'orders-h',
  'Orders',
  `<p class="note">Every media buy on the storefront, whichever source it went to. Pacing compares
what the sources last reported delivered with the budget spread evenly over the flight to today;
open work is what the buy's sources still wait on you for.</p>
${table('Orders', ['Buy and PO', 'Buyer and brand', 'Status', 'Flight', 'Budget', 'Products', 'Sources', 'Pacing', 'Open work'], list.items.map(orderRow), 'No orders match these filters.')}
${paging}`,
)}`;
  return page({ ...(await args.frame('Orders', pagePath)), flash: args.flash }, body);
}

/** The storefront's orders: every media buy, filtered, paged by cursor, exported as CSV. */
export function registerOrdersPage(ctx: ConsoleContext): void {
  ctx.page(pagePath, 'SELLER', renderOrders);
  registerSignedExport(ctx, {
    path: `${pagePath}/export`,
    page: pagePath,
    persona: 'SELLER',
    apiPathOf: () => `${listApi}/export`,
    queryOf: filtersOf,
  });
}
