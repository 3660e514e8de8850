import type { Db } from '../../../platform/db/database.js';
import { findCampaign } from '../store.js';

/**
 * A customer's campaign read over the database alone (another customer's reads as missing), so
 * discovery, which campaigns are built over, reads the campaign a body names without the
 * campaigns service: built before both, no flow between them.
 */
export function campaignReader(db: Db) {
  return {
    campaignOf: (customerId: number, campaignId: string) =>
      findCampaign(db, customerId, campaignId),
  };
}
