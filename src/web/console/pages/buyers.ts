import type { JoinLinksService } from '../../../modules/join-links/index.js';
import type { SponsoredBuyerView } from '../../../modules/identity/index.js';
import { escapeHtml as e } from '../../html.js';
import { type Frame, page, postForm, statusBadge, table, when } from '../layout.js';

type JoinLinkView = Awaited<ReturnType<JoinLinksService['list']>>['items'][number];

/**
 * Join links and the sponsored buyers they brought in. Approve moves a pending buyer to
 * active; reject is seed 000's suspend of a pending buyer (pending → suspended); an active
 * buyer can be suspended and a suspended one reactivated.
 */
export function renderBuyers(
  frame: Frame,
  links: JoinLinkView[],
  buyers: SponsoredBuyerView[],
  publicUrl: string,
): string {
  const action = (buyer: SponsoredBuyerView, name: string, label: string, style = '') =>
    postForm(
      `/console/buyers/${buyer.buyerCustomerId}/${name}`,
      frame.csrf,
      `<button type="submit"${style ? ` class="${style}"` : ''} aria-label="${e(`${label} ${buyer.buyerName ?? `buyer ${buyer.buyerCustomerId}`}`)}">${e(label)}</button>`,
      'inline',
    );
  const actions = (b: SponsoredBuyerView) =>
    b.status === 'pending'
      ? action(b, 'approve', 'Approve') + action(b, 'reject', 'Reject', 'danger')
      : b.status === 'active'
        ? action(b, 'suspend', 'Suspend', 'secondary')
        : action(b, 'reactivate', 'Reactivate', 'secondary');
  const buyerRows = buyers.map((b) => [
    `<strong>${e(b.buyerName ?? '—')}</strong><br><span class="note">customer ${b.buyerCustomerId}</span>`,
    statusBadge(
      b.status,
      b.status === 'active' ? 'good' : b.status === 'suspended' ? 'bad' : 'neutral',
    ),
    e(b.posture),
    when(b.createdAt),
    actions(b),
  ]);
  const linkRows = links.map((l) => [
    `<a href="${e(`${publicUrl}${l.joinPath}`)}">${e(l.slug)}</a>`,
    e(l.approvalPolicy.replace(/_/g, ' ')),
    `${l.uses}${l.maxUses === null ? '' : ` of ${l.maxUses}`}`,
    when(l.expiresAt),
    when(l.createdAt),
  ]);
  return page(
    frame,
    `<section class="panel" aria-labelledby="buyers-h"><h2 id="buyers-h">Sponsored buyers</h2>
${table('Sponsored buyers', ['Buyer', 'Status', 'Posture', 'Joined', 'Actions'], buyerRows, 'No buyers have joined through your links yet.')}
</section>
<section class="panel" aria-labelledby="links-h"><h2 id="links-h">Active join links</h2>
${table('Join links', ['Link', 'Approval', 'Uses', 'Expires', 'Created'], linkRows, 'No active join links: mint one with POST /api/v2/storefront/join-links.')}
</section>`,
  );
}
