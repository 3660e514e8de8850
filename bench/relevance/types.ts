import type { GetProductsResponse } from '@adcp/sdk/types';
import type { AvailRow } from '../../src/modules/modular-sources/buys/avails-store.js';

/** An AdCP product as a source answers it to the storefront. */
export type Product = GetProductsResponse['products'][number];

/** The four source kinds a storefront aggregates. */
export const kinds = ['spreadsheet', 'ad_server', 'adapter', 'agent'] as const;
export type Kind = (typeof kinds)[number];

/**
 * What a product really is, as its seller would describe it to a planner: the judge reads this,
 * never the product's text, so the grades do not depend on how either matcher reads words.
 */
export interface Truth {
  /** Its AdCP channels. */
  channels: readonly string[];
  /** Where it can run ('any': a self-serve platform targetable in every market). */
  countries: readonly string[] | 'any';
  /** Sizes (`size:300x250`) and format families (display, video, audio, native) it takes. */
  formats: readonly string[];
  /** What its content or audience is about ('general': run of site / network / schedule). */
  topics: readonly string[];
  /** When it can run (ISO dates, inclusive). */
  start: string;
  end: string;
  /** The least a package must spend, in its currency; null when none. */
  minSpend: number | null;
  /** The least CPM a buyer pays, in its currency (fixed price, else floor); set by catalogue.ts. */
  cpm?: number | null;
}

/** One product of the mixed catalogue, with its truth and today's word-count score of a brief. */
export interface Entry {
  kind: Kind;
  /** The source that sells it (publisher, network, provider or seller). */
  source: string;
  product: Product;
  truth: Truth;
  /** The word count its kind ranked a brief by before the one matcher (see wordcount.ts). */
  wordCount: (brief: string) => number;
  /** A spreadsheet row's avail, as its sheet says it (bench/relevance-mcp.ts uploads it). */
  avail?: AvailRow;
}
