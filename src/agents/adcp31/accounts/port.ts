import type { z } from 'zod';
import type { AccountRef } from '../schemas/tasks.js';
import type { UrlRefusal } from './configs.js';
import type { accountStatus, HeldConfig, NotificationConfig31 } from './schemas.js';

/** One of the caller's accounts as sync_accounts answers it. */
export interface AccountRecord {
  account_id: string;
  brand: Record<string, unknown>;
  operator: string;
  sandbox: boolean;
  payment_terms?: string;
  /** Its subscribers, credentials included (never echoed: configs.ts echoOf). */
  notification_configs: HeldConfig[];
}

/** What provisioning mode records. */
export interface ProvisionedAccount {
  brand: { domain: string } & Record<string, unknown>;
  operator: string;
  sandbox: boolean;
  payment_terms?: string;
}

/**
 * The calling buyer's side of AdCP 3.1 sync_accounts on one storefront: its
 * accounts and their notification configs (the host resolves who calls), and the checks a
 * webhook URL meets before it is kept.
 */
export interface CallerAccounts {
  /** The id a provisioned account gets (stable for the same brand, operator and sandbox). */
  idOf(account: ProvisionedAccount): string;
  /** Records a provisioned account; answers whether it is new. */
  provision(account: ProvisionedAccount): Promise<boolean>;
  find(ref: AccountRef): Promise<AccountRecord | undefined>;
  setPaymentTerms(accountId: string, terms: string): Promise<void>;
  /** Replaces the account's subscribers (declarative replace; [] clears them). */
  replaceConfigs(accountId: string, configs: HeldConfig[]): Promise<void>;
  /**
   * Why delivery would refuse this URL (syntax, scheme, reserved address), or undefined; or
   * 'unresolved' when its host name does not resolve now (never trusted: held pending).
   */
  checkUrl(url: string): Promise<UrlRefusal | 'unresolved' | undefined>;
  /** The proof-of-control challenge an active subscriber passes before it is kept active. */
  prove(
    accountId: string,
    config: NotificationConfig31,
    timeoutMs: number,
  ): Promise<UrlRefusal | undefined>;
  /** Takes one challenge from the calling buyer's budget per minute; false when it is spent. */
  admitChallenge(): boolean;
  /** Queues the proof of the account's held pending subscribers (a durable job). */
  provePending(accountId: string): Promise<void>;
  /** The event types this storefront emits; a subscriber's others are kept but never fired. */
  emits: ReadonlySet<string>;
  /** Its `account.supported_billing`: another `billing` is BILLING_NOT_SUPPORTED (billing.ts). */
  supportedBilling: readonly string[];
}

/** One of the caller's accounts as list_accounts answers it (core/account.json). */
export interface ListedAccount {
  account_id: string;
  name: string;
  status: z.infer<typeof accountStatus>;
  brand: Record<string, unknown>;
  operator?: string;
  sandbox: boolean;
  payment_terms?: string;
  /** When the buyer first registered it here (ms); none for an account only a source lists. */
  first_synced_ms?: number;
}

/** The calling buyer's accounts on one storefront, for list_accounts (the host resolves who calls). */
export interface CallerAccountList {
  /** Every account of the caller here, unsorted, each id once (the storefront's own record first). */
  all(): Promise<ListedAccount[]>;
  /** The id a natural key names (as sync_accounts gave it). */
  idOf(ref: { brand: { domain: string }; operator: string; sandbox?: boolean }): string;
  /** The subscribers of these accounts, each one's in the order sent (credentials included). */
  configsOf(accountIds: readonly string[]): Promise<Map<string, HeldConfig[]>>;
}
