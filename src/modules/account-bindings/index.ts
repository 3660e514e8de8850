/**
 * Account bindings: which buyer customer a `{brand, operator}` account at a seller agent
 * belongs to, so storefronts never let two buyers act in one account
 * (src/source-kinds/agent/accounts.ts).
 */
export { accountDomain, createAccountBindingsService } from './service.js';
export type { AccountBindingsService, AccountKey } from './service.js';
