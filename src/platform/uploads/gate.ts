import { AppError } from '../errors.js';

/** How an upload's bytes may arrive (docs/security.md, "Uploads"). */
export interface UploadLimits {
  /** The largest file; one byte more is answered 413 at once. */
  maxBytes: number;
  /** The longest wait for the next byte of a request that is still arriving. */
  idleMs: number;
  /** The longest the whole request may take to arrive, however steadily it trickles. */
  bodyMs: number;
  /** Uploads this instance receives and reads at once; one more is answered 503. */
  concurrency: number;
  /** Uploads one customer has in flight on this instance at once; one more is answered 429. */
  concurrencyPerCustomer: number;
}

/** The limits as the configuration states them (seconds). */
export function uploadLimitsOf(config: {
  maxBytes: number;
  idleSeconds: number;
  bodySeconds: number;
  concurrency: number;
  concurrencyPerCustomer: number;
}): UploadLimits {
  return {
    maxBytes: config.maxBytes,
    idleMs: config.idleSeconds * 1000,
    bodyMs: config.bodySeconds * 1000,
    concurrency: config.concurrency,
    concurrencyPerCustomer: config.concurrencyPerCustomer,
  };
}

export interface UploadGate {
  limits: UploadLimits;
  /**
   * A slot for one upload by `owner` (a customer), held until the returned release is called
   * (it may be called more than once). Throws 429 past the owner's cap, 503 past the instance's.
   */
  acquire(owner: string): () => void;
  /** Uploads in flight now (metrics, tests). */
  inFlight(): number;
}

// Uploads end within the body deadline, so a client asked to wait a little finds a slot.
const retryAfterSeconds = 5;

/**
 * The slots that bound uploads in flight on this instance: while its bytes arrive an upload
 * holds only a socket and a spool file, but once spooled it is read inside one transaction, so
 * the instance cap is what bounds the database connections uploads can hold at once.
 */
export function createUploadGate(limits: UploadLimits): UploadGate {
  const byOwner = new Map<string, number>();
  let total = 0;
  return {
    limits,
    inFlight: () => total,
    acquire(owner) {
      const mine = byOwner.get(owner) ?? 0;
      if (mine >= limits.concurrencyPerCustomer) {
        throw new AppError(
          'rate_limited',
          `This account already has ${mine} uploads in progress (INTERCHANGE_UPLOAD_CONCURRENCY_PER_CUSTOMER); retry when one has finished`,
          {
            retryAfter: retryAfterSeconds,
            details: { limit: 'INTERCHANGE_UPLOAD_CONCURRENCY_PER_CUSTOMER' },
          },
        );
      }
      if (total >= limits.concurrency) {
        throw new AppError(
          'unavailable',
          'This server is reading as many uploads as it takes at once (INTERCHANGE_UPLOAD_CONCURRENCY); retry shortly',
          { retryAfter: retryAfterSeconds, details: { limit: 'INTERCHANGE_UPLOAD_CONCURRENCY' } },
        );
      }
      byOwner.set(owner, mine + 1);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (byOwner.get(owner) ?? 1) - 1;
        if (left > 0) byOwner.set(owner, left);
        else byOwner.delete(owner);
      };
    },
  };
}
