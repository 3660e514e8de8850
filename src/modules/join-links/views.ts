import { isoDate, isoDateOrNull } from '../../platform/formats.js';
import type { JoinLinkView } from './schemas.js';
import type { JoinLinkRow } from './store.js';

export function joinLinkView(row: JoinLinkRow): JoinLinkView {
  return {
    id: String(row.id),
    slug: row.slug,
    joinPath: `/join/${row.slug}`,
    sellerCustomerId: row.sellerCustomerId,
    storefrontId: row.storefrontId,
    role: 'BUYER',
    posture: 'prepay',
    approvalPolicy: row.approvalPolicy,
    active: row.active,
    uses: row.uses,
    maxUses: row.maxUses,
    expiresAt: isoDateOrNull(row.expiresAt),
    revokedAt: isoDateOrNull(row.revokedAt),
    createdAt: isoDate(row.createdAt),
    updatedAt: isoDate(row.updatedAt),
  };
}

/** Why a link cannot admit signups at `now`, or null when it can. */
export function unusableReason(row: JoinLinkRow, now: Date) {
  if (!row.active) return 'revoked' as const;
  if (row.approvalPolicy === 'closed') return 'closed' as const;
  if (row.expiresAt && row.expiresAt <= now) return 'expired' as const;
  if (row.maxUses !== null && row.uses >= row.maxUses) return 'exhausted' as const;
  return null;
}
