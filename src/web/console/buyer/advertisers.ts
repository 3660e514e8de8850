import { escapeHtml as e } from '../../../platform/http/html.js';
import { seg } from '../api.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { page, panel, statusBadge, table, when } from '../layout.js';
import { mediaBuyStatusBadge } from './buy-badge.js';
import type { Advertiser, AdvertiserSummary, MediaBuy, Page, StorefrontSummary } from './wire.js';

const base = '/api/v2/buyer/advertisers';
export const advertiserUrl = (id: string) => `/console/advertisers/${seg(id)}`;

const createFields: FieldSpec[] = [
  { name: 'name', label: 'Name' },
  {
    name: 'brand',
    label: 'Brand domain',
    hint: 'The brand’s own domain (acme.example): sellers know the advertiser by it.',
  },
  {
    name: 'primaryCurrency',
    label: 'Currency',
    hint: 'ISO 4217, e.g. USD: the advertiser’s campaigns are budgeted in it.',
    attrs: 'size="4"',
  },
  { name: 'description', label: 'Description', kind: 'textarea' },
  {
    name: 'sandbox',
    label: 'Sandbox advertiser (test buys that move no money)',
    kind: 'checkbox',
  },
];

const createSpec = (): FormSpec => ({
  id: 'advertiser',
  action: '/console/advertisers/new',
  route: `POST ${base}`,
  fields: createFields,
  submit: 'Create the advertiser',
  idempotent: true,
  values: { primaryCurrency: 'USD' },
});

const linkFields: FieldSpec[] = [
  { name: 'storefrontId', label: 'Storefront', kind: 'select' },
  { name: 'sourceId', label: 'Source id at that storefront' },
  { name: 'accountId', label: 'Account id at the source' },
];

const linkSpec = (id: string, storefronts: StorefrontSummary[]): FormSpec => ({
  id: 'link-account',
  action: `${advertiserUrl(id)}/accounts`,
  route: `POST ${base}/:advertiserId/accounts`,
  fields: linkFields.map((f) =>
    f.name === 'storefrontId'
      ? { ...f, options: storefronts.map((s) => ({ value: String(s.id), label: s.name })) }
      : f,
  ),
  submit: 'Link the account',
});

const unlinkSpec = (id: string, linkId: string): FormSpec => ({
  id: `unlink-${linkId}`,
  action: `${advertiserUrl(id)}/accounts/${seg(linkId)}/unlink`,
  route: `DELETE ${base}/:advertiserId/accounts/:linkId`,
  fields: [],
  submit: 'Unlink',
  danger: true,
  className: 'inline-form',
});

const eventSourceFields: FieldSpec[] = [
  {
    name: 'event_sources.0.event_source_id',
    label: 'Event source id',
    hint: 'Your own id for the pixel or feed, e.g. web-pixel.',
  },
  { name: 'event_sources.0.name', label: 'Name' },
  { name: 'event_sources.0.event_types', label: 'Event types it sends', kind: 'checkboxes' },
  {
    name: 'event_sources.0.allowed_domains',
    label: 'Domains it may report from',
    kind: 'list',
  },
];

const eventSourceSpec = (id: string): FormSpec => ({
  id: 'event-source',
  action: `${advertiserUrl(id)}/event-sources`,
  route: `POST ${base}/:advertiserId/event-sources/sync`,
  fields: eventSourceFields,
  submit: 'Save the event source',
});

interface EventSourceView {
  eventSourceId: string;
  name: string;
  eventTypes: string[] | null;
  allowedDomains: string[] | null;
  health: { status: string; lastEventAt: string | null };
}

/** Advertisers: the list, creating one, and one advertiser's accounts, event sources and buys. */
export function registerAdvertiserPages(ctx: ConsoleContext): void {
  ctx.page('/console/advertisers', 'BUYER', renderList);
  ctx.apiForm({
    url: '/console/advertisers/new',
    persona: 'BUYER',
    page: '/console/advertisers',
    spec: createSpec,
    done: (data) => {
      const created = data as Advertiser;
      return { to: advertiserUrl(created.id), notice: 'advertiser-created', subject: created.name };
    },
  });
  ctx.page('/console/advertisers/:advertiserId', 'BUYER', renderAdvertiser);
  ctx.apiForm({
    url: '/console/advertisers/:advertiserId/accounts',
    persona: 'BUYER',
    page: '/console/advertisers/:advertiserId',
    spec: ({ params }) => linkSpec(params.advertiserId!, []),
    shape: (body) => ({ ...body, storefrontId: Number(body.storefrontId) || body.storefrontId }),
    done: (data, { params }) => ({
      to: advertiserUrl(params.advertiserId!),
      notice: 'account-linked',
      subject: String((data as { accountId: string }).accountId),
    }),
  });
  ctx.apiForm({
    url: '/console/advertisers/:advertiserId/accounts/:linkId/unlink',
    persona: 'BUYER',
    page: '/console/advertisers/:advertiserId',
    spec: ({ params }) => unlinkSpec(params.advertiserId!, params.linkId!),
    noBody: true,
    done: (_data, { params }) => ({
      to: advertiserUrl(params.advertiserId!),
      notice: 'account-unlinked',
      subject: '',
    }),
  });
  ctx.apiForm({
    url: '/console/advertisers/:advertiserId/event-sources',
    persona: 'BUYER',
    page: '/console/advertisers/:advertiserId',
    spec: ({ params }) => eventSourceSpec(params.advertiserId!),
    done: (_data, { params, values }) => ({
      to: `${advertiserUrl(params.advertiserId!)}#events-h`,
      notice: 'event-source-saved',
      subject: String(values['event_sources.0.event_source_id'] ?? ''),
    }),
  });
}

async function renderList(args: PageArgs): Promise<string> {
  const list = await args.api.get<Page<AdvertiserSummary>>(base, { limit: 100 });
  const rows = list.items.map((a) => [
    `<a href="${e(advertiserUrl(a.id))}"><strong>${e(a.name)}</strong></a>${a.sandbox ? ` ${statusBadge('sandbox', 'neutral')}` : ''}`,
    `<code>${e(a.brand)}</code>`,
    e(a.primaryCurrency),
    String(a.linkedAccountCount),
    when(a.createdAt),
  ]);
  return page(
    { ...(await args.frame('Advertisers', '/console/advertisers')), flash: args.flash },
    `${panel(
      'adv-h',
      'Your advertisers',
      table(
        'Advertisers',
        ['Advertiser', 'Brand', 'Currency', 'Linked accounts', 'Created'],
        rows,
        'No advertisers yet: create one below, then discover products for it.',
      ),
    )}
${panel('new-adv-h', 'Create an advertiser', args.form(createSpec()))}`,
  );
}

async function renderAdvertiser(args: PageArgs): Promise<string> {
  const id = args.params.advertiserId!;
  const [advertiser, events, buys, storefronts] = await Promise.all([
    args.api.get<Advertiser>(`${base}/${seg(id)}`),
    args.api.get<{ eventSources: EventSourceView[] }>(`${base}/${seg(id)}/event-sources`),
    args.api.get<Page<MediaBuy>>(`${base}/${seg(id)}/media-buys`, { limit: 50 }),
    args.api.get<Page<StorefrontSummary>>('/api/v2/buyer/storefronts', { limit: 50 }),
  ]);
  const frame = {
    ...(await args.frame(advertiser.name, '/console/advertisers')),
    flash: args.flash,
    back: { href: '/console/advertisers', label: 'Advertisers' },
  };
  const accounts = table(
    'Linked accounts',
    ['Account', 'At', 'Status', ''],
    advertiser.linkedAccounts.map((a) => [
      `<code>${e(a.accountId)}</code>${a.name ? `<br>${e(a.name)}` : ''}`,
      e(a.sources.map((s) => `${s.storefrontName} · ${s.sourceName}`).join(', ') || '—'),
      e(a.status),
      args.form(unlinkSpec(id, a.linkId)),
    ]),
    'No linked accounts: buys go under the brand and your own domain, which sellers accept by default. Link a seat a seller gave you here.',
  );
  const eventRows = events.eventSources.map((s) => [
    `<strong>${e(s.name)}</strong><br><code>${e(s.eventSourceId)}</code>`,
    e(s.eventTypes?.join(', ') ?? 'any'),
    e(s.allowedDomains?.join(', ') ?? 'any'),
    `${statusBadge(s.health.status.replace(/_/g, ' '), s.health.status === 'receiving' ? 'good' : 'neutral')} ${when(s.health.lastEventAt)}`,
  ]);
  const buyRows = buys.items.map((b) => [
    `<a href="/console/media-buys/${e(seg(b.mediaBuyId))}">${e(b.name)}</a>`,
    e(b.salesAgentName),
    mediaBuyStatusBadge(b.status, b.adcpStatus),
    `${b.budget} ${e(b.currency)}`,
    when(b.createdAt),
  ]);
  return page(
    frame,
    `${panel(
      'about-h',
      'Advertiser',
      `<dl class="facts"><dt>Brand</dt><dd><code>${e(advertiser.brand)}</code></dd>
<dt>Currency</dt><dd>${e(advertiser.primaryCurrency)}</dd>
<dt>Status</dt><dd>${e(advertiser.status)}${advertiser.sandbox ? ' (sandbox)' : ''}</dd>
${advertiser.description ? `<dt>Description</dt><dd>${e(advertiser.description)}</dd>` : ''}</dl>
<p><a class="button" href="/console/discover?advertiserId=${e(seg(id))}">Discover products for ${e(advertiser.name)}</a></p>`,
    )}
${panel('accounts-h', 'Linked accounts', `${accounts}<h3>Link an account</h3>${args.form(linkSpec(id, storefronts.items))}`)}
${panel('events-h', 'Event sources', `${table('Event sources', ['Source', 'Event types', 'Domains', 'Health'], eventRows, 'No event sources: add the pixel or feed that reports conversions, so reporting can count them.')}<h3>Add or update an event source</h3>${args.form(eventSourceSpec(id))}`)}
${panel('buys-h', 'Media buys', table('Media buys', ['Media buy', 'Seller', 'Status', 'Budget', 'Created'], buyRows, 'No media buys yet: execute a campaign to place some.'))}`,
  );
}
