import type { z } from 'zod';
import type { proposalCodeSchema } from './schemas.js';
import type { ProposalCodeRow, ProposalRow } from './store.js';
import type { OperatorRef } from './tables.js';

/** A hosted operatorId (a domain, `customer:<id>`, or the structured form) as stored. */
export function operatorRefOf(input: string | OperatorRef): OperatorRef {
  if (typeof input !== 'string') {
    return 'domain' in input ? { domain: input.domain.toLowerCase() } : input;
  }
  const customer = /^customer:(\d+)$/.exec(input);
  return customer ? { customerId: Number(customer[1]) } : { domain: input.toLowerCase() };
}

const operatorIdOf = (ref: OperatorRef) =>
  'domain' in ref ? ref.domain : `customer:${ref.customerId}`;

const storedStatus = (status: string): 'active' | 'redeemed' | 'revoked' =>
  status === 'redeemed' || status === 'revoked' ? status : 'active';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A code as the seller reads it; an active code past its expiry reads expired. */
export function codeView(
  row: ProposalCodeRow,
  proposal: ProposalRow | undefined,
  now: Date,
): z.output<typeof proposalCodeSchema> {
  const status =
    row.status === 'active' && row.expiresAt <= now ? 'expired' : storedStatus(row.status);
  return {
    id: row.id,
    proposalCode: row.code,
    operatorId: operatorIdOf(row.operatorRef),
    operatorRef: row.operatorRef,
    label: row.label,
    notes: row.notes,
    status,
    expiresAt: row.expiresAt.toISOString(),
    proposalId: row.proposalId,
    discoverySessionId: row.discoverySessionId,
    snapshot: {
      products: (proposal?.answer.products ?? []).map((p) => ({ ...p })),
      proposals: (proposal?.answer.proposals ?? []).map((p) => ({ ...p })),
    },
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    firstViewedAt: iso(row.firstViewedAt),
    lastViewedAt: iso(row.lastViewedAt),
    redeemedAt: iso(row.redeemedAt),
    redeemedInMediaBuyId: row.redeemedInMediaBuyId,
    holderCustomerId: row.holderCustomerId,
  };
}
