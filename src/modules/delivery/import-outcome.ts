type Json = Record<string, unknown>;

/**
 * Why an import failed, which decides whether asking again can help: the seller could not
 * answer now (`seller_unavailable`, `seller_pending`, `seller_refused`: retried) or there is
 * no one to ask for (`unknown_buy`, `inactive_customer`: not). The message is for people only.
 */
export type ImportFailure =
  'unknown_buy' | 'inactive_customer' | 'seller_unavailable' | 'seller_pending' | 'seller_refused';

const retryableFailures: ReadonlySet<ImportFailure> = new Set([
  'seller_unavailable',
  'seller_pending',
  'seller_refused',
]);

/** Whether an import that failed this way is worth running again later. */
export const isRetryableImportFailure = (reason: ImportFailure) => retryableFailures.has(reason);

export type ImportOutcome =
  | { ok: true; mediaBuyId: string; packages: number; answer: Json }
  | { ok: false; mediaBuyId: string; reason: ImportFailure; error: string };
