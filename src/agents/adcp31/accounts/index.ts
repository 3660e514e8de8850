/**
 * AdCP 3.1 sync_accounts with account-level notification configs (account/sync-accounts-request.json,
 * core/notification-config.json), for 3.1 callers, and list_accounts for every caller; who the
 * caller is and where accounts and configs live is the host's (CallerAccounts, CallerAccountList).
 */
export { billingRefusal } from './billing.js';
export { syncAccounts31 } from './sync-accounts.js';
export { challengeBudget, type ChallengeBudget, perMinuteBudget } from './challenge-budget.js';
export { accountToolsOver } from './tools.js';
export type {
  AccountRecord,
  CallerAccountList,
  CallerAccounts,
  ListedAccount,
  ProvisionedAccount,
} from './port.js';
export type { UrlRefusal } from './configs.js';
export { feedEventTypes, type HeldConfig, type NotificationConfig31 } from './schemas.js';
