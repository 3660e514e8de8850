import { AppError, notFound } from '../../platform/errors.js';
import type { CustomerPrincipal } from '../../platform/principal.js';
import type { StorefrontsService } from '../storefronts/index.js';
import type { QueueDecision as Decision } from './review-store.js';
import type { ApprovalStatus } from './tables.js';

/**
 * One operator review queue (seed 003: media-buy approvals and creative reviews in manual
 * mode): list by status, read one, and decide once. A decision is a conditional write from
 * pending, so two operators deciding at once cannot both win; the loser hears 409 with the
 * status the item reached. `decided` runs the consequences (forwarding, notifying the buyer)
 * and answers the view to return.
 */
export function reviewQueue<Row, View>(options: {
  /** Names the item in errors: "Media buy approval", "Creative review". */
  what: string;
  storefronts: Pick<StorefrontsService, 'requireOwn'>;
  list: (storefrontId: number, status: ApprovalStatus) => Promise<Row[]>;
  /** The queue's item, or undefined when this storefront has none under that id. */
  find: (storefrontId: number, id: string) => Promise<Row | undefined>;
  statusOf: (row: Row) => string;
  /** Writes the decision only while the item is pending; undefined when it no longer is. */
  decide: (storefrontId: number, row: Row, decision: Decision) => Promise<Row | undefined>;
  decided: (row: Row, decision: Decision) => Promise<View>;
  view: (row: Row) => View;
}) {
  const { storefronts } = options;
  async function require(storefrontId: number, id: string): Promise<Row> {
    const row = await options.find(storefrontId, id);
    if (!row) throw notFound(options.what);
    return row;
  }
  return {
    require,
    async list(principal: CustomerPrincipal, status: ApprovalStatus): Promise<View[]> {
      const storefront = await storefronts.requireOwn(principal);
      return (await options.list(storefront.id, status)).map(options.view);
    },
    async get(principal: CustomerPrincipal, id: string): Promise<View> {
      const storefront = await storefronts.requireOwn(principal);
      return options.view(await require(storefront.id, id));
    },
    async decide(
      principal: CustomerPrincipal,
      id: string,
      input: { status: 'approved' | 'rejected'; reviewerNotes?: string | null | undefined },
    ): Promise<View> {
      const storefront = await storefronts.requireOwn(principal);
      const row = await require(storefront.id, id);
      const decision: Decision = {
        status: input.status,
        reviewedBy: String(principal.userId),
        reviewerNotes: input.reviewerNotes ?? null,
      };
      const decided = await options.decide(storefront.id, row, decision);
      if (!decided) {
        const now = (await options.find(storefront.id, id)) ?? row;
        throw alreadyDecided(options.what.toLowerCase(), options.statusOf(now));
      }
      return options.decided(decided, decision);
    },
  };
}

function alreadyDecided(what: string, status: string): AppError {
  return new AppError(
    'conflict',
    `This ${what} was already decided (${status}); decisions are final`,
    { field: 'status', details: { currentStatus: status } },
  );
}
