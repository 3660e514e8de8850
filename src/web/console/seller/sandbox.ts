import type { SourceView } from '../../../modules/inventory-sources/index.js';
import { bindingCookie } from '../../oauth/consent-binding.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { seg, type ConsoleApi } from '../api.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FormSpec } from '../forms/index.js';
import { page, panel, statusBadge, table, when } from '../layout.js';
import { sourcePage, sourcesApi } from './modular/wire.js';

/*
 * The sandbox in the console (INTERCHANGE_SANDBOX=1): each kind the sandbox offers with a
 * Connect button, what each connected (the source, its last sync, the products it makes) and the
 * orders the fake Ad Manager holds for this storefront. Every read and the Connect button are
 * the sandbox's REST path (`GET …/storefront/sandbox`, `POST …/sandbox/{kind}/connect`), which
 * is mounted only while the sandbox runs: when it is not, the page says how to turn it on.
 */

const sandboxApi = '/api/v2/storefront/sandbox';
export const sandboxPage = '/console/sandbox';

interface Offer {
  kinds: Array<{
    kind: string;
    name: string;
    sourceId: string;
    sourceName: string;
    via: 'ad_server' | 'oauth';
  }>;
  audiostackKey: string;
  sampleCreativeUrl: string;
  gamOrders: Array<{ id: string; name: string; status: string }>;
}
interface Run {
  startedAt: string;
  status: string;
  itemsProcessed: number;
}
interface Adapter {
  status: string;
  selectedAccount: { name: string } | null;
}

const connectSpec = (kind: string, connected: boolean): FormSpec => ({
  id: `sandbox-connect-${kind}`,
  action: `${sandboxPage}/${seg(kind)}/connect`,
  route: `POST ${sandboxApi}/:kind/connect`,
  fields: [],
  submit: connected ? 'Connect again' : 'Connect',
  className: 'inline-form',
  busy: 'Connecting to the sandbox fake…',
});

/** Whether this instance runs the sandbox: its REST path is mounted only then. */
export const sandboxOn = (ctx: ConsoleContext) =>
  ctx.scope.hasRoute({ method: 'GET', url: sandboxApi });

export function registerSandboxPage(ctx: ConsoleContext): void {
  ctx.page(sandboxPage, 'SELLER', (args) => render(args, sandboxOn(ctx)));
  ctx.apiForm({
    url: `${sandboxPage}/:kind/connect`,
    persona: 'SELLER',
    page: sandboxPage,
    spec: ({ params }) => connectSpec(params['kind'] ?? '', false),
    noBody: true,
    // Meta answers a consent URL (the fake's login dialog); the browser goes there and comes
    // back to the storefront's callback page. The ad servers answer their connection.
    away: (data) => {
      const started = data as { authorizationUrl?: string; callbackUrl?: string };
      if (!started.authorizationUrl) return undefined;
      return {
        who: 'the sandbox’s fake provider',
        url: started.authorizationUrl,
        setCookie: bindingCookie(
          started.authorizationUrl,
          (started.callbackUrl ?? '').startsWith('https:'),
        ),
        purpose: 'to connect its fake ad account; nothing is delivered or billed.',
      };
    },
    done: (data, { params }) => ({
      to: sandboxPage,
      notice: 'sandbox-connected',
      subject: (data as { sourceId?: string }).sourceId ?? params['kind'] ?? '',
    }),
  });
}

async function render(args: PageArgs, on: boolean): Promise<string> {
  const frame = { ...(await args.frame('Sandbox', '/console/sources')), flash: args.flash };
  if (!on) return page(frame, offPanel());
  const offer = { data: await args.api.get<Offer>(sandboxApi) };
  const sources = await args.api.get<SourceView[]>(sourcesApi);
  const rows = await Promise.all(
    offer.data.kinds.map(async (kind) => {
      const source = sources.find((s) => s.sourceId === kind.sourceId);
      const state = source ? await connected(args.api, kind.via, source) : undefined;
      return [
        `<strong>${e(kind.name)}</strong><br><span class="note">${e(kind.sourceName)}</span>`,
        source
          ? `<a href="${e(sourcePage(source.sourceId))}">${e(source.name)}</a><br>${statusBadge(source.status, source.status === 'ACTIVE' ? 'good' : 'neutral')}`
          : 'Not connected',
        state?.sync ?? '—',
        state?.products ?? '—',
        args.form(connectSpec(kind.kind, source !== undefined)),
      ];
    }),
  );
  const orders = offer.data.gamOrders.map((o) => [
    `<code>${e(o.id)}</code>`,
    e(o.name),
    statusBadge(o.status, o.status === 'APPROVED' ? 'good' : 'neutral'),
  ]);
  return page(
    frame,
    [
      panel(
        'sandbox-h',
        'Try every kind of source in the sandbox',
        `<p class="note">This instance runs local fakes of each provider below (INTERCHANGE_SANDBOX=1). Connecting one adds a source named “Sandbox · …” to your storefront; its products say “Sandbox” too. Nothing is delivered or billed, and nothing leaves this machine.</p>
${table('Sandbox kinds', ['Kind', 'Source', 'Sync', 'Products', 'Connect'], rows, 'The sandbox offers nothing.')}
<p>A sample creative image buyers may book with: <code>${e(offer.data.sampleCreativeUrl)}</code>. For audio creatives, a buyer connects the fake AudioStack to an advertiser with the key <code>${e(offer.data.audiostackKey)}</code>.</p>`,
      ),
      panel(
        'sandbox-orders-h',
        'Orders at the fake Google Ad Manager',
        `${table('Orders the fake Ad Manager holds', ['Order', 'Name', 'Status'], orders, 'No order yet: a buy of a “Sandbox ·” Ad Manager product waits in the review queues; approved, it becomes an order here.')}
<p><a href="/console/reviews">Review queues</a> · <a href="/console/orders">Orders</a></p>`,
      ),
    ].join('\n'),
  );
}

/** What one connected kind shows: its last sync and its products (ad servers), or its account. */
async function connected(api: ConsoleApi, via: Offer['kinds'][number]['via'], source: SourceView) {
  const id = `${sourcesApi}/${seg(source.sourceId)}`;
  if (via === 'oauth') {
    const adapter = await api.call<Adapter>({ method: 'GET', path: `${id}/adapter` });
    if (adapter.error) return undefined;
    return {
      sync: statusBadge(
        adapter.data.status,
        adapter.data.status === 'CONNECTED' ? 'good' : 'neutral',
      ),
      products: adapter.data.selectedAccount
        ? `Sold in ${e(adapter.data.selectedAccount.name)}`
        : 'Choose an account on the source page',
    };
  }
  const [history, catalog] = await Promise.all([
    api.call<{ runs: Run[] }>({ method: 'GET', path: `${id}/sync-history`, query: { limit: 1 } }),
    api.call<{ products: Array<{ name: string }> }>({
      method: 'GET',
      path: `${id}/ad-server/products`,
    }),
  ]);
  const run = history.error ? undefined : history.data.runs[0];
  const products = catalog.error ? [] : catalog.data.products;
  return {
    sync: run
      ? `${statusBadge(run.status, run.status === 'completed' ? 'good' : run.status === 'failed' ? 'bad' : 'neutral')}<br>${when(run.startedAt)}, ${run.itemsProcessed} objects`
      : 'No sync yet',
    products: products.length
      ? `${products.length} ${products.length === 1 ? 'product' : 'products'}<ul>${products
          .slice(0, 5)
          .map((p) => `<li>${e(p.name)}</li>`)
          .join('')}</ul>`
      : 'None yet',
  };
}

function offPanel(): string {
  return panel(
    'sandbox-h',
    'The sandbox is off',
    `<p>The sandbox runs local fakes of Google Ad Manager, FreeWheel, SpringServe, Meta and the other wired providers, so you can connect every kind of source without credentials. It is off on this instance.</p>
<p>To try it, start the server with the sandbox switch (never in production: <code>NODE_ENV=production</code> refuses it):</p>
<pre><code>INTERCHANGE_SANDBOX=1 npm start</code></pre>
<p>Then come back to this page and press <strong>Connect</strong> beside each kind.</p>`,
  );
}
