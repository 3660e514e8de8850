import type { StorefrontRow } from '../storefronts/index.js';
import type { LinkView } from './schemas.js';
import type { LinkRow } from './store.js';

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export function linkView(
  row: LinkRow,
  context: {
    upstream: StorefrontRow | undefined;
    requesterName: string | null;
    requesterDomain: string | null;
  },
): LinkView {
  return {
    id: String(row.id),
    status: row.status,
    upstream: {
      storefrontId: row.upstreamStorefrontId,
      platformId: context.upstream?.platformId ?? '',
      name: context.upstream?.name ?? '',
    },
    requester: {
      customerId: row.requesterCustomerId,
      name: context.requesterName,
      domain: context.requesterDomain,
    },
    downstream: {
      agentUrl: row.downstreamAgentKey,
      name: row.downstreamName,
      storefrontId: row.downstreamStorefrontId,
    },
    note: row.note,
    reason: row.reason,
    decidedAt: iso(row.decidedAt),
    lastUsedAt: iso(row.lastUsedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
