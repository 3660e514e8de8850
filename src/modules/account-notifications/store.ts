import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { columnsEqual } from '../../platform/db/columns-equal.js';
import type { Db } from '../../platform/db/database.js';
import type { SecretBox } from '../../platform/crypto/secrets.js';
import { accountNotificationConfigs, syncedAccounts, type SnapshotEntry } from './tables.js';

/** A buyer on a storefront: whose accounts these are. */
export interface AccountOwner {
  storefrontId: number;
  buyerCustomerId: number;
}

/** A buyer's account on a storefront. */
export interface AccountKey extends AccountOwner {
  accountId: string;
}

/** What sync_accounts did with an account (account/sync-accounts-response.json `action`). */
export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/** How many of one buyer's accounts on one storefront a listing reads at most. */
export const accountsListed = 5000;

/** What a buyer registered its account with (sync_accounts provisioning mode). */
export interface SyncedAccount {
  accountId: string;
  brand: Record<string, unknown>;
  operator: string;
  sandbox: boolean;
  paymentTerms?: string;
}

/** An account as listed: with when the buyer first registered it (it never moves after). */
export interface ListedSyncedAccount extends SyncedAccount {
  firstSyncedAt: Date;
}

/** One account-level subscriber (core/notification-config.json), its credential opened. */
export interface NotificationConfig {
  subscriberId: string;
  url: string;
  eventTypes: string[];
  authentication?: { scheme: string; credentials: string };
  active: boolean;
  /** Sent active, held inactive: its proof of control is to come, or failed (and why). */
  held?: HeldProof;
}

/** Why an active subscriber is held inactive. */
export interface HeldProof {
  proof: 'pending' | 'refused';
  reason: string;
}

/** A subscriber of a storefront's feed, with whose it is and what it was last told. */
export interface FeedSubscriber extends NotificationConfig, AccountKey {
  snapshot: Record<string, SnapshotEntry> | null;
  feedVersion: string | null;
}

const accountOf = (row: typeof syncedAccounts.$inferSelect): SyncedAccount => ({
  accountId: row.accountId,
  brand: row.brand,
  operator: row.operator,
  sandbox: row.sandbox,
  ...(row.paymentTerms !== null && { paymentTerms: row.paymentTerms }),
});

/** The seal's context binds a credential to its row: copied onto another, it does not open. */
const sealContext = (key: AccountKey, subscriberId: string) =>
  `account-notification:${key.storefrontId}:${key.buyerCustomerId}:${key.accountId}:${subscriberId}`;

const t = accountNotificationConfigs;
const ofAccount = (key: AccountKey) =>
  columnsEqual(t, {
    storefrontId: key.storefrontId,
    buyerCustomerId: key.buyerCustomerId,
    accountId: key.accountId,
  });
const accountRow = (key: AccountKey) =>
  columnsEqual(syncedAccounts, {
    storefrontId: key.storefrontId,
    buyerCustomerId: key.buyerCustomerId,
    accountId: key.accountId,
  });

/**
 * Buyers' accounts and their account-level notification configs on storefronts (AdCP 3.1
 * sync_accounts / list_accounts), keyed by the buyer: another buyer's are never read.
 */
export function createAccountNotifications(deps: {
  db: Db;
  secrets: Pick<SecretBox, 'seal' | 'open'>;
}) {
  const { db, secrets } = deps;

  function configOf(row: typeof t.$inferSelect): NotificationConfig {
    return {
      subscriberId: row.subscriberId,
      url: row.url,
      eventTypes: row.eventTypes,
      active: row.active,
      ...(row.proof !== null && { held: { proof: row.proof, reason: row.proofReason ?? '' } }),
      ...(row.authScheme !== null &&
        row.credentialsSealed !== null && {
          authentication: {
            scheme: row.authScheme,
            credentials: secrets.open(row.credentialsSealed, sealContext(row, row.subscriberId)),
          },
        }),
    };
  }

  return {
    /**
     * Records (or refreshes) an account the buyer provisioned: `created` when new, `unchanged`
     * when it already held the same brand, operator, sandbox flag and terms, else `updated`.
     * Terms not given keep the recorded ones.
     */
    async saveAccount(key: AccountKey, account: SyncedAccount): Promise<SaveOutcome> {
      const existed = await this.findAccount(key);
      const paymentTerms = account.paymentTerms ?? existed?.paymentTerms ?? null;
      const values = {
        brand: account.brand,
        operator: account.operator,
        sandbox: account.sandbox,
        paymentTerms,
        updatedAt: new Date(),
      };
      if (
        existed &&
        JSON.stringify(existed.brand) === JSON.stringify(account.brand) &&
        existed.operator === account.operator &&
        existed.sandbox === account.sandbox &&
        (existed.paymentTerms ?? null) === paymentTerms
      ) {
        return 'unchanged';
      }
      await db
        .insert(syncedAccounts)
        .values({ ...key, ...values })
        .onConflictDoUpdate({
          target: [
            syncedAccounts.storefrontId,
            syncedAccounts.buyerCustomerId,
            syncedAccounts.accountId,
          ],
          set: values,
        });
      return existed === undefined ? 'created' : 'updated';
    },
    /**
     * The buyer's accounts on the storefront, newest first (first synced, then account id), at
     * most `accountsListed`.
     */
    async accountsOf(owner: AccountOwner): Promise<ListedSyncedAccount[]> {
      const rows = await db
        .select()
        .from(syncedAccounts)
        .where(
          columnsEqual(syncedAccounts, {
            storefrontId: owner.storefrontId,
            buyerCustomerId: owner.buyerCustomerId,
          }),
        )
        .orderBy(desc(syncedAccounts.firstSyncedAt), asc(syncedAccounts.accountId))
        .limit(accountsListed);
      return rows.map((row) => ({ ...accountOf(row), firstSyncedAt: row.firstSyncedAt }));
    },
    async findAccount(key: AccountKey): Promise<SyncedAccount | undefined> {
      const [row] = await db.select().from(syncedAccounts).where(accountRow(key));
      return row && accountOf(row);
    },
    /** Whether the buyer holds a sandbox account on the storefront (synced or seeded). */
    async hasSandboxAccount(owner: AccountOwner): Promise<boolean> {
      const [row] = await db
        .select({ accountId: syncedAccounts.accountId })
        .from(syncedAccounts)
        .where(
          columnsEqual(syncedAccounts, {
            storefrontId: owner.storefrontId,
            buyerCustomerId: owner.buyerCustomerId,
            sandbox: true,
          }),
        )
        .limit(1);
      return row !== undefined;
    },
    /** Sets an existing account's payment terms (settings-update mode). */
    async setPaymentTerms(key: AccountKey, paymentTerms: string): Promise<void> {
      await db.update(syncedAccounts).set({ paymentTerms }).where(accountRow(key));
    },
    /**
     * Replaces the account's subscribers with `configs` (declarative replace: absent ones go). A
     * subscriber kept with the same url, events and auth keeps what it was last told of the feed.
     */
    async replaceConfigs(key: AccountKey, configs: NotificationConfig[]): Promise<void> {
      await db.transaction(async (tx) => {
        const before = await tx.select().from(t).where(ofAccount(key));
        await tx.delete(t).where(ofAccount(key));
        if (configs.length === 0) return;
        await tx.insert(t).values(
          configs.map((config, position) => {
            const prior = before.find((row) => row.subscriberId === config.subscriberId);
            const same =
              prior !== undefined &&
              prior.url === config.url &&
              prior.active === config.active &&
              JSON.stringify(prior.eventTypes) === JSON.stringify(config.eventTypes);
            return {
              ...key,
              subscriberId: config.subscriberId,
              position,
              url: config.url,
              eventTypes: config.eventTypes,
              authScheme: config.authentication?.scheme ?? null,
              credentialsSealed: config.authentication
                ? secrets.seal(
                    config.authentication.credentials,
                    sealContext(key, config.subscriberId),
                  )
                : null,
              active: config.active,
              proof: config.held?.proof ?? null,
              proofReason: config.held?.reason ?? null,
              feedSnapshot: same ? prior.feedSnapshot : null,
              feedVersion: same ? prior.feedVersion : null,
            };
          }),
        );
      });
    },
    /**
     * Settles a held subscriber's proof, if it is still the one proved (pending, same URL):
     * proven makes it active; refused keeps it inactive with the reason. Answers whether it did.
     */
    async settleProof(
      key: AccountKey & { subscriberId: string },
      url: string,
      outcome: { proven: true } | { proven: false; reason: string },
    ): Promise<boolean> {
      const rows = await db
        .update(t)
        .set(
          outcome.proven
            ? { active: true, proof: null, proofReason: null, updatedAt: new Date() }
            : { proof: 'refused', proofReason: outcome.reason, updatedAt: new Date() },
        )
        .where(
          and(
            ofAccount(key),
            eq(t.subscriberId, key.subscriberId),
            eq(t.url, url),
            eq(t.proof, 'pending'),
          ),
        )
        .returning({ subscriberId: t.subscriberId });
      return rows.length > 0;
    },
    /** The account's subscribers, in the order the buyer sent them. */
    async configsOf(key: AccountKey): Promise<NotificationConfig[]> {
      const rows = await db.select().from(t).where(ofAccount(key)).orderBy(asc(t.position));
      return rows.map(configOf);
    },
    /** The subscribers of several of the buyer's accounts, each account's in the order sent. */
    async configsOfAccounts(
      owner: AccountOwner,
      accountIds: readonly string[],
    ): Promise<Map<string, NotificationConfig[]>> {
      const byAccount = new Map<string, NotificationConfig[]>();
      if (accountIds.length === 0) return byAccount;
      const rows = await db
        .select()
        .from(t)
        .where(
          and(
            eq(t.storefrontId, owner.storefrontId),
            eq(t.buyerCustomerId, owner.buyerCustomerId),
            inArray(t.accountId, [...accountIds]),
          ),
        )
        .orderBy(asc(t.accountId), asc(t.position));
      for (const row of rows) {
        byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), configOf(row)]);
      }
      return byAccount;
    },
    /** Every active subscriber on the storefront (the feed scan's fan-out; at most 16 per account). */
    async activeSubscribersOf(storefrontId: number): Promise<FeedSubscriber[]> {
      const rows = await db
        .select()
        .from(t)
        .where(columnsEqual(t, { storefrontId, active: true }))
        .orderBy(asc(t.buyerCustomerId), asc(t.accountId), asc(t.position))
        .limit(2000);
      return rows.map((row) => ({
        ...configOf(row),
        storefrontId: row.storefrontId,
        buyerCustomerId: row.buyerCustomerId,
        accountId: row.accountId,
        snapshot: row.feedSnapshot,
        feedVersion: row.feedVersion,
      }));
    },
    /** Storefronts with at least one active subscriber. */
    async storefrontsWithSubscribers(): Promise<number[]> {
      const rows = await db
        .selectDistinct({ storefrontId: t.storefrontId })
        .from(t)
        .where(eq(t.active, true));
      return rows.map((r) => r.storefrontId);
    },
    /** What the subscriber has now been told of the feed. */
    async saveSnapshot(
      key: AccountKey & { subscriberId: string },
      snapshot: Record<string, SnapshotEntry>,
      feedVersion: string,
    ): Promise<void> {
      await db
        .update(t)
        .set({ feedSnapshot: snapshot, feedVersion })
        .where(and(ofAccount(key), eq(t.subscriberId, key.subscriberId)));
    },
  };
}

export type AccountNotifications = ReturnType<typeof createAccountNotifications>;
