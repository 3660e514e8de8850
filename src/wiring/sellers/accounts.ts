import { createConsoleSessionsService } from '../../modules/console-sessions/index.js';
import { createIdentityService } from '../../modules/identity/index.js';
import { activeCoverageReader } from '../../modules/inventory-sources/index.js';
import { createRateCardsService } from '../../modules/rate-cards/index.js';
import { createStorefrontsService } from '../../modules/storefronts/index.js';
import type { Base } from '../base.js';
import { createNotificationsOf } from '../notifications.js';

/**
 * Who sells: storefronts (with their rate cards), identity (a SELLER gets its storefront as it
 * is created), console sessions, and notifications (mail goes to identity's users).
 */
export function createSellerAccounts(base: Base) {
  const { db, activity, options } = base;
  const rateCards = createRateCardsService({ db });
  const storefronts = createStorefrontsService({
    db,
    activity,
    rateCards,
    // A storefront's views show what its ACTIVE sources declared, read from their table.
    activeSources: activeCoverageReader(db),
  });
  const consoleSessions = createConsoleSessionsService({ db });
  const identity = createIdentityService({
    db,
    onError: options.onError,
    onKeyRevoked: [(keyId) => consoleSessions.endForKey(keyId)],
    onCustomerCreated: [
      async (tx, customer) => {
        if (customer.customerRole !== 'SELLER') return;
        await storefronts.createForCustomer(tx, {
          id: customer.id,
          organizationId: customer.parentId ?? customer.id,
          name: customer.name,
          customerDomain: customer.customerDomain,
        });
      },
    ],
  });
  const { notifications, sourceEvents } = createNotificationsOf(base, identity, storefronts);
  return { rateCards, storefronts, consoleSessions, identity, notifications, sourceEvents };
}

export type SellerAccounts = ReturnType<typeof createSellerAccounts>;
