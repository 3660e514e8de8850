import type { SourceView } from '../../../../modules/inventory-sources/index.js';
import { providers } from '../../../../modules/provider-adapters/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import { bindingCookie } from '../../../oauth/consent-binding.js';
import { seg } from '../../api.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import type { FieldSpec, FormSpec } from '../../forms/index.js';
import { panel, statusBadge } from '../../layout.js';
import { sourcePage, sourcesApi } from '../modular/wire.js';

/*
 * A wired provider adapter source in the console (docs/adapters.md, "The operator's side"):
 * adding one for a provider, connecting it (the browser goes to the provider's consent page and
 * comes back to the adapter callback page), choosing the ad account it buys in, and what stands
 * in the way (a lost grant shows with the reconnect button). Every step is the seller API's.
 */

interface Connection {
  name: string;
  provider: string;
  providerDisplayName: string;
  status: 'PENDING' | 'CONNECTED' | 'NEEDS_RECONNECT' | 'DISCONNECTED';
  statusReason: string | null;
  action: 'connect' | 'reconnect' | 'choose_account' | null;
  accounts: Array<{ id: string; name: string; currency: string | null; status: string }>;
  selectedAccount: { id: string; name: string; currency: string | null } | null;
  pageId: string | null;
  pages: Array<{ id: string; name: string }>;
  defaultCountries: string[];
  adCategory: string | null;
  callbackUrl: string;
}

const adapterApi = (sourceId: string) => `${sourcesApi}/${seg(sourceId)}/adapter`;

/** The sales providers this instance has an adapter for (AudioStack is the buyers' own). */
export const salesProviders = Object.entries(providers)
  .filter(([, p]) => p.built && p.role === 'sales')
  .map(([value, p]) => ({ value, label: p.name }));

const connectSpec = (sourceId: string, again: boolean): FormSpec => ({
  id: 'adapter-connect',
  action: `/console/sources/${seg(sourceId)}/adapter-connect`,
  route: `POST ${sourcesApi}/:sourceId/adapter/connect`,
  fields: [],
  submit: again ? 'Reconnect the account' : 'Connect the account',
  className: 'inline-form',
});

const accountSpec = (sourceId: string, connection?: Connection): FormSpec => ({
  id: 'adapter-account',
  action: `/console/sources/${seg(sourceId)}/adapter-account`,
  route: `PATCH ${sourcesApi}/:sourceId/adapter`,
  fields: [
    {
      name: 'accountId',
      label: 'Ad account',
      kind: 'select',
      ...(connection && {
        options: connection.accounts.map((a) => ({
          value: a.id,
          label: `${a.name} (${a.id}${a.currency ? `, ${a.currency}` : ''}${a.status === 'active' ? '' : `, ${a.status.replace('_', ' ')}`})`,
        })),
      }),
    },
  ],
  submit: 'Buy in this account',
  values: { accountId: connection?.selectedAccount?.id },
});

/**
 * What the source books with besides the account: the countries a package targets when it names
 * none (every provider), the Page ads run as (Meta), the ad category every ad set is booked
 * under (Spotify; left empty, the ad account's industry decides it). Drawn with the connection,
 * only its provider's fields; posted, the form's `provider` says which fields it sent.
 */
const settingsSpec = (sourceId: string, connection?: Connection): FormSpec => {
  const only = (provider: string) => ({ field: 'provider', values: [provider] });
  const fields: FieldSpec[] = [
    { name: 'provider', label: 'Provider', kind: 'hidden', local: true },
    {
      name: 'defaultCountries',
      label: 'Default countries',
      kind: 'list',
      hint: 'Two-letter country codes (US, GB), one per line or comma separated: what a package targets when it names no country.',
    },
    {
      name: 'pageId',
      label: 'Page ads run as',
      kind: 'select',
      showWhen: only('meta'),
      ...(connection && {
        options: connection.pages.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` })),
      }),
    },
    {
      name: 'adCategory',
      label: 'Ad category',
      hint: 'A Spotify ad category id, such as ADV_4_2. Left empty, the one your ad account’s industry names.',
      empty: 'null',
      showWhen: only('spotify'),
    },
  ];
  return {
    id: 'adapter-settings',
    action: `/console/sources/${seg(sourceId)}/adapter-settings`,
    route: `PATCH ${sourcesApi}/:sourceId/adapter`,
    fields: connection
      ? fields.filter((f) => !f.showWhen || f.showWhen.values.includes(connection.provider))
      : fields,
    submit: 'Save these settings',
    values: {
      provider: connection?.provider,
      defaultCountries: connection?.defaultCountries,
      pageId: connection?.pageId ?? undefined,
      adCategory: connection?.adCategory ?? undefined,
    },
  };
};

const statusTone = (status: Connection['status']) =>
  status === 'CONNECTED' ? 'good' : status === 'NEEDS_RECONNECT' ? 'bad' : 'neutral';

/** The source page's section for a PROVIDER_ADAPTER source. */
export async function adapterSection(source: SourceView, args: PageArgs): Promise<string> {
  const c = await args.api.get<Connection>(adapterApi(source.sourceId));
  const again = c.status === 'NEEDS_RECONNECT' || c.status === 'CONNECTED';
  const lost =
    c.status === 'NEEDS_RECONNECT'
      ? `<p class="error-text" role="alert">The ${e(c.providerDisplayName)} grant was lost${c.statusReason ? `: ${e(c.statusReason)}` : ''}. The storefront cannot sell through it until you reconnect.</p>`
      : '';
  const account =
    c.accounts.length > 0
      ? `${args.form(accountSpec(source.sourceId, c))}${args.form(settingsSpec(source.sourceId, c))}`
      : '<p class="empty">No ad account yet: connect the account first.</p>';
  return panel(
    'adapter-h',
    `${e(c.providerDisplayName)} connection`,
    `${lost}<dl class="facts"><dt>Connection</dt><dd>${statusBadge(c.status, statusTone(c.status))}${c.statusReason && c.status !== 'NEEDS_RECONNECT' ? ` ${e(c.statusReason)}` : ''}</dd>
<dt>Ad account</dt><dd>${c.selectedAccount ? `${e(c.selectedAccount.name)} <code>${e(c.selectedAccount.id)}</code>` : '—'}</dd>
<dt>Redirect URI</dt><dd><code>${e(c.callbackUrl)}</code> (the provider’s app must allow it)</dd></dl>
<div class="button-row">${args.form(connectSpec(source.sourceId, again))}</div>
${account}`,
  );
}

export function registerAdapterForms(ctx: ConsoleContext): void {
  ctx.apiForm({
    url: '/console/sources/:sourceId/adapter-connect',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => connectSpec(params['sourceId'] ?? '', false),
    noBody: true,
    // The browser goes on to the provider's consent page; it comes back to the callback page.
    away: (data) => {
      const started = data as { authorizationUrl: string; callbackUrl: string };
      return {
        who: 'your ad account',
        url: started.authorizationUrl,
        // This browser may finish the consent it starts without being asked to confirm it.
        setCookie: bindingCookie(
          started.authorizationUrl,
          started.callbackUrl.startsWith('https:'),
        ),
        purpose: 'to allow Interchange to sell through your ad account; you come back here after.',
      };
    },
    done: (_data, { params }) => ({
      to: sourcePage(params['sourceId'] ?? ''),
      notice: 'adapter-account-chosen',
      subject: params['sourceId'] ?? '',
    }),
  });
  ctx.apiForm({
    url: '/console/sources/:sourceId/adapter-settings',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => settingsSpec(params['sourceId'] ?? ''),
    done: (data, { params }) => ({
      to: sourcePage(params['sourceId'] ?? ''),
      notice: 'adapter-settings-saved',
      subject: (data as Connection).name,
    }),
  });
  ctx.apiForm({
    url: '/console/sources/:sourceId/adapter-account',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => accountSpec(params['sourceId'] ?? ''),
    done: (data, { params }) => ({
      to: sourcePage(params['sourceId'] ?? ''),
      notice: 'adapter-account-chosen',
      subject: (data as Connection).selectedAccount?.name ?? '',
    }),
  });
}
