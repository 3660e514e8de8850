/**
 * Modular sources: a source kind Interchange serves itself from avails feeds (CSV, XLSX, JSON
 * lines), a booking ledger with holds, human work queues and the seller's delivery reports.
 */
export { createModularSourcesService } from './service.js';
export type { ModularSourcesService } from './service.js';
export { modularSourceRoutes, registerLedgerDownloads } from './routes/index.js';
export { modularExecutionType } from './context.js';
export type { ModularNotices } from './notices/store.js';
// The MODULAR_SOURCE kind's adapter (src/source-kinds/modular/) reads and books through these.
export type { ModularKindParts } from './kind-parts.js';
export type { ModularRow } from './context.js';
export { BuyRefused } from './buys/refused.js';
export type { BuyAmend } from './buys/changes/amend.js';
export { ledgerValidActions } from './buys/changes/ledger-actions.js';
export type { BuyRow } from './buys/store.js';
export { findById as findBuyById, findByTask as findBuyByTask } from './buys/store.js';
export { ofBuyer as buysOfBuyer } from './buys/store.js';
export { formatOptionsOnSale } from './buys/avails-store.js';
export { formatIdOf, formatsAgentUrlOf } from './buys/products.js';
export { productsOnSale } from './buys/product-set.js';
export { deliveryAnswer } from './delivery/answer.js';
export { isSandboxAvailId, shownAvailId } from './sandbox/fixtures.js';
