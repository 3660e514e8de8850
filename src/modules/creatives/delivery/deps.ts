import type { Db } from '../../../platform/db/database.js';
import type { BuyingAgents } from '../../discovery/index.js';

/** What sending creatives to storefront agents (delivery.ts, withdrawal.ts) is built with. */
export interface DeliveryDeps {
  db: Db;
  agents: BuyingAgents;
  linkOf: (assetId: string) => string;
  /** Longest one sync_creatives / update_media_buy call is waited for. */
  timeoutMs: number;
  /** Longest a review-status refresh (list_creatives) is waited for while a buyer reads. */
  refreshTimeoutMs: number;
  now: () => Date;
}
