/**
 * AdCP 3.1 sync_accounts with account-level notification configs (account/sync-accounts-request.json,
 * core/notification-config.json), for 3.1 callers; who the caller is and where configs live is
 * the host's (CallerAccounts).
 */
export { syncAccounts31 } from './sync-accounts.js';
export type { AccountRecord, CallerAccounts, ProvisionedAccount } from './port.js';
export type { UrlRefusal } from './configs.js';
export { feedEventTypes, type NotificationConfig31 } from './schemas.js';
