import { sql } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import { governanceAgents, governedBuys } from './tables.js';

/** A buyer's buy on a storefront. */
export interface BuyKey {
  storefrontId: number;
  buyerCustomerId: number;
  mediaBuyId: string;
}

/** What a governed buy was approved on. */
export interface GovernedBuy {
  accountId: string;
  planId: string;
  governanceContext?: string;
}

/** Whose account: a buyer's account on a storefront (the account id as the agent resolved it). */
export interface GovernedAccount {
  storefrontId: number;
  buyerCustomerId: number;
  accountId: string;
}

/** A registered governance agent, its credential opened (for the outbound call only). */
export interface GovernanceAgent {
  url: string;
  scheme: string;
  credentials: string;
}

/** The seal's context binds a credential to its row: copied onto another, it does not open. */
const sealContext = (key: GovernedAccount) =>
  `governance-agent:${key.storefrontId}:${key.buyerCustomerId}:${key.accountId}`;

const where = (key: GovernedAccount) =>
  columnsEqual(governanceAgents, {
    storefrontId: key.storefrontId,
    buyerCustomerId: key.buyerCustomerId,
    accountId: key.accountId,
  });

export function createGovernanceAgents(deps: {
  db: Db;
  secrets: Pick<SecretBox, 'seal' | 'open'>;
}) {
  const { db, secrets } = deps;
  return {
    /** Registers the account's agent, replacing the one it had (sync_governance's semantics). */
    async replace(key: GovernedAccount, agent: GovernanceAgent): Promise<void> {
      const row = {
        url: agent.url,
        scheme: agent.scheme,
        credentialsSealed: secrets.seal(agent.credentials, sealContext(key)),
      };
      await db
        .insert(governanceAgents)
        .values({ ...key, ...row })
        .onConflictDoUpdate({
          target: [
            governanceAgents.storefrontId,
            governanceAgents.buyerCustomerId,
            governanceAgents.accountId,
          ],
          set: { ...row, updatedAt: sql`now()` },
        });
    },
    /** The account's agent, or undefined when the buyer registered none on it. */
    async find(key: GovernedAccount): Promise<GovernanceAgent | undefined> {
      const [row] = await db.select().from(governanceAgents).where(where(key));
      if (!row) return undefined;
      return {
        url: row.url,
        scheme: row.scheme,
        credentials: secrets.open(row.credentialsSealed, sealContext(key)),
      };
    },
    /** Records what a buy was approved on (a retry of the same buy keeps the first record). */
    async bindBuy(key: BuyKey, buy: GovernedBuy): Promise<void> {
      await db
        .insert(governedBuys)
        .values({
          ...key,
          accountId: buy.accountId,
          planId: buy.planId,
          governanceContext: buy.governanceContext ?? null,
        })
        .onConflictDoNothing();
    },
    /** The caller's governed buy, or undefined (not governed, unknown, or another buyer's). */
    async boundBuy(key: BuyKey): Promise<GovernedBuy | undefined> {
      const [row] = await db
        .select()
        .from(governedBuys)
        .where(
          columnsEqual(governedBuys, {
            storefrontId: key.storefrontId,
            buyerCustomerId: key.buyerCustomerId,
            mediaBuyId: key.mediaBuyId,
          }),
        );
      if (!row) return undefined;
      return {
        accountId: row.accountId,
        planId: row.planId,
        ...(row.governanceContext !== null && { governanceContext: row.governanceContext }),
      };
    },
  };
}

export type GovernanceAgents = ReturnType<typeof createGovernanceAgents>;
