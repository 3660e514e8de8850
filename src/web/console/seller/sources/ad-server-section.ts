import type { SourceView } from '../../../../modules/inventory-sources/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import { seg } from '../../api.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import type { FormSpec } from '../../forms/index.js';
import { panel, statusBadge, table, when } from '../../layout.js';
import { type AdServerType, rotateSpec } from './ad-server-forms.js';
import { adServers } from '../../../../source-kinds/ad-server/descriptor.js';
import { sourcePage, sourcesApi } from '../modular/wire.js';

/*
 * An ad-server (MANAGED_SALES_AGENT) source's page section: the connection (never a secret: a
 * key is only "configured"), testing it, starting a sync and following it, the products the
 * synced inventory makes, the buys waiting for the seller's approval and the orders placed in the
 * ad server (those waiting for the ad server's own approver first). Every figure is the seller
 * API's (…/esa, …/sync-history, …/ad-server/products, …/ad-server/orders, media-buy-approvals).
 */

interface Connection {
  provisioningStatus: string;
  adServer: ({ type: string } & Record<string, unknown>) | null;
  serviceAccountEmail: string | null;
  authConfigured: boolean;
  lastError: string | null;
  lastErrorCode: string | null;
  lastTestedAt: string | null;
}
interface Run {
  syncId: string;
  startedAt: string;
  status: string;
  syncMode?: string;
  durationSeconds: number | null;
  itemsProcessed: number;
  itemsFailed: number;
  errorSummary: string | null;
}
interface Product {
  product_id: string;
  name: string;
  format_ids?: Array<{ id: string }>;
  channels?: string[];
  pricing_options?: Array<{ fixed_price?: number; currency?: string }>;
}
interface Order {
  mediaBuyId: string;
  status: string;
  adServerOrderId: string | null;
  adServerStatus: string | null;
  adServerCheckedAt: string | null;
  currency: string;
  budget: number;
  lines: unknown[];
  startTime: string;
  endTime: string;
  error: { code: string; message: string } | null;
}
interface StorefrontBuy {
  mediaBuyId: string;
  sources: Array<{ sourceId: string; sourceMediaBuyId: string | null }>;
}
interface Approval {
  mediaBuyId: string;
  submittedPayload: { packages?: Array<{ product_id?: string; budget?: number }> };
  createdAt: string;
}

const api = (sourceId: string) => `${sourcesApi}/${seg(sourceId)}`;
const n = (v: number) => v.toLocaleString('en-US');
const tone = (status: string) =>
  ['active', 'completed'].includes(status)
    ? 'good'
    : ['failed', 'rejected', 'partial'].includes(status)
      ? 'bad'
      : 'neutral';

const buttonSpec = (sourceId: string, action: 'test' | 'sync'): FormSpec => ({
  id: `ad-server-${action}`,
  action: `${sourcePage(sourceId)}/ad-server-${action}`,
  route:
    action === 'test'
      ? `POST ${sourcesApi}/:sourceId/test-connection`
      : `POST ${sourcesApi}/:sourceId/refresh`,
  fields: [],
  submit: action === 'test' ? 'Test the connection' : 'Sync the inventory now',
  className: 'inline-form',
  busy: action === 'test' ? 'Asking the ad server…' : undefined,
});

export function registerAdServerActions(ctx: ConsoleContext): void {
  ctx.apiForm({
    url: '/console/sources/:sourceId/ad-server-test',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => buttonSpec(params['sourceId'] ?? '', 'test'),
    noBody: true,
    done: (data, { params }) => ({
      to: sourcePage(params['sourceId'] ?? ''),
      notice: (data as { success: boolean }).success
        ? 'ad-server-test-passed'
        : 'ad-server-test-failed',
      subject: params['sourceId'] ?? '',
    }),
  });
  ctx.apiForm({
    url: '/console/sources/:sourceId/ad-server-sync',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => buttonSpec(params['sourceId'] ?? '', 'sync'),
    noBody: true,
    done: (data, { params }) => ({
      to: `${sourcePage(params['sourceId'] ?? '')}#sync-h`,
      notice:
        (data as { status: string }).status === 'already_running'
          ? 'ad-server-sync-running'
          : 'ad-server-sync-started',
      subject: params['sourceId'] ?? '',
    }),
  });
}

/** The source page's section for an ad-server source. */
export async function adServerSection(source: SourceView, args: PageArgs): Promise<string> {
  const id = source.sourceId;
  const [c, history, catalog, orders, approvals, buys] = await Promise.all([
    args.api.get<Connection>(`${api(id)}/esa`),
    args.api.get<{ runs: Run[] }>(`${api(id)}/sync-history`, { syncType: 'inventory', limit: 10 }),
    args.api.get<{ products: Product[] }>(`${api(id)}/ad-server/products`),
    args.api.get<{ orders: Order[] }>(`${api(id)}/ad-server/orders`, { limit: 25 }),
    args.api.get<{ items: Approval[] }>('/api/v2/storefront/media-buy-approvals'),
    args.api.get<{ items: StorefrontBuy[] }>('/api/v2/storefront/media-buys', {
      sourceId: id,
      take: 100,
    }),
  ]);
  // The storefront's id of each buy, by the source's own id of its leg (the order's id here).
  const storefrontIds = new Map(
    buys.items.flatMap((buy) =>
      buy.sources
        .filter((s) => s.sourceId === id && s.sourceMediaBuyId)
        .map((s) => [s.sourceMediaBuyId!, buy.mediaBuyId] as const),
    ),
  );
  const type = (c.adServer?.type ?? 'google_ad_manager') as AdServerType;
  const mine = approvals.items.filter((a) =>
    (a.submittedPayload.packages ?? []).some((p) => p.product_id?.startsWith(`${id}__`)),
  );
  return [
    connectionPanel(id, c, type, args),
    syncPanel(id, history.runs),
    productsPanel(catalog.products),
    ordersPanel(id, mine, orders.orders, storefrontIds),
    panel(
      'rotate-h',
      'Change the connection',
      args.form(rotateSpec(id, type, { ...c.adServer, type })),
    ),
  ].join('\n');
}

function connectionPanel(id: string, c: Connection, type: AdServerType, args: PageArgs) {
  const account = c.adServer ?? { type };
  const gam = type === 'google_ad_manager';
  const facts = gam
    ? `<dt>Network code</dt><dd><code>${e(String(account['networkCode'] ?? '—'))}</code></dd>
<dt>Service account</dt><dd>${c.serviceAccountEmail ? `<code>${e(c.serviceAccountEmail)}</code> — key configured (sealed; never shown again)` : c.authConfigured ? 'This instance’s own service account' : 'None yet'}</dd>`
    : `${(['email', 'clientId', 'username', 'environment'] as const)
        .filter((k) => typeof account[k] === 'string')
        .map((k) => `<dt>${e(k)}</dt><dd><code>${e(String(account[k]))}</code></dd>`)
        .join('')}
<dt>Credentials</dt><dd>${c.authConfigured ? 'configured (sealed; never shown again)' : 'missing'}</dd>`;
  return panel(
    'ad-server-h',
    `${e(adServers[type].name)} connection`,
    `<dl class="facts"><dt>Connection</dt><dd>${statusBadge(c.provisioningStatus, tone(c.provisioningStatus))} last tested ${when(c.lastTestedAt)}</dd>
${facts}
${c.lastError ? `<dt>Last error</dt><dd class="error-text">${e(c.lastErrorCode ?? '')}: ${e(c.lastError)}</dd>` : ''}</dl>
<div class="button-row">${args.form(buttonSpec(id, 'test'))}${c.provisioningStatus === 'active' ? args.form(buttonSpec(id, 'sync')) : ''}</div>`,
  );
}

function syncPanel(id: string, runs: Run[]) {
  const running = runs.find((r) => r.status === 'running');
  const follow = running
    ? `<p role="status">A sync is running since ${when(running.startedAt)}: ${n(running.itemsProcessed)} objects read so far. <a href="${e(sourcePage(id))}#sync-h">Reload to follow it</a>.</p>`
    : '';
  const rows = runs.map((r) => [
    when(r.startedAt),
    statusBadge(r.status, tone(r.status)),
    e(r.syncMode ?? '—'),
    `${n(r.itemsProcessed)}${r.itemsFailed ? ` (${n(r.itemsFailed)} failed)` : ''}`,
    r.durationSeconds === null ? '—' : `${n(r.durationSeconds)} s`,
    r.errorSummary ? `<span class="error-text">${e(r.errorSummary)}</span>` : '',
  ]);
  return panel(
    'sync-h',
    'Inventory sync',
    `${follow}${table('Sync runs, newest first', ['Started', 'Status', 'Mode', 'Objects', 'Took', 'Error'], rows, 'No sync has run yet: it starts once the connection test passes.')}`,
  );
}

function productsPanel(products: Product[]) {
  const rows = products.map((p) => {
    const price = p.pricing_options?.[0];
    return [
      `<strong>${e(p.name)}</strong><br><code>${e(p.product_id)}</code>`,
      e((p.format_ids ?? []).map((f) => f.id).join(', ') || '—'),
      e((p.channels ?? []).join(', ') || '—'),
      price?.fixed_price !== undefined
        ? `${e(String(price.fixed_price))} ${e(price.currency ?? '')} CPM`
        : '—',
    ];
  });
  return panel(
    'products-h',
    'Products buyers are offered',
    table(
      'Products from the synced inventory',
      ['Product', 'Formats', 'Channels', 'Price'],
      rows,
      'No products yet: they are made from the synced placements (or your product rules) once a sync completes.',
    ),
  );
}

function ordersPanel(
  id: string,
  waiting: Approval[],
  orders: Order[],
  storefrontIds: Map<string, string>,
) {
  const held = waiting.map((a) => [
    `<code>${e(a.mediaBuyId)}</code>`,
    e(
      (a.submittedPayload.packages ?? [])
        .map((p) => p.product_id ?? '')
        .filter(Boolean)
        .join(', '),
    ),
    when(a.createdAt),
  ]);
  // Those waiting for the ad server's approver first, then the rest as they came.
  const sorted = [...orders].sort(
    (a, b) => Number(b.status === 'approving') - Number(a.status === 'approving'),
  );
  const placed = sorted.map((o) => [
    `<code>${e(storefrontIds.get(o.mediaBuyId) ?? o.mediaBuyId)}</code><br>the source’s id <code>${e(o.mediaBuyId)}</code>${o.adServerOrderId ? `<br>ad-server order <code>${e(o.adServerOrderId)}</code>` : ''}`,
    `${statusBadge(o.status === 'approving' ? 'waiting for the ad server’s approval' : o.status, tone(o.status))}${o.adServerStatus ? `<br>${e(o.adServerStatus)} at ${when(o.adServerCheckedAt)}` : ''}${o.error ? `<br><span class="error-text">${e(o.error.message)}</span>` : ''}`,
    `${n(o.budget)} ${e(o.currency)}<br>${o.lines.length} line ${o.lines.length === 1 ? 'item' : 'items'}`,
    `${when(o.startTime)} to ${when(o.endTime)}`,
  ]);
  return panel(
    'orders-h',
    'Orders',
    `<h3>Waiting for your approval</h3>
${table('Buys waiting for your approval', ['Media buy', 'Products', 'Submitted'], held, 'No buy of this source waits for your approval.')}
${held.length ? '<p><a href="/console/reviews">Approve or reject them in the review queues</a>: an approved buy is placed as an order in the ad server.</p>' : ''}
<h3>In the ad server</h3>
${table('Orders in the ad server', ['Media buy', 'Status', 'Budget', 'Flight'], placed, 'No order placed in the ad server yet.')}
<p><a href="/console/orders?sourceId=${e(seg(id))}">This source’s buys on the Orders page</a> (buyer, PO, pacing).</p>`,
  );
}
