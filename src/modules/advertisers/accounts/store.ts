import { columnsEqual } from '../../../platform/db/columns-equal.js';
import type { Db } from '../../../platform/db/database.js';
import { type DiscoveredAccount, sourceAccountCache } from '../tables.js';

/** The cached list_accounts answer for one buyer credential at one agent. */
export async function findCachedAccounts(
  db: Db,
  key: { customerId: number; credentialId: string; agentId: string },
) {
  const [row] = await db
    .select()
    .from(sourceAccountCache)
    .where(
      columnsEqual(sourceAccountCache, {
        customerId: key.customerId,
        credentialId: key.credentialId,
        agentId: key.agentId,
      }),
    );
  return row;
}

export async function saveCachedAccounts(
  db: Db,
  key: { customerId: number; credentialId: string; agentId: string },
  accounts: DiscoveredAccount[],
  fetchedAt: Date,
): Promise<void> {
  await db
    .insert(sourceAccountCache)
    .values({ ...key, accounts, fetchedAt })
    .onConflictDoUpdate({
      target: [
        sourceAccountCache.customerId,
        sourceAccountCache.credentialId,
        sourceAccountCache.agentId,
      ],
      set: { accounts, fetchedAt },
    });
}
