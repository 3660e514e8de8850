import { escapeHtml as e } from '../../../platform/http/html.js';
import { seg } from '../api.js';
import { continueAwayPage } from '../continue-away.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { document, page, panel, statusBadge, table } from '../layout.js';
import { sendPage } from '../responses.js';
import type { BuyerSource, BuyerStorefront, Credential, Page, StorefrontSummary } from './wire.js';

const base = '/api/v2/buyer/storefronts';
const storefrontUrl = (id: string | number) => `/console/storefronts/${seg(id)}`;
const authIs = (...values: string[]) => ({ field: 'auth.type', values });

const credentialFields: FieldSpec[] = [
  {
    name: 'accountIdentifier',
    label: 'Your account at this seller',
    hint: 'The account id or name the seller knows you by.',
  },
  {
    name: 'auth.type',
    label: 'Credential',
    kind: 'select',
    options: [
      { value: 'bearer', label: 'API key (bearer token)' },
      { value: 'jwt', label: 'JWT grant (RFC 7523)' },
      { value: 'basic', label: 'HTTP Basic' },
    ],
    attrs: 'data-controls-visibility="true"',
  },
  {
    name: 'auth.token',
    label: 'API key',
    kind: 'password',
    showWhen: authIs('bearer'),
    attrs: 'autocomplete="off"',
  },
  {
    name: 'auth.privateKey',
    label: 'Private key (PEM)',
    kind: 'textarea',
    showWhen: authIs('jwt'),
  },
  { name: 'auth.issuer', label: 'Issuer', showWhen: authIs('jwt') },
  { name: 'auth.subject', label: 'Subject', showWhen: authIs('jwt') },
  { name: 'auth.keyId', label: 'Key id', showWhen: authIs('jwt') },
  { name: 'auth.scope', label: 'Scope', showWhen: authIs('jwt') },
  {
    name: 'auth.tokenEndpointUrl',
    label: 'Token endpoint URL',
    kind: 'url',
    showWhen: authIs('jwt'),
  },
  { name: 'auth.audienceUrl', label: 'Audience URL', kind: 'url', showWhen: authIs('jwt') },
  { name: 'auth.username', label: 'User name', showWhen: authIs('basic') },
  {
    name: 'auth.password',
    label: 'Password',
    kind: 'password',
    showWhen: authIs('basic'),
    attrs: 'autocomplete="off"',
  },
];

const credentialSpec = (storefrontId: string, sourceId: string): FormSpec => ({
  id: `credential-${sourceId}`,
  action: `${storefrontUrl(storefrontId)}/sources/${seg(sourceId)}/credentials`,
  route: `POST ${base}/:storefrontId/sources/:sourceId/credentials`,
  fields: credentialFields,
  submit: 'Register the credential',
  values: { 'auth.type': 'bearer' },
  busy: 'Checking the credential with the seller…',
});

const oauthSpec = (storefrontId: string, sourceId: string): FormSpec => ({
  id: `oauth-${sourceId}`,
  action: `${storefrontUrl(storefrontId)}/sources/${seg(sourceId)}/oauth`,
  route: 'POST /api/v2/storefront/agents/:agentId/accounts/oauth/authorize',
  fields: [],
  submit: 'Connect with OAuth',
  className: 'inline-form',
  target: 'oauth-consent',
});

const removeSpec = (storefrontId: string, credentialId: string): FormSpec => ({
  id: `remove-credential-${credentialId}`,
  action: `${storefrontUrl(storefrontId)}/credentials/${seg(credentialId)}/remove`,
  route: `DELETE ${base}/credentials/:credentialId`,
  fields: [],
  submit: 'Remove',
  danger: true,
  className: 'inline-form',
});

/**
 * Storefronts a buyer can buy from: the list with how connected each is, and one storefront's
 * sources with their connection state, credential registration and OAuth consent (a popup whose
 * callback page tells this page by postMessage when it is done).
 */
export function registerStorefrontPages(ctx: ConsoleContext): void {
  ctx.page('/console/storefronts', 'BUYER', renderList);
  ctx.page('/console/storefronts/:storefrontId', 'BUYER', renderStorefront);
  ctx.apiForm({
    url: '/console/storefronts/:storefrontId/sources/:sourceId/credentials',
    persona: 'BUYER',
    page: '/console/storefronts/:storefrontId',
    spec: ({ params }) => credentialSpec(params.storefrontId!, params.sourceId!),
    done: (data, { params }) => ({
      to: storefrontUrl(params.storefrontId!),
      notice: 'credential-registered',
      subject: (data as Credential).sources[0]?.sourceName ?? params.sourceId!,
    }),
  });
  ctx.apiForm({
    url: '/console/storefronts/:storefrontId/credentials/:credentialId/remove',
    persona: 'BUYER',
    page: '/console/storefronts/:storefrontId',
    spec: ({ params }) => removeSpec(params.storefrontId!, params.credentialId!),
    noBody: true,
    done: (_data, { params }) => ({
      to: storefrontUrl(params.storefrontId!),
      notice: 'credential-removed',
      subject: '',
    }),
  });

  // OAuth: the form opens a consent window and posts here; this page sends that window on to
  // the seller's authorization server (a link the page script follows: a redirect after a form
  // post to another origin would break the console's form-action policy).
  ctx.scope.post(
    '/console/storefronts/:storefrontId/sources/:sourceId/oauth',
    { schema: { hide: true } },
    async (request, reply) => {
      if (!ctx.csrfOk(request)) return ctx.refuseCsrf(request, reply);
      const signed = await ctx.signedIn(request, reply, 'BUYER');
      if (!signed) return reply;
      const { storefrontId, sourceId } = request.params as Record<string, string>;
      const api = ctx.apiFor(signed, request);
      const storefront = await api.call<BuyerStorefront>({
        method: 'GET',
        path: `${base}/${seg(storefrontId!)}`,
      });
      const source = storefront.data?.sources.find((s) => s.sourceId === sourceId);
      const started = source
        ? await api.call<{ authorizationUrl: string; agentName: string }>({
            method: 'POST',
            path: `/api/v2/storefront/agents/${seg(source.agentId)}/accounts/oauth/authorize`,
            body: {},
          })
        : undefined;
      if (!source || !started || started.error) {
        const message = started?.error?.message ?? storefront.error?.message ?? 'Source not found';
        return sendPage(
          reply,
          started?.status ?? storefront.status ?? 404,
          document(
            'Connection failed · Interchange console',
            `<main id="main" class="signin"><h1>Connection failed</h1><p role="alert">${e(message)}</p><p>Close this window and try again.</p></main>`,
          ),
        );
      }
      return sendPage(
        reply,
        200,
        continueAwayPage({
          who: started.data.agentName,
          url: started.data.authorizationUrl,
          purpose: 'to allow Interchange to buy for you there. This window closes when it is done.',
        }),
      );
    },
  );
}

async function renderList(args: PageArgs): Promise<string> {
  const [own, listed] = await Promise.all([
    args.api.get<Page<StorefrontSummary>>(base, { visibility: 'private', limit: 50 }),
    args.api.get<Page<StorefrontSummary>>(base, { limit: 50 }),
  ]);
  const seen = new Set<number>();
  const all = [...listed.items, ...own.items].filter((s) => !seen.has(s.id) && seen.add(s.id));
  const rows = all.map((s) => [
    `<a href="${e(storefrontUrl(s.id))}"><strong>${e(s.name)}</strong></a>${s.publisherDomain ? `<br><code>${e(s.publisherDomain)}</code>` : ''}`,
    e(s.channels.join(', ') || '—'),
    statusBadge(s.displayStatus, s.displayStatus === 'transacting' ? 'good' : 'neutral'),
    `${s.connectedSourceCount} of ${s.sourceCount} sources connected`,
  ]);
  return page(
    { ...(await args.frame('Storefronts', '/console/storefronts')), flash: args.flash },
    panel(
      'sf-h',
      'Storefronts you can buy from',
      table(
        'Storefronts',
        ['Storefront', 'Channels', 'Status', 'Your connection'],
        rows,
        'No storefronts are open to you yet. A seller’s join link brings you to theirs.',
      ),
    ),
  );
}

async function renderStorefront(args: PageArgs): Promise<string> {
  const id = args.params.storefrontId!;
  const [sf, credentials] = await Promise.all([
    args.api.get<BuyerStorefront>(`${base}/${seg(id)}`),
    args.api.get<Credential[]>(`${base}/credentials`),
  ]);
  const frame = {
    ...(await args.frame(sf.name, '/console/storefronts')),
    flash: args.flash,
    back: { href: '/console/storefronts', label: 'Storefronts' },
  };
  const mine = (source: BuyerSource) =>
    credentials.filter((c) =>
      c.sources.some((s) => s.storefrontId === sf.id && s.sourceId === source.sourceId),
    );
  const sources = sf.sources.map((source) => {
    const held = mine(source);
    const state = !source.requiresCredentials
      ? statusBadge('no credential needed', 'good')
      : source.connected
        ? statusBadge('connected', 'good')
        : statusBadge('not connected', 'bad');
    const heldRows = table(
      `Your credentials for ${source.name}`,
      ['Account', 'Status', ''],
      held.map((c) => [
        `<code>${e(c.accountIdentifier)}</code>`,
        `${e(c.status)}${c.statusReason ? `<br><span class="note">${e(c.statusReason)}</span>` : ''}`,
        args.form(removeSpec(id, c.id)),
      ]),
      'No credential registered here yet.',
    );
    const connect = source.requiresCredentials
      ? `${heldRows}<h4>Connect</h4>
<p class="note">Use what the seller gave you: an API key, a JWT grant or a user name, or OAuth if the seller signs you in on its own page.</p>
${args.form(oauthSpec(id, source.sourceId))}
<p class="oauth-status" role="status" aria-live="polite"></p>
${args.form(credentialSpec(id, source.sourceId))}`
      : '<p class="note">The storefront calls this source for you: nothing to connect.</p>';
    return `<article class="source-card" aria-labelledby="src-${e(source.sourceId)}"><h3 id="src-${e(source.sourceId)}">${e(source.name)} ${state}</h3>
<p class="note">Agent <code>${e(source.agentId)}</code></p>${connect}</article>`;
  });
  return page(
    frame,
    `${panel(
      'sf-about-h',
      'Storefront',
      `<dl class="facts"><dt>Status</dt><dd>${statusBadge(sf.readiness.effectiveStatus, sf.readiness.canTransact ? 'good' : 'neutral')}</dd>
<dt>Channels</dt><dd>${e(sf.channels.join(', ') || '—')}</dd>
<dt>Connected</dt><dd>${sf.connected ? 'yes: you can discover and buy' : 'not yet: connect the sources below that need your credentials'}</dd>
${sf.demandContact ? `<dt>Contact</dt><dd>${e(sf.demandContact.name)} &lt;${e(sf.demandContact.email)}&gt;</dd>` : ''}</dl>
${sf.description ? `<p>${e(sf.description)}</p>` : ''}
<p><a class="button" href="/console/discover?storefrontId=${e(String(sf.id))}">Discover products here</a></p>`,
    )}
${panel('sources-h', 'Sources', sources.join('\n') || '<p class="empty">This storefront has no active sources yet.</p>')}`,
  );
}
