import { asc } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import {
  upstreamAccountBindings as bindings,
  upstreamSellerAccounts as sellerAccounts,
} from './tables.js';

/** A `{brand, operator}` account at one seller agent, domains normalized. */
export interface AccountKey {
  agentId: string;
  brandDomain: string;
  operatorDomain: string;
  sandbox: boolean;
}

/**
 * The customer `key` is bound to, binding it to `customerId` when it was free. Two statements
 * on purpose: the insert settles a race in the database (the primary key lets exactly one
 * through), and the read, a statement of its own, sees the winner's committed row, which the
 * insert's own snapshot might not.
 */
export async function bindOrFindOwner(
  db: Db,
  key: AccountKey,
  customerId: number,
): Promise<number> {
  const [inserted] = await db
    .insert(bindings)
    .values({ ...key, customerId })
    .onConflictDoNothing()
    .returning({ customerId: bindings.customerId });
  if (inserted) return inserted.customerId;
  const [row] = await db
    .select({ customerId: bindings.customerId })
    .from(bindings)
    .where(
      columnsEqual(bindings, {
        agentId: key.agentId,
        brandDomain: key.brandDomain,
        operatorDomain: key.operatorDomain,
        sandbox: key.sandbox,
      }),
    );
  if (!row) throw new Error('upstream account binding vanished after a conflicting insert');
  return row.customerId;
}

/** The accounts bound to `customerId` at one seller agent, oldest first. */
export async function ownedAt(db: Db, agentId: string, customerId: number): Promise<AccountKey[]> {
  return db
    .select({
      agentId: bindings.agentId,
      brandDomain: bindings.brandDomain,
      operatorDomain: bindings.operatorDomain,
      sandbox: bindings.sandbox,
    })
    .from(bindings)
    .where(columnsEqual(bindings, { agentId, customerId }))
    .orderBy(asc(bindings.createdAt))
    .limit(1000);
}

/** An account on a seller's own side (its advertiser), as upstream_seller_accounts keys it. */
export interface SellerAccountKey {
  agentId: string;
  sellerAccount: string;
  sandbox: boolean;
}

/** The customer a seller-side account is bound to, binding it when free (as bindOrFindOwner). */
export async function bindSellerAccountOrFindOwner(
  db: Db,
  key: SellerAccountKey,
  customerId: number,
): Promise<number> {
  const [inserted] = await db
    .insert(sellerAccounts)
    .values({ ...key, customerId })
    .onConflictDoNothing()
    .returning({ customerId: sellerAccounts.customerId });
  if (inserted) return inserted.customerId;
  const [row] = await db
    .select({ customerId: sellerAccounts.customerId })
    .from(sellerAccounts)
    .where(
      columnsEqual(sellerAccounts, {
        agentId: key.agentId,
        sellerAccount: key.sellerAccount,
        sandbox: key.sandbox,
      }),
    );
  if (!row) throw new Error('seller account binding vanished after a conflicting insert');
  return row.customerId;
}
