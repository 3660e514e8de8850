import type { SourceRow } from '../../../modules/inventory-sources/index.js';
import type { OwnedAuth } from '../../../upstream/index.js';
import type { PreparedCandidate } from '../../../sources/brief/index.js';
import type { HeldAnswer, HeldVersions } from './local-answer.js';

/** Whose mirror it is: the buyer, the source, the credential it is called with. */
export interface FeedMirrorKey {
  customerId: number;
  source: SourceRow;
  credential: OwnedAuth;
}

/** One source's wholesale product set as the mirror keeps it for one key. */
export interface MirrorEntry {
  /** The source's `wholesale_feed_version` for this set. */
  version: string;
  /** Its `cache_scope` (the key names the buyer and account either way). */
  scope: string;
  /**
   * Each product parsed once and frozen (no call can change what another is served), as each
   * release reads it, read once.
   */
  items: PreparedCandidate<HeldVersions>[];
  /** Errors the source reported beside the set (its own sources that failed), frozen. */
  errors: readonly unknown[];
  /** This set's answers by ask (local-answer.ts heldAnswer): gone with the set. */
  answers: Map<string, HeldAnswer>;
  /** JSON held, UTF-16 code units (about bytes). */
  bytes: number;
  /** When the request that brought the set was sent (an older answer never replaces it). */
  askedAt: number;
  /** When the source last said this version is current (brought it, or answered `unchanged`). */
  confirmedAt: number;
  /** The subscription's signal count when the set was last confirmed (signals.ts); none: unwatched. */
  signalSeq?: number;
}

export interface MirrorBounds {
  /** Products one set may hold; a larger feed is not mirrored. */
  maxProductsPerSource: number;
  /** JSON one set may hold. */
  maxBytesPerSource: number;
  /** JSON all sets together may hold; the least recently used go first. */
  maxBytes: number;
  maxEntries: number;
}

export const defaultMirrorBounds: MirrorBounds = {
  maxProductsPerSource: 5_000,
  maxBytesPerSource: 8 * 1024 * 1024,
  maxBytes: 64 * 1024 * 1024,
  maxEntries: 2_000,
};

/**
 * The mirror's sets by key digest, in least-recently-used order (a use moves an entry last),
 * bounded in entries and bytes. Per instance: every answer from it follows a probe of the
 * source on that same call (mirror.ts), so an instance never needs another's sets.
 */
export function createMirrorStore(bounds: MirrorBounds) {
  const entries = new Map<string, MirrorEntry>();
  let bytes = 0;

  function drop(digest: string) {
    const entry = entries.get(digest);
    if (!entry) return;
    entries.delete(digest);
    bytes -= entry.bytes;
  }

  return {
    /** The set of `digest`, marked used. */
    use(digest: string): MirrorEntry | undefined {
      const entry = entries.get(digest);
      if (entry) {
        entries.delete(digest);
        entries.set(digest, entry);
      }
      return entry;
    },
    /** Whether a set this size may be kept at all. */
    fits(products: number, size: number): boolean {
      return (
        products <= bounds.maxProductsPerSource &&
        size <= bounds.maxBytesPerSource &&
        size <= bounds.maxBytes
      );
    },
    /** Keeps `entry` unless the one held was asked later; evicts the least recently used. */
    keep(digest: string, entry: MirrorEntry): void {
      const held = entries.get(digest);
      if (held && held.askedAt > entry.askedAt) return;
      drop(digest);
      for (const oldest of entries.keys()) {
        if (entries.size < bounds.maxEntries && bytes + entry.bytes <= bounds.maxBytes) break;
        drop(oldest);
      }
      entries.set(digest, entry);
      bytes += entry.bytes;
    },
    drop,
    size: () => ({ entries: entries.size, bytes }),
  };
}

export type MirrorStore = ReturnType<typeof createMirrorStore>;
