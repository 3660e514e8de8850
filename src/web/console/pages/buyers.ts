import type { JoinLinkView } from '../../../modules/join-links/index.js';
import type { SponsoredBuyerView } from '../../../modules/identity/index.js';
import type { StorefrontView } from '../../../modules/storefronts/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { page, panel, postForm, statusBadge, table, when } from '../layout.js';
import { qrSvg } from '../qr.js';

const mintFields: FieldSpec[] = [
  {
    name: 'approvalPolicy',
    label: 'Who gets in',
    kind: 'radio',
    options: [
      { value: 'manual_approve', label: 'Anyone may ask; I approve each buyer' },
      { value: 'auto_approve', label: 'Anyone with the link is approved at once' },
      { value: 'invite_only', label: 'Invite only' },
      { value: 'closed', label: 'Closed (the link shows, nobody can join)' },
    ],
  },
  {
    name: 'maxUses',
    label: 'Sign-up cap (optional)',
    kind: 'number',
    hint: 'How many buyers may join through this link.',
  },
  {
    name: 'expiresAt',
    label: 'Expires after (optional, UTC)',
    kind: 'date',
    dayEdge: 'end',
    hint: 'The link stops working at the end of this day.',
  },
  {
    name: 'slug',
    label: 'Link name (optional)',
    hint: 'Lowercase letters, digits and hyphens; made from the storefront name when empty.',
  },
];

const mintSpec = (): FormSpec => ({
  id: 'mint-link',
  action: '/console/join-links/new',
  route: 'POST /api/v2/storefront/join-links',
  fields: mintFields,
  submit: 'Mint the join link',
  idempotent: true,
  values: { approvalPolicy: 'manual_approve' },
});

const disableSpec = (linkId: string): FormSpec => ({
  id: `disable-${linkId}`,
  action: `/console/join-links/${encodeURIComponent(linkId)}/disable`,
  route: 'DELETE /api/v2/storefront/join-links/:linkId',
  fields: [],
  submit: 'Disable',
  danger: true,
  className: 'inline-form',
});

/**
 * Demand: join links (mint with a policy, cap and expiry; each link's URL and QR code to copy;
 * disable) with their sign-ups, and the sponsored buyers they brought in. Approve moves a
 * pending buyer to active; reject is seed 000's suspend of a pending buyer (pending →
 * suspended); an active buyer can be suspended and a suspended one reactivated.
 */
export function registerBuyersPage(ctx: ConsoleContext, ownUrl: () => string): void {
  ctx.page('/console/buyers', 'SELLER', (args) => renderBuyers(args, ownUrl()));
  ctx.apiForm({
    url: '/console/join-links/new',
    persona: 'SELLER',
    page: '/console/buyers',
    spec: mintSpec,
    // The link is for the seller's own storefront (an organisation's others take their id).
    call: async (body, { api }) => ({
      method: 'POST',
      path: '/api/v2/storefront/join-links',
      body: { ...body, storefrontId: (await api.get<StorefrontView>('/api/v2/storefront')).id },
    }),
    done: (data) => ({
      to: `/console/buyers#link-${(data as JoinLinkView).id}`,
      notice: 'join-link-minted',
      subject: (data as JoinLinkView).slug,
    }),
  });
  ctx.apiForm({
    url: '/console/join-links/:linkId/disable',
    persona: 'SELLER',
    page: '/console/buyers',
    spec: ({ params }) => disableSpec(params.linkId!),
    noBody: true,
    done: (_data, { params }) => ({
      to: '/console/buyers',
      notice: 'join-link-disabled',
      subject: params.linkId!,
    }),
  });
}

async function renderBuyers(args: PageArgs, publicUrl: string): Promise<string> {
  const [links, buyers] = await Promise.all([
    args.api.get<{ items: JoinLinkView[] }>('/api/v2/storefront/join-links'),
    args.api.get<{ items: SponsoredBuyerView[] }>('/api/v2/storefront/sponsored-buyers'),
  ]);
  const frame = {
    ...(await args.frame('Buyers and join links', '/console/buyers')),
    flash: args.flash,
  };
  const action = (buyer: SponsoredBuyerView, name: string, label: string, style = '') =>
    postForm(
      `/console/buyers/${buyer.buyerCustomerId}/${name}`,
      args.csrf,
      `<button type="submit"${style ? ` class="${style}"` : ''} aria-label="${e(`${label} ${buyer.buyerName ?? `buyer ${buyer.buyerCustomerId}`}`)}">${e(label)}</button>`,
      'inline',
    );
  const actions = (b: SponsoredBuyerView) =>
    b.status === 'pending'
      ? action(b, 'approve', 'Approve') + action(b, 'reject', 'Reject', 'danger')
      : b.status === 'active'
        ? action(b, 'suspend', 'Suspend', 'secondary')
        : action(b, 'reactivate', 'Reactivate', 'secondary');
  const buyerRows = buyers.items.map((b) => [
    `<strong>${e(b.buyerName ?? '—')}</strong><br><span class="note">customer ${b.buyerCustomerId}</span>`,
    statusBadge(
      b.status,
      b.status === 'active' ? 'good' : b.status === 'suspended' ? 'bad' : 'neutral',
    ),
    e(b.posture),
    when(b.createdAt),
    actions(b),
  ]);
  const cards = links.items.map((l) => {
    const url = `${publicUrl}${l.joinPath}`;
    const inputId = `link-url-${l.id}`;
    return `<article class="link-card" id="link-${e(l.id)}" aria-labelledby="link-${e(l.id)}-h">
<h3 id="link-${e(l.id)}-h">${e(l.slug)}</h3>
<div class="link-body"><div>
<label for="${inputId}">Join link</label>
<div class="copy-row"><input type="text" id="${inputId}" value="${e(url)}" readonly>
<button type="button" class="secondary" data-copy="${inputId}">Copy</button></div>
<dl class="facts"><dt>Who gets in</dt><dd>${e(l.approvalPolicy.replace(/_/g, ' '))}</dd>
<dt>Sign-ups</dt><dd>${l.uses}${l.maxUses === null ? '' : ` of ${l.maxUses}`}</dd>
<dt>Expires</dt><dd>${l.expiresAt ? when(l.expiresAt) : 'never'}</dd>
<dt>Created</dt><dd>${when(l.createdAt)}</dd></dl>
<p><a href="${e(url)}">Open the join page</a></p>
${args.form(disableSpec(l.id))}</div>
<figure class="qr-box">${qrSvg(url, `QR code of the join link ${l.slug}`)}<figcaption>Scan to open ${e(l.slug)}</figcaption></figure></div></article>`;
  });
  return page(
    frame,
    `${panel(
      'links-h',
      'Join links',
      `${cards.length ? cards.join('\n') : '<p class="empty">No active join links: mint one below and share it with the buyers you want.</p>'}
<h3>Mint a join link</h3>${args.form(mintSpec())}`,
    )}
${panel(
  'buyers-h',
  'Sponsored buyers',
  table(
    'Sponsored buyers',
    ['Buyer', 'Status', 'Posture', 'Joined', 'Actions'],
    buyerRows,
    'No buyers have joined through your links yet.',
  ),
)}`,
  );
}
