import type { Db } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { isoDate } from '../../platform/formats.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import { mintKey } from './keys/mint.js';
import * as store from './store.js';
import type { SponsorshipRow } from './store.js';
import { currentTerms } from './terms.js';

export type SponsorshipStatus = SponsorshipRow['status'];

export interface SponsoredBuyerView {
  buyerCustomerId: number;
  buyerName: string | null;
  storefrontId: number;
  status: SponsorshipStatus;
  posture: 'prepay' | 'credit';
  createdAt: string;
}

export interface NewSponsoredBuyer {
  storefrontId: number;
  sellerOrganizationId: number;
  joinLinkId: string;
  status: 'pending' | 'active';
  name: string;
  email: string;
  brandDomain: string;
  company?: string | undefined;
  country?: string | undefined;
}

/** Seed 000 transitions: approve pending→active, suspend pending|active→suspended, reactivate. */
const transitions = {
  approve: { from: ['pending'], to: 'active' },
  suspend: { from: ['pending', 'active'], to: 'suspended' },
  reactivate: { from: ['suspended'], to: 'active' },
} as const satisfies Record<string, { from: SponsorshipStatus[]; to: SponsorshipStatus }>;
export type SponsorshipAction = keyof typeof transitions;

export type SponsorshipService = ReturnType<typeof createSponsorshipService>;

export function createSponsorshipService(deps: { db: Db; onChange: () => void; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  return {
    /**
     * Creates the BUYER customer, its first user, accepts the terms the signup form showed,
     * records the sponsorship and mints the buyer's key. Runs in the caller's transaction (the
     * join-link use it consumed commits with it). Throws conflict (field `email`) when the email
     * is already a user's: a public signup proves nothing about who owns an address, so it never
     * attaches to, or mints a key for, an existing user.
     */
    async create(tx: Db, input: NewSponsoredBuyer) {
      const user = await store.insertUser(tx, { email: input.email });
      const customer = await store.insertCustomer(tx, {
        name: input.name,
        company: input.company ?? input.name,
        customerRole: 'BUYER',
        customerDomain: input.brandDomain,
      });
      await store.insertMembership(tx, { userId: user.id, customerId: customer.id, role: 'ADMIN' });
      await store.recordTermsAcceptance(tx, customer.id, currentTerms.version, user.id, now());
      // Emails are unique among users, so the per-storefront unique index on signupEmail can no
      // longer clash here; it stays as a second line of defence.
      await store.insertSponsorship(tx, {
        buyerCustomerId: customer.id,
        storefrontId: input.storefrontId,
        sellerOrganizationId: input.sellerOrganizationId,
        joinLinkId: input.joinLinkId,
        status: input.status,
        signupEmail: input.email.toLowerCase(),
        country: input.country ?? null,
      });
      const key = await mintKey(tx, {
        kind: 'user',
        customerId: customer.id,
        userId: user.id,
        name: 'join link signup',
      });
      return { buyerCustomerId: customer.id, apiKey: key.key, status: input.status };
    },

    async list(principal: CustomerPrincipal) {
      const rows = await store.listSponsorships(deps.db, principal.organizationId);
      const items = rows.map((r) => view(r.sponsorship, r.buyerName));
      return { items, total: items.length };
    },

    /** Applies one seed-000 transition; another organisation's buyer is NOT_FOUND. */
    async transition(
      principal: CustomerPrincipal,
      buyerCustomerId: number,
      action: SponsorshipAction,
    ): Promise<SponsoredBuyerView> {
      const found = await store.findSponsorship(deps.db, buyerCustomerId);
      if (!found || found.sponsorship.sellerOrganizationId !== principal.organizationId) {
        throw notFound('Sponsored buyer');
      }
      const rule = transitions[action];
      const updated = await store.transitionSponsorship(
        deps.db,
        buyerCustomerId,
        [...rule.from],
        rule.to,
      );
      if (!updated) {
        throw new AppError(
          'conflict',
          `Cannot ${action} a ${found.sponsorship.status} sponsored buyer (allowed from: ${rule.from.join(', ')})`,
          { details: { status: found.sponsorship.status } },
        );
      }
      deps.onChange();
      return view(updated, found.buyerName);
    },
  };
}

function view(row: SponsorshipRow, buyerName: string | null): SponsoredBuyerView {
  return {
    buyerCustomerId: row.buyerCustomerId,
    buyerName,
    storefrontId: row.storefrontId,
    status: row.status,
    posture: row.posture,
    createdAt: isoDate(row.createdAt),
  };
}
