import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { AppError } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  codeNotEditable,
  expiryPast,
  expiryTooLate,
  proposalCodeNotFound,
  proposalExpired,
  proposalNotFound,
} from './errors.js';
import type { CreateCodeInput, ListCodesQuery, UpdateCodeInput } from './schemas.js';
import * as store from './store.js';
import type { ProposalCodeRow, ProposalRow } from './store.js';
import type { OperatorRef, ProposalAllocation, ProposalAnswer } from './tables.js';
import { codeView, operatorRefOf } from './views.js';

export type ProposalsService = ReturnType<typeof createProposalsService>;

/** Who asks to see or book a proposal: the buyer customer and the brand it buys for. */
export interface ProposalCaller {
  customerId: number;
  brandDomain: string | null;
}

/** How long a proposal answered in get_products can be booked (AdCP `expires_at`). */
export const proposalLifetimeMs = 7 * 86_400_000;

export const newProposalId = () => `prop_${randomBytes(12).toString('base64url')}`;

const codeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newCode = () =>
  `PRP-${[...randomBytes(6)].map((b) => codeAlphabet[b % codeAlphabet.length]).join('')}`;

/** Whether the code is `caller`'s: issued to it by customer id, or held by it since it opened it. */
const holds = (code: ProposalCodeRow, caller: ProposalCaller) =>
  code.holderCustomerId !== null
    ? code.holderCustomerId === caller.customerId
    : 'customerId' in code.operatorRef && code.operatorRef.customerId === caller.customerId;

/** Whether `caller`, presenting the code, may take a code issued to a brand and held by no one. */
const claimable = (ref: OperatorRef, holder: number | null, caller: ProposalCaller) =>
  holder === null &&
  'domain' in ref &&
  caller.brandDomain !== null &&
  ref.domain === caller.brandDomain.toLowerCase();

/** The same refusal, naming the request field it concerns. */
function withField(error: unknown, field: string): unknown {
  if (!(error instanceof AppError)) return error;
  const { code, details, retryAfter } = error;
  return new AppError(error.kind, error.message, { code, details, retryAfter, field });
}

/** Why a code cannot be used now, or null when it can (a redeemed code still books: retries). */
function codeProblem(code: ProposalCodeRow, now: Date): 'revoked' | 'expired' | null {
  if (code.status === 'revoked') return 'revoked';
  return code.expiresAt <= now ? 'expired' : null;
}

/**
 * Proposals (issue 47, item 4): those a storefront answered in get_products, kept as shown so
 * create_media_buy books exactly them, and the proposal codes its seller issues to one buyer.
 */
export function createProposalsService(deps: { db: Db; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * The code `caller` presents, as its own: one it holds, or one issued to the brand it buys for
   * that nobody holds yet, which becomes its own now (the code is the secret the seller gave that
   * buyer; the brand domain a buyer names is a claim, never proof). Anything else is not found.
   */
  async function presented(code: string, caller: ProposalCaller): Promise<ProposalCodeRow> {
    const row = await store.findByCode(db, code.toUpperCase());
    if (!row) throw proposalCodeNotFound();
    if (holds(row, caller)) return row;
    if (!claimable(row.operatorRef, row.holderCustomerId, caller)) throw proposalCodeNotFound();
    // A past or revoked code is said so to whoever presents it for its brand; nobody takes it.
    const problem = codeProblem(row, now());
    if (problem) throw proposalExpired(problem);
    const claimed = await store.claimCode(db, row.id, caller.customerId);
    if (!claimed || !holds(claimed, caller)) throw proposalCodeNotFound();
    return claimed;
  }

  async function requireOwnCode(storefrontId: number, id: number) {
    const row = await store.findCode(db, storefrontId, id);
    if (!row) throw proposalCodeNotFound('id');
    return row;
  }

  return {
    /** Keeps a proposal the storefront is answering (before the buyer sees it). */
    async issue(input: {
      proposalId: string;
      storefrontId: number;
      buyerCustomerId: number | null;
      currency: string;
      budget: number;
      allocations: ProposalAllocation[];
      answer: ProposalAnswer;
      expiresAt: Date;
    }): Promise<void> {
      await store.insertProposal(db, { ...input, budget: String(input.budget) });
    },

    /**
     * The proposal `caller` may book on this storefront: one answered to it, or one a live code
     * it holds gives it (the brand it names gives it nothing). Throws not_found (unknown, another storefront's or buyer's) or PROPOSAL_EXPIRED.
     * Answers the proposal and the codes it was reached by (to mark them redeemed).
     */
    async bookable(
      storefrontId: number,
      proposalId: string,
      caller: ProposalCaller,
    ): Promise<{ proposal: ProposalRow; codeIds: number[] }> {
      const proposal = await store.findProposal(db, storefrontId, proposalId);
      if (!proposal) throw proposalNotFound('proposal_id');
      const at = now();
      if (proposal.buyerCustomerId === caller.customerId) {
        if (proposal.expiresAt <= at) throw proposalExpired('expired', 'proposal_id');
        return { proposal, codeIds: [] };
      }
      const codes = await store.codesOf(db, storefrontId, proposalId);
      const own = codes.filter((c) => holds(c, caller));
      if (own.length === 0) throw proposalNotFound('proposal_id');
      const live = own.filter((c) => codeProblem(c, at) === null);
      if (live.length === 0) throw proposalExpired(codeProblem(own[0]!, at)!, 'proposal_id');
      return { proposal, codeIds: live.map((c) => c.id) };
    },

    /**
     * AdCP finalize: commits every named proposal `caller` may book, or none. Each is checked
     * first (not found / expired, by its own field); then all are committed in one transaction,
     * and if one expired in between, none is (the call is refused). Our prices are already firm
     * when answered; committing records the buyer's intent, attaches the insertion order the buy
     * must accept, and the proposal keeps its expiry. Answers each committed proposal's answer,
     * in order.
     */
    async finalize(
      storefrontId: number,
      asked: Array<{ proposalId: string; field: string }>,
      caller: ProposalCaller,
    ): Promise<ProposalRow[]> {
      const rows: ProposalRow[] = [];
      for (const { proposalId, field } of asked) {
        try {
          rows.push((await this.bookable(storefrontId, proposalId, caller)).proposal);
        } catch (error) {
          throw withField(error, field);
        }
      }
      const ids = [...new Set(rows.map((r) => r.proposalId))];
      const committed = await store.markCommitted(db, storefrontId, ids, now(), caller.brandDomain);
      if (!committed) throw proposalExpired('expired', asked[0]!.field);
      return Promise.all(
        rows.map(async (r) => (await store.findProposal(db, storefrontId, r.proposalId)) ?? r),
      );
    },

    /** Records the buy a proposal's codes were redeemed in. */
    async redeemed(codeIds: number[], mediaBuyId: string): Promise<void> {
      if (codeIds.length > 0) await store.markRedeemed(db, codeIds, mediaBuyId, now());
    },

    /**
     * The storefront whose seller issued `code` to `caller` (discoverProducts proposalCode); a
     * code issued to the caller's brand and held by nobody becomes the caller's. Unknown and
     * another buyer's codes are not found alike; a past or revoked one has expired.
     */
    async storefrontOfCode(code: string, caller: ProposalCaller): Promise<number> {
      const row = await presented(code, caller);
      const problem = codeProblem(row, now());
      if (problem) throw proposalExpired(problem);
      return row.storefrontId;
    },

    /**
     * What a code shows its buyer: the frozen products and proposals. Another buyer's code and
     * an unknown one are not found; an expired or revoked one is PROPOSAL_EXPIRED.
     */
    async openCode(storefrontId: number, code: string, caller: ProposalCaller) {
      const row = await presented(code, caller);
      if (row.storefrontId !== storefrontId) throw proposalCodeNotFound();
      const problem = codeProblem(row, now());
      if (problem) throw proposalExpired(problem);
      const proposal = await store.findProposal(db, storefrontId, row.proposalId);
      if (!proposal) throw proposalCodeNotFound();
      await store.markViewed(db, row.id, now());
      return proposal.answer;
    },

    async createCode(storefrontId: number, principal: CustomerPrincipal, input: CreateCodeInput) {
      const proposal = await store.findProposal(db, storefrontId, input.proposalId);
      if (!proposal) throw proposalNotFound('proposalId');
      const expiresAt = new Date(input.expiresAt);
      if (expiresAt <= now()) throw expiryPast();
      if (expiresAt > proposal.expiresAt) throw expiryTooLate(proposal.expiresAt);
      for (let attempt = 0; ; attempt++) {
        try {
          const row = await store.insertCode(db, {
            storefrontId,
            code: newCode(),
            proposalId: proposal.proposalId,
            operatorRef: operatorRefOf(input.operatorId),
            label: input.label,
            notes: input.notes ?? null,
            expiresAt,
            discoverySessionId: input.discoveryId,
            createdBy: String(principal.userId),
          });
          return codeView(row, proposal, now());
        } catch (error) {
          // A code clash (32^6 codes) is retried with a fresh code a few times.
          if (!isUniqueViolation(error) || attempt >= 3) throw error;
        }
      }
    },

    async getCode(storefrontId: number, id: number) {
      const row = await requireOwnCode(storefrontId, id);
      return codeView(row, await store.findProposal(db, storefrontId, row.proposalId), now());
    },

    async listCodes(storefrontId: number, query: ListCodesQuery) {
      const { rows } = await store.listCodes(
        db,
        storefrontId,
        { status: query.status, operatorId: query.operatorId },
        { limit: query.limit, offset: query.offset },
        now(),
      );
      return rows.map((row) => {
        const { snapshot: _snapshot, ...summary } = codeView(row, undefined, now());
        return summary;
      });
    },

    async updateCode(storefrontId: number, id: number, input: UpdateCodeInput) {
      const row = await requireOwnCode(storefrontId, id);
      if (row.status !== 'active') throw codeNotEditable(row.status);
      const proposal = await store.findProposal(db, storefrontId, row.proposalId);
      const expiresAt = input.expiresAt === undefined ? undefined : new Date(input.expiresAt);
      if (expiresAt && expiresAt <= now()) throw expiryPast();
      if (expiresAt && proposal && expiresAt > proposal.expiresAt) {
        throw expiryTooLate(proposal.expiresAt);
      }
      const updated = await store.updateCode(db, storefrontId, id, {
        ...(input.label !== undefined && { label: input.label }),
        ...(input.notes !== undefined && { notes: input.notes }),
        ...(expiresAt && { expiresAt }),
      });
      if (!updated) throw proposalCodeNotFound('id');
      return codeView(updated, proposal, now());
    },

    /** Withdraws a code: its buyer can neither see nor book it any more. Revoking twice is fine. */
    async revokeCode(storefrontId: number, id: number) {
      await requireOwnCode(storefrontId, id);
      const updated = await store.updateCode(db, storefrontId, id, { status: 'revoked' });
      if (!updated) throw proposalCodeNotFound('id');
      return codeView(
        updated,
        await store.findProposal(db, storefrontId, updated.proposalId),
        now(),
      );
    },
  };
}
