import { createHash } from 'node:crypto';
import type { InventorySource, SocialTools } from './port.js';

/*
 * What a storefront agent advertises is what its sources can do, no more (issue 49 item 9): the
 * AdCP tools it offers and the sales specialisms it declares follow its ACTIVE sources'
 * capabilities, so a storefront over a sales-social seller alone offers no get_products it
 * would only answer "refused", and one over a guaranteed seller declares sales-guaranteed only.
 */

export type SalesSpecialism = 'sales-non-guaranteed' | 'sales-guaranteed';

export interface StorefrontOffer {
  /** get_products: a source answers it. */
  products: boolean;
  /** list_creative_formats: a source answers it (the storefront has no formats of its own). */
  formats: boolean;
  /**
   * create_media_buy and the follow-ups of a buy (update_media_buy, get_media_buys,
   * get_media_buy_delivery, provide_performance_feedback): a source books.
   */
  buys: boolean;
  /** The non-social sales specialisms the sources declare (sales-social: social/tools.ts). */
  specialisms: SalesSpecialism[];
}

const salesSpecialisms: readonly SalesSpecialism[] = ['sales-non-guaranteed', 'sales-guaranteed'];

/** What one source can do, from its capabilities; unknown ones (never probed) sell everything. */
function offerOf(source: InventorySource): StorefrontOffer {
  const caps = source.capabilities;
  // A linked storefront, or an agent not probed yet, says nothing: trusted as before (its
  // answers say what it sells), rather than hiding a storefront's whole offer until a probe.
  const unknown = !caps || (caps.tools.length === 0 && caps.products === 'unknown');
  if (unknown)
    return { products: true, formats: true, buys: true, specialisms: [...salesSpecialisms] };
  const has = (tool: string) => caps.tools.includes(tool);
  const books = has('create_media_buy') || caps.createMediaBuy === 'supported';
  const declared = salesSpecialisms.filter((s) => caps.specialisms.includes(s));
  return {
    products: has('get_products') || caps.products === 'supported',
    formats: has('list_creative_formats'),
    buys: books,
    // A source that books but names neither specialism (the kinds Interchange serves itself:
    // spreadsheets, ad servers, adapters) may sell either delivery type; its products say which.
    specialisms: declared.length > 0 ? declared : books ? [...salesSpecialisms] : [],
  };
}

/** What a storefront over `active` sources offers: what any of them does. */
export function storefrontOffer(active: readonly InventorySource[]): StorefrontOffer {
  const offers = active.map(offerOf);
  return {
    products: offers.some((o) => o.products),
    formats: offers.some((o) => o.formats),
    buys: offers.some((o) => o.buys),
    specialisms: salesSpecialisms.filter((s) => offers.some((o) => o.specialisms.includes(s))),
  };
}

/**
 * A digest of everything a storefront agent is built from its sources (which are active and
 * selling, what each declares and which sales-social tools it has): a built agent whose digest
 * no longer matches is rebuilt (hosting/runtime.ts), on every instance, as soon as the change
 * is read (the sources' read cache is cleared across instances by PostgreSQL notifications).
 */
export function sourcesDigest(
  active: readonly InventorySource[],
  sellable: readonly InventorySource[],
): string {
  const selling = new Set(sellable.map((s) => s.source.id));
  const parts = active.map((s) => [
    s.source.id,
    s.source.executionType,
    selling.has(s.source.id),
    s.capabilities,
    [...offeredSocialTools([s])].sort(),
  ]);
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** The sales-social tools any of `sources` offers. */
export function offeredSocialTools(sources: readonly InventorySource[]): Set<keyof SocialTools> {
  const offered = new Set<keyof SocialTools>();
  for (const source of sources) {
    for (const [tool, method] of Object.entries(source.social ?? {})) {
      if (typeof method === 'function') offered.add(tool as keyof SocialTools);
    }
  }
  return offered;
}
