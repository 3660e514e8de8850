import type { Db } from '../../../platform/db/database.js';
import type { SourceCall, StoredSourceRow } from '../../inventory-sources/index.js';
import type { AdapterContext, ProviderAdapter } from '../contract.js';
import { ProviderError } from '../errors.js';

/** One request's view of an adapter source: its row, the connection's context, its adapter. */
export interface BuyScope {
  db: Db;
  now: () => Date;
  row: StoredSourceRow;
  ctx: AdapterContext;
  adapter: ProviderAdapter;
}

export const buyerOf = (call: SourceCall) => {
  if (call.customerId === null) throw new ProviderError('AUTH_REQUIRED', 'A buyer is required');
  return call.customerId;
};
