import { mediaChannels } from '../../../modules/storefronts/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { seg } from '../api.js';
import type { ConsoleContext, FormContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec, FormValues } from '../forms/index.js';
import { page, panel, statusBadge, table } from '../layout.js';
import { hrefOf, pager } from '../pager.js';
import type {
  AdvertiserSummary,
  DiscoveryPage,
  Page,
  Product,
  Selections,
  StorefrontSummary,
} from './wire.js';

const base = '/api/v2/buyer/discovery';
export const discoveryUrl = (id: string, advertiserId?: string) =>
  `/console/discover/${seg(id)}${advertiserId ? `?advertiserId=${seg(advertiserId)}` : ''}`;

const briefFields = (
  advertisers: AdvertiserSummary[],
  storefronts: StorefrontSummary[],
): FieldSpec[] => [
  {
    name: 'advertiserId',
    label: 'Advertiser',
    kind: 'select',
    options: advertisers.map((a) => ({ value: a.id, label: `${a.name} (${a.brand})` })),
  },
  {
    name: 'brief',
    label: 'Brief',
    kind: 'textarea',
    hint: 'What you want to reach, where and why: the storefront agents compose products for it.',
  },
  { name: 'budget', label: 'Budget', kind: 'number' },
  {
    name: 'channels',
    label: 'Channels',
    kind: 'checkboxes',
    options: mediaChannels.map((c) => ({ value: c, label: c.replace(/_/g, ' ') })),
  },
  {
    name: 'countries',
    label: 'Countries',
    kind: 'list',
    hint: 'Two-letter codes (US, FR); empty: anywhere.',
  },
  {
    name: 'storefrontIds',
    label: 'Storefronts to ask',
    kind: 'checkboxes',
    options: storefronts.map((s) => ({ value: String(s.id), label: s.name })),
    hint: 'None ticked: every storefront open to you.',
  },
  { name: 'flightDates.startDate', label: 'Flight starts (UTC)', kind: 'date', dayEdge: 'start' },
  { name: 'flightDates.endDate', label: 'Flight ends (UTC)', kind: 'date', dayEdge: 'end' },
];

const briefSpec = (
  advertisers: AdvertiserSummary[] = [],
  storefronts: StorefrontSummary[] = [],
  values?: Record<string, unknown>,
): FormSpec => ({
  id: 'brief',
  action: '/console/discover',
  route: 'POST /api/v2/buyer/discovery/discover-products',
  fields: briefFields(advertisers, storefronts),
  submit: 'Discover products',
  ...(values && { values }),
  busy: 'Asking the storefront agents for products. Each agent has a time budget; any that does not answer in time is listed with the results.',
});

/** Products per storefront on one results page (the API's most). */
const perPage = 15;

/** The results page's product offset (per storefront), from the query; 0 when absent or bad. */
const offsetOf = (value: string | string[] | undefined): number => {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1000) : 0;
};

/** The selection form: product cards to tick, each with its budget (and bid for auctions). */
const selectSpec = (
  discoveryId: string,
  advertiserId: string,
  cards = '',
  offset = 0,
): FormSpec => ({
  id: 'select',
  action: `/console/discover/${seg(discoveryId)}/select`,
  route: 'POST /api/v2/buyer/discovery/:discoveryId/products',
  fields: [],
  submit: 'Add the ticked products to the selection',
  intro: cards,
  // The page's offset: the ticked products are looked up on the page they were shown on.
  hidden: { advertiserId, offset: String(offset) },
});

const removeSpec = (discoveryId: string, productId: string): FormSpec => ({
  id: `remove-${productId}`,
  action: `/console/discover/${seg(discoveryId)}/remove`,
  route: 'DELETE /api/v2/buyer/discovery/:discoveryId/products',
  fields: [],
  submit: 'Remove',
  danger: true,
  className: 'inline-form',
  hidden: { productId },
});

/**
 * Discovery: a brief asks the storefront agents (progress shown while they answer), the answer
 * comes back as product cards with the agents that did not answer named, and ticked products
 * become the selection a campaign is built from.
 */
export function registerDiscoverPages(ctx: ConsoleContext): void {
  ctx.page('/console/discover', 'BUYER', renderBrief);
  ctx.apiForm({
    url: '/console/discover',
    persona: 'BUYER',
    page: '/console/discover',
    spec: () => briefSpec(),
    shape: (body) => ({
      ...body,
      ...(Array.isArray(body.storefrontIds) && {
        storefrontIds: body.storefrontIds.map((id) => Number(id)),
      }),
    }),
    done: (data, { values }) => ({
      to: discoveryUrl((data as DiscoveryPage).discoveryId, String(values.advertiserId ?? '')),
      notice: 'products-found',
      subject: String((data as DiscoveryPage).summary.totalProducts),
    }),
  });
  ctx.page('/console/discover/:discoveryId', 'BUYER', renderResults);
  ctx.apiForm({
    url: '/console/discover/:discoveryId/select',
    persona: 'BUYER',
    page: '/console/discover/:discoveryId',
    spec: ({ params }) => selectSpec(params.discoveryId!, ''),
    call: (_body, ctx) => selectionCall(ctx),
    done: (data, { params, values }) => ({
      to: `${discoveryUrl(params.discoveryId!, String(values.advertiserId ?? ''))}#selection-h`,
      notice: 'products-selected',
      subject: String((data as Selections).totalProducts),
    }),
  });
  ctx.apiForm({
    url: '/console/discover/:discoveryId/remove',
    persona: 'BUYER',
    page: '/console/discover/:discoveryId',
    spec: ({ params }) => removeSpec(params.discoveryId!, ''),
    call: (_body, { params, values }) => ({
      method: 'DELETE',
      path: `${base}/${seg(params.discoveryId!)}/products`,
      body: { productIds: [String(values.productId ?? '')] },
    }),
    done: (_data, { params, values }) => ({
      to: `${discoveryUrl(params.discoveryId!, String(values.advertiserId ?? ''))}#selection-h`,
      notice: 'products-removed',
      subject: '',
    }),
  });
}

async function renderBrief(args: PageArgs): Promise<string> {
  const [advertisers, storefronts] = await Promise.all([
    args.api.get<Page<AdvertiserSummary>>('/api/v2/buyer/advertisers', { limit: 100 }),
    args.api.get<Page<StorefrontSummary>>('/api/v2/buyer/storefronts', { limit: 50 }),
  ]);
  const frame = {
    ...(await args.frame('Discover products', '/console/discover')),
    flash: args.flash,
  };
  if (advertisers.items.length === 0) {
    return page(
      frame,
      panel(
        'brief-h',
        'First, an advertiser',
        '<p class="empty">Products are composed for an advertiser (its brand). <a href="/console/advertisers">Create your first advertiser</a>, then come back here.</p>',
      ),
    );
  }
  const values = {
    advertiserId: args.query.advertiserId ?? advertisers.items[0]!.id,
    ...(args.query.storefrontId && { storefrontIds: [args.query.storefrontId] }),
  };
  return page(
    frame,
    panel(
      'brief-h',
      'Your brief',
      `${storefronts.items.length === 0 ? '<p class="note">No storefront is open to you yet: a seller’s join link brings you to theirs.</p>' : ''}${args.form(briefSpec(advertisers.items, storefronts.items, values))}`,
    ),
  );
}

async function renderResults(args: PageArgs): Promise<string> {
  const id = args.params.discoveryId!;
  const advertiserId = args.query.advertiserId ?? '';
  const offset = offsetOf(args.query.offset);
  const [found, selections] = await Promise.all([
    args.api.get<DiscoveryPage>(`${base}/${seg(id)}/discover-products`, {
      productsPerGroup: perPage,
      productOffset: offset,
    }),
    args.api.get<Selections>(`${base}/${seg(id)}/products`),
  ]);
  const frame = {
    ...(await args.frame('Discovered products', '/console/discover')),
    flash: args.flash,
    back: {
      href: `/console/discover${advertiserId ? `?advertiserId=${seg(advertiserId)}` : ''}`,
      label: 'New brief',
    },
  };
  const agents = table(
    'Agents asked',
    ['Agent', 'Answer', 'Products', 'Time'],
    found.agentResults.map((a) => [
      `${e(a.agentName)}<br><code>${e(a.agentId)}</code>`,
      a.success
        ? statusBadge('answered', 'good')
        : a.timedOut
          ? `${statusBadge('did not answer in time', 'bad')}`
          : `${statusBadge('failed', 'bad')}${a.error ? `<br><span class="note">${e(a.error)}</span>` : ''}`,
      String(a.productCount),
      `${(a.responseTimeMs / 1000).toFixed(1)} s`,
    ]),
    'No agent was asked: no storefront open to you matched the brief.',
  );
  const missing = found.agentResults.filter((a) => !a.success);
  const progress = `<p>${found.progress.respondedStorefrontCount} of ${found.progress.totalStorefrontCount} storefronts answered${missing.length ? `; ${missing.length} did not: ${missing.map((a) => e(a.agentName)).join(', ')}` : ''}.</p>`;
  const chosen = new Set(selections.products.map((p) => p.productId));
  const cards = found.productGroups
    .flatMap((g) => g.products)
    .map((p, i) => productCard(p, i, chosen.has(p.productId)))
    .join('');
  const selectForm = cards
    ? args.form(selectSpec(id, advertiserId, `<div class="cards">${cards}</div>`, offset))
    : '<p class="empty">No products for this brief. Try a broader brief, other channels, or more storefronts.</p>';
  const paging = resultsPager(id, advertiserId, offset, found);
  const selectionRows = selections.products.map((s) => [
    `<code>${e(s.productId)}</code><br><span class="note">${e(s.groupName)}</span>`,
    s.budget === undefined ? '—' : String(s.budget),
    s.bidPrice === undefined ? '—' : String(s.bidPrice),
    args.form({ ...removeSpec(id, s.productId), hidden: { productId: s.productId, advertiserId } }),
  ]);
  const budget = selections.budgetContext
    ? `<p>Allocated ${selections.budgetContext.allocatedBudget} of ${selections.budgetContext.sessionBudget}; ${selections.budgetContext.remainingBudget} left.</p>`
    : '';
  const build = selections.products.length
    ? `<p><a class="button" href="/console/campaigns/new?discoveryId=${e(seg(id))}${advertiserId ? `&amp;advertiserId=${e(seg(advertiserId))}` : ''}">Build a campaign from the selection</a></p>`
    : '';
  return page(
    frame,
    `${panel('agents-h', 'Who answered', `${progress}${agents}`)}
${panel('products-h', `Products (${found.summary.totalProducts})`, `${selectForm}${paging}`)}
${panel('selection-h', 'Your selection', `${budget}${table('Selected products', ['Product', 'Budget', 'Bid', ''], selectionRows, 'Nothing selected yet: tick products above and give each a budget.')}${build}`)}`,
  );
}

/**
 * Paging through every product found (issue 47: nothing hidden): each page shows up to 15 of
 * each storefront's products, best match first as the storefront ranked them.
 */
function resultsPager(id: string, advertiserId: string, offset: number, found: DiscoveryPage) {
  const most = Math.max(0, ...found.productGroups.map((g) => g.totalProducts));
  if (most <= perPage && offset === 0) return '';
  const at = (o: number) =>
    `${hrefOf(`/console/discover/${seg(id)}`, { advertiserId, offset: o || undefined })}#products-h`;
  const shown = found.productGroups.reduce((n, g) => n + g.products.length, 0);
  return pager({
    label: 'Pages of products',
    summary: `Page ${Math.floor(offset / perPage) + 1} of ${Math.max(1, Math.ceil(most / perPage))}: ${shown} of ${found.summary.totalProducts} products.`,
    first: offset > 0 ? at(0) : undefined,
    previous: offset > 0 ? at(Math.max(0, offset - perPage)) : undefined,
    next: found.productGroups.some((g) => g.hasMoreProducts) ? at(offset + perPage) : undefined,
  });
}

/** A pricing option's price as a buyer reads it, and whether it is an auction (needs a bid). */
function priceOf(option: Record<string, unknown> | undefined) {
  if (!option) return { text: 'price on request', auction: false, floor: undefined };
  const model = String(option.pricing_model ?? '').toUpperCase();
  const currency = typeof option.currency === 'string' ? ` ${option.currency}` : '';
  if (typeof option.fixed_price === 'number') {
    return { text: `${option.fixed_price}${currency} ${model}`, auction: false, floor: undefined };
  }
  const guidance = option.price_guidance as { p50?: number } | undefined;
  const floor =
    typeof option.floor_price === 'number' ? option.floor_price : (guidance?.p50 ?? undefined);
  return {
    text: `auction${floor !== undefined ? `, floor ${floor}${currency}` : ''} ${model}`,
    auction: true,
    floor,
  };
}

/** The smallest budget a seller takes for the product, when it says. */
function minimumOf(option: Record<string, unknown> | undefined): string | undefined {
  const min = option?.min_spend_per_package;
  return typeof min === 'number'
    ? `${min}${typeof option?.currency === 'string' ? ` ${option.currency}` : ''}`
    : undefined;
}

function productCard(p: Product, i: number, selected: boolean): string {
  const price = priceOf(p.pricingOptions[0]);
  const minimum = minimumOf(p.pricingOptions[0]);
  const pid = `p${i}`;
  return `<article class="card" aria-labelledby="${pid}-name">
<div class="check"><input type="checkbox" id="${pid}" name="pick" value="${e(p.productId)}"${selected ? ' checked' : ''}>
<label for="${pid}" id="${pid}-name" class="inline">${e(p.name)}</label></div>
<p class="note">${e(p.storefrontName)} · ${e(p.salesAgentName)}</p>
${p.description ? `<p>${e(p.description)}</p>` : ''}
<dl class="facts"><dt>Price</dt><dd>${e(price.text)}</dd>
${minimum ? `<dt>Minimum spend</dt><dd>${e(minimum)}</dd>` : ''}
<dt>Channel</dt><dd>${e((p.channels.length ? p.channels : [p.channel ?? '—']).join(', '))}</dd>
<dt>Formats</dt><dd>${e(p.formatTypes.join(', ') || '—')}</dd>
<dt>Publisher</dt><dd>${e(p.publisherProperties.map((x) => x.publisherDomain).join(', ') || '—')}</dd>
${p.deliveryType ? `<dt>Delivery</dt><dd>${e(p.deliveryType.replace(/_/g, ' '))}</dd>` : ''}</dl>
<div class="field"><label for="${pid}-budget">Budget for ${e(p.name)}</label>
<input type="number" id="${pid}-budget" name="budget:${e(p.productId)}" min="0" step="any"></div>
${price.auction ? `<div class="field"><label for="${pid}-bid">Bid (CPM) for ${e(p.name)}</label><input type="number" id="${pid}-bid" name="bid:${e(p.productId)}" min="0" step="any" value="${price.floor === undefined ? '' : e(String(price.floor + 1))}"></div>` : ''}
</article>`;
}

/** The ticked products as the API's selection: each with its agent, first pricing option, budget and bid. */
async function selectionCall(ctx: FormContext) {
  const { params, values, api } = ctx;
  const discoveryId = params.discoveryId!;
  const picked = listOf(values.pick);
  const found = await api.get<DiscoveryPage>(`${base}/${seg(discoveryId)}/discover-products`, {
    productsPerGroup: perPage,
    productOffset: offsetOf(values.offset),
  });
  const products = found.productGroups.flatMap((g) => g.products);
  const number = (v: string | string[] | undefined) => {
    const text = Array.isArray(v) ? v[0] : v;
    if (text === undefined || text.trim() === '') return undefined;
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  };
  return {
    method: 'POST' as const,
    path: `${base}/${seg(discoveryId)}/products`,
    body: {
      products: picked.map((productId) => {
        const product = products.find((p) => p.productId === productId);
        const option = product?.pricingOptions[0];
        const budget = number(values[`budget:${productId}`]);
        const bid = number(values[`bid:${productId}`]);
        return {
          productId,
          ...(product && { salesAgentId: product.salesAgentId }),
          ...(typeof option?.pricing_option_id === 'string' && {
            pricingOptionId: option.pricing_option_id,
          }),
          ...(budget !== undefined && { budget }),
          ...(bid !== undefined && { bidPrice: bid }),
        };
      }),
    },
  };
}

function listOf(value: FormValues[string] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
