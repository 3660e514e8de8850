import type { LinkView } from '../../../modules/storefront-links/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FormSpec } from '../forms/index.js';
import { page, panel, statusBadge, table, when } from '../layout.js';

const actions = {
  approve: { label: 'Approve', notice: 'link-approved' },
  deny: { label: 'Deny', notice: 'link-denied' },
  revoke: { label: 'Revoke', notice: 'link-revoked' },
} as const;
type Action = keyof typeof actions;

const decisionSpec = (linkId: string, action: Action): FormSpec => ({
  id: `link-${action}-${linkId}`,
  action: `/console/link-requests/${encodeURIComponent(linkId)}/${action}`,
  route: `POST /api/v2/storefront/link-requests/:linkId/${action}`,
  fields: [],
  submit: actions[action].label,
  danger: action !== 'approve',
  className: 'inline-form',
});

const tone = (status: string) =>
  status === 'ACTIVE' ? 'good' : status === 'PENDING' ? 'neutral' : 'bad';

/**
 * Link requests to the seller's storefront: other storefronts (here or on another Interchange)
 * asking to sell its inventory through their own Merchandising Agent. Pending ones are approved
 * or denied; active ones revoked. Until approved nothing flows; a revocation stops products and
 * new buys at the next request.
 */
export function registerLinkRequestsPage(ctx: ConsoleContext): void {
  ctx.page('/console/link-requests', 'SELLER', render);
  for (const action of Object.keys(actions) as Action[]) {
    ctx.apiForm({
      url: `/console/link-requests/:linkId/${action}`,
      persona: 'SELLER',
      page: '/console/link-requests',
      spec: ({ params }) => decisionSpec(params.linkId!, action),
      noBody: true,
      done: (data) => ({
        to: '/console/link-requests',
        notice: actions[action].notice,
        subject: (data as LinkView).downstream.name,
      }),
    });
  }
}

async function render(args: PageArgs): Promise<string> {
  const { items } = await args.api.get<{ items: LinkView[] }>('/api/v2/storefront/link-requests');
  const rows = items.map((link) => {
    const buttons =
      link.status === 'PENDING'
        ? [args.form(decisionSpec(link.id, 'approve')), args.form(decisionSpec(link.id, 'deny'))]
        : link.status === 'ACTIVE'
          ? [args.form(decisionSpec(link.id, 'revoke'))]
          : [];
    return [
      `<strong>${e(link.downstream.name)}</strong><br><code>${e(link.downstream.agentUrl)}</code>`,
      `${e(link.requester.name ?? `customer ${link.requester.customerId}`)}${link.requester.domain ? `<br>${e(link.requester.domain)}` : ''}`,
      `${statusBadge(link.status, tone(link.status))}${link.reason ? `<br>${e(link.reason)}` : ''}`,
      `${when(link.createdAt)}${link.note ? `<br><span class="note">${e(link.note)}</span>` : ''}`,
      `<div class="button-row">${buttons.join('')}</div>`,
    ];
  });
  return page(
    { ...(await args.frame('Linked storefronts', '/console/link-requests')), flash: args.flash },
    panel(
      'links-h',
      'Storefronts selling your inventory',
      `<p class="note">Another storefront can sell your products through its own Merchandising Agent once you approve its request. Its buys reach you as that storefront's own: in your review queue and your analytics. Revoking stops its products and new buys at its next request; buys already placed stay.</p>
${table('Link requests', ['Storefront', 'Asked by', 'Status', 'Asked', 'Decide'], rows, 'No storefront has asked to sell your inventory.')}`,
    ),
  );
}
