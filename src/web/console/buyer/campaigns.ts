import { escapeHtml as e } from '../../../platform/http/html.js';
import { seg } from '../api.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { page, panel, statusBadge, table, when } from '../layout.js';
import { mediaBuyStatusBadge, mediaBuyUrl } from './buy-badge.js';
import type {
  AdvertiserSummary,
  Campaign,
  CampaignProducts,
  CampaignSummary,
  ExecuteAnswer,
  Page,
  Selections,
} from './wire.js';

const base = '/api/v2/buyer/campaigns';
export const campaignUrl = (id: string) => `/console/campaigns/${seg(id)}`;

/**
 * The campaign controls a buyer sets beyond budget and flight (issue 32): pacing, a daily cap,
 * up to three pacing periods and one frequency cap, named by their path in the campaign's API
 * body; the builder and its validation follow (the API's 400 lands on the field it names).
 */
export const campaignControlFields: FieldSpec[] = [
  {
    name: 'budget.pacing',
    label: 'Pacing',
    kind: 'select',
    options: [
      { value: 'EVEN', label: 'Even: spread over the flight' },
      { value: 'ASAP', label: 'As soon as possible' },
      { value: 'FRONTLOADED', label: 'Front-loaded' },
    ],
  },
  {
    name: 'budget.dailyCap',
    label: 'Daily spend cap (optional)',
    kind: 'number',
  },
  {
    name: 'pacingPeriods.mode',
    label: 'Periods of the flight (optional)',
    kind: 'select',
    hint: 'Each product is booked as one package per period, with its share of the budget.',
    options: [
      { value: 'weight', label: 'By weight: relative spend per period' },
      { value: 'budget', label: 'By budget: an amount per period' },
    ],
  },
  ...[0, 1, 2].flatMap((i): FieldSpec[] => {
    const shown = { field: 'pacingPeriods.mode', values: ['weight', 'budget'] };
    const at = `pacingPeriods.periods.${i}`;
    return [
      { name: `${at}.label`, label: `Period ${i + 1}: label`, showWhen: shown },
      {
        name: `${at}.start`,
        label: `Period ${i + 1}: first day (YYYY-MM-DD, UTC)`,
        showWhen: shown,
      },
      { name: `${at}.end`, label: `Period ${i + 1}: last day (YYYY-MM-DD, UTC)`, showWhen: shown },
      {
        name: `${at}.weight`,
        label: `Period ${i + 1}: weight (0–10)`,
        kind: 'number',
        showWhen: { field: 'pacingPeriods.mode', values: ['weight'] },
      },
      {
        name: `${at}.budget`,
        label: `Period ${i + 1}: budget`,
        kind: 'number',
        showWhen: { field: 'pacingPeriods.mode', values: ['budget'] },
      },
    ];
  }),
  {
    name: 'frequencyCaps.0.max_impressions',
    label: 'Frequency cap: impressions per person (optional; empty: the advertiser’s caps)',
    kind: 'number',
  },
  {
    name: 'frequencyCaps.0.window.interval',
    label: 'Frequency cap: window length',
    kind: 'number',
  },
  {
    name: 'frequencyCaps.0.window.unit',
    label: 'Frequency cap: window unit',
    kind: 'select',
    options: [
      { value: 'hours', label: 'Hours' },
      { value: 'days', label: 'Days' },
      { value: 'campaign', label: 'The whole campaign (length 1)' },
    ],
  },
];

const builderFields = (advertisers: AdvertiserSummary[]): FieldSpec[] => [
  {
    name: 'advertiserId',
    label: 'Advertiser',
    kind: 'select',
    options: advertisers.map((a) => ({ value: a.id, label: a.name })),
  },
  { name: 'name', label: 'Campaign name' },
  { name: 'flightDates.startDate', label: 'Flight starts (UTC)', kind: 'date', dayEdge: 'start' },
  { name: 'flightDates.endDate', label: 'Flight ends (UTC)', kind: 'date', dayEdge: 'end' },
  { name: 'budget.total', label: 'Total budget', kind: 'number' },
  { name: 'budget.currency', label: 'Currency', hint: 'Empty: the advertiser’s currency.' },
  ...campaignControlFields,
  { name: 'brief', label: 'Brief (for your records and the sellers)', kind: 'textarea' },
  { name: 'discoveryId', label: 'Discovery', kind: 'hidden' },
];

const builderSpec = (advertisers: AdvertiserSummary[] = [], values?: unknown): FormSpec => ({
  id: 'campaign',
  action: '/console/campaigns/new',
  route: `POST ${base}`,
  fields: builderFields(advertisers),
  submit: 'Create the campaign',
  idempotent: true,
  values,
});

const actions = {
  execute: {
    label: 'Execute: send the media buys to the sellers',
    busy: 'Sending a media buy to each seller and waiting for their answers…',
  },
  pause: { label: 'Pause the campaign', busy: 'Pausing at each seller…' },
  reactivate: { label: 'Reactivate the campaign', busy: 'Reactivating at each seller…' },
} as const;
type Action = keyof typeof actions;

const actionSpec = (id: string, action: Action): FormSpec => ({
  id: `campaign-${action}`,
  action: `${campaignUrl(id)}/${action}`,
  route: `POST ${base}/:campaignId/${action}`,
  fields: [],
  submit: actions[action].label,
  danger: action === 'pause',
  className: 'inline-form',
  busy: actions[action].busy,
});

/** Campaigns: the list, the builder over a discovery's selection, and one campaign's page. */
export function registerCampaignPages(ctx: ConsoleContext): void {
  ctx.page('/console/campaigns', 'BUYER', renderList);
  ctx.page('/console/campaigns/new', 'BUYER', renderBuilder);
  ctx.apiForm({
    url: '/console/campaigns/new',
    persona: 'BUYER',
    page: '/console/campaigns/new',
    spec: () => builderSpec(),
    done: (data) => {
      const { campaign } = data as { campaign: Campaign };
      return {
        to: campaignUrl(campaign.campaignId),
        notice: 'campaign-created',
        subject: campaign.name,
      };
    },
  });
  ctx.page('/console/campaigns/:campaignId', 'BUYER', renderCampaign);
  for (const action of Object.keys(actions) as Action[]) {
    ctx.apiForm({
      url: `/console/campaigns/:campaignId/${action}`,
      persona: 'BUYER',
      page: '/console/campaigns/:campaignId',
      spec: ({ params }) => actionSpec(params.campaignId!, action),
      // execute takes an optional body; pause and reactivate none.
      ...(action === 'execute' ? { shape: () => ({}) } : { noBody: true }),
      done: (data, { params }) => {
        const to = `${campaignUrl(params.campaignId!)}#results-h`;
        if (action !== 'execute') {
          return {
            to,
            notice: `campaign-${action === 'pause' ? 'paused' : 'reactivated'}`,
            subject: '',
          };
        }
        const executed = data as ExecuteAnswer;
        if (executed.errors.length > 0) {
          return {
            to,
            notice: 'campaign-executed-refused',
            subject: String(executed.errors.length),
          };
        }
        return executed.mediaBuysExecuted === 0
          ? { to, notice: 'campaign-executed-nothing', subject: '' }
          : { to, notice: 'campaign-executed', subject: String(executed.mediaBuysExecuted) };
      },
    });
  }
}

async function renderList(args: PageArgs): Promise<string> {
  const list = await args.api.get<{ campaigns: CampaignSummary[] }>(base, {
    status: 'ALL',
    take: 100,
  });
  const rows = list.campaigns.map((c) => [
    `<a href="${e(campaignUrl(c.campaignId))}"><strong>${e(c.name)}</strong></a>`,
    campaignStatusBadge(c.status),
    `${when(c.flightDates.startDate)} to ${when(c.flightDates.endDate)}`,
    `${c.budget.total} ${e(c.budget.currency)}`,
    String(c.productCount),
  ]);
  return page(
    { ...(await args.frame('Campaigns', '/console/campaigns')), flash: args.flash },
    panel(
      'campaigns-h',
      'Your campaigns',
      `<p><a class="button" href="/console/discover">Start from a brief</a></p>${table(
        'Campaigns',
        ['Campaign', 'Status', 'Flight', 'Budget', 'Products'],
        rows,
        'No campaigns yet: discover products with a brief, tick the ones you want, then build the campaign.',
      )}`,
    ),
  );
}

export function campaignStatusBadge(status: string): string {
  return statusBadge(
    status.toLowerCase(),
    status === 'ACTIVE' || status === 'COMPLETED'
      ? 'good'
      : status === 'CANCELED'
        ? 'bad'
        : 'neutral',
  );
}

async function renderBuilder(args: PageArgs): Promise<string> {
  const discoveryId = args.query.discoveryId;
  const [advertisers, selections] = await Promise.all([
    args.api.get<Page<AdvertiserSummary>>('/api/v2/buyer/advertisers', { limit: 100 }),
    discoveryId
      ? args.api.get<Selections>(`/api/v2/buyer/discovery/${seg(discoveryId)}/products`)
      : undefined,
  ]);
  const frame = {
    ...(await args.frame('Build a campaign', '/console/campaigns')),
    flash: args.flash,
    ...(discoveryId && {
      back: { href: `/console/discover/${seg(discoveryId)}`, label: 'Discovered products' },
    }),
  };
  if (!discoveryId || !selections || selections.products.length === 0) {
    return page(
      frame,
      panel(
        'builder-h',
        'Start from products',
        '<p class="empty">A campaign is built from the products you select: <a href="/console/discover">discover products with a brief</a>, tick the ones you want, then come back with “Build a campaign”.</p>',
      ),
    );
  }
  const total = selections.products.reduce((n, p) => n + (p.budget ?? 0), 0);
  const start = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const end = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
  const values = {
    advertiserId: args.query.advertiserId ?? advertisers.items[0]?.id,
    discoveryId,
    flightDates: { startDate: start, endDate: end },
    budget: { total: total || undefined, pacing: 'EVEN' },
  };
  const products = table(
    'Selected products',
    ['Product', 'Seller', 'Budget'],
    selections.products.map((p) => [
      `<code>${e(p.productId)}</code>`,
      e(p.groupName),
      p.budget === undefined ? '—' : String(p.budget),
    ]),
    'No products.',
  );
  return page(
    frame,
    `${panel('picked-h', 'From your selection', products)}
${panel('builder-h', 'Campaign', args.form(builderSpec(advertisers.items, values)))}`,
  );
}

async function renderCampaign(args: PageArgs): Promise<string> {
  const id = args.params.campaignId!;
  const [{ campaign }, products] = await Promise.all([
    args.api.get<{ campaign: Campaign }>(`${base}/${seg(id)}`),
    args.api.get<CampaignProducts>(`${base}/${seg(id)}/products`),
  ]);
  const frame = {
    ...(await args.frame(campaign.name, '/console/campaigns')),
    flash: args.flash,
    back: { href: '/console/campaigns', label: 'Campaigns' },
  };
  const drafts = campaign.mediaBuys.filter((b) => b.status === 'DRAFT').length;
  const controls = [
    campaign.status === 'DRAFT' || drafts > 0 ? args.form(actionSpec(id, 'execute')) : '',
    campaign.status === 'ACTIVE' ? args.form(actionSpec(id, 'pause')) : '',
    campaign.status === 'PAUSED' ? args.form(actionSpec(id, 'reactivate')) : '',
  ].join('');
  const results = table(
    'Per-seller results',
    ['Seller', 'Media buy', 'Status', 'Seller’s id', 'Budget', 'What the seller said'],
    campaign.mediaBuys.map((b) => [
      e(b.salesAgentName),
      `<a href="${e(mediaBuyUrl(b.mediaBuyId))}">${e(b.name)}</a>`,
      mediaBuyStatusBadge(b.status, b.adcpStatus),
      b.sellerMediaBuyId ? `<code>${e(b.sellerMediaBuyId)}</code>` : '—',
      `${b.budget} ${e(b.currency)}`,
      e(
        [b.errorCode, b.sourceMessage, b.pendingReason?.replace(/_/g, ' ').toLowerCase()]
          .filter(Boolean)
          .join(': ') || (b.status === 'DRAFT' ? 'not sent yet' : 'accepted'),
      ),
    ]),
    campaign.status === 'DRAFT'
      ? 'Not executed yet: executing sends one media buy to each seller of the products below.'
      : 'No media buys.',
  );
  const productRows = table(
    'Products',
    ['Product', 'Seller', 'Budget', 'Bid', 'On media buy'],
    products.products.map((p) => [
      `${e(p.productName)}<br><code>${e(p.productId)}</code>`,
      e(p.salesAgentName),
      p.budget === undefined ? '—' : String(p.budget),
      p.bidPrice === undefined ? '—' : String(p.bidPrice),
      p.mediaBuys
        .map((m) => `<a href="${e(mediaBuyUrl(m.mediaBuyId))}">${e(m.name)}</a>`)
        .join(', ') || 'not yet',
    ]),
    'No products: build the campaign from a discovery’s selection.',
  );
  return page(
    frame,
    `${panel(
      'campaign-h',
      'Campaign',
      `<dl class="facts"><dt>Status</dt><dd>${campaignStatusBadge(campaign.status)}</dd>
<dt>Flight</dt><dd>${when(campaign.flightDates.startDate)} to ${when(campaign.flightDates.endDate)}</dd>
<dt>Budget</dt><dd>${campaign.budget.total} ${e(campaign.budget.currency)} (${campaign.allocatedBudget} allocated)${campaign.budget.pacing ? `, pacing ${e(campaign.budget.pacing.toLowerCase())}` : ''}${campaign.budget.dailyCap !== undefined ? `, at most ${campaign.budget.dailyCap} a day` : ''}</dd>
${campaign.brief ? `<dt>Brief</dt><dd>${e(campaign.brief)}</dd>` : ''}</dl>
<div class="button-row">${controls}<a href="${e(campaignUrl(id))}/creatives">Creatives</a> <a href="/console/reporting?campaignId=${e(seg(id))}">Report</a></div>`,
    )}
${panel('results-h', 'Media buys, per seller', results)}
${panel('products-h', 'Products', productRows)}`,
  );
}
