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

/** Whether a source says nothing of itself (a linked storefront, an agent not probed yet). */
const saysNothing = (source: InventorySource) => {
  const caps = source.capabilities;
  return !caps || (caps.tools.length === 0 && caps.products === 'unknown');
};

/**
 * What one source can do, from its capabilities; unknown ones (never probed) sell everything.
 * `sold`: the specialisms its products' delivery types make it (soldSpecialisms), for a source
 * that declares neither.
 */
function offerOf(
  source: InventorySource,
  sold: readonly SalesSpecialism[] | undefined,
): StorefrontOffer {
  const caps = source.capabilities;
  // The storefront's own sandbox book sells the fixtures a sandbox account seeds, never
  // delivered: what the storefront declares it sells is its real sources'.
  const own = source.source.executionType === 'SANDBOX' ? [] : undefined;
  // A linked storefront, or an agent not probed yet, says nothing: trusted as before (its
  // answers say what it sells), rather than hiding a storefront's whole offer until a probe.
  if (!caps || saysNothing(source)) {
    return {
      products: true,
      formats: true,
      buys: true,
      specialisms: own ?? (sold?.length ? [...sold] : [...salesSpecialisms]),
    };
  }
  const has = (tool: string) => caps.tools.includes(tool);
  const books = has('create_media_buy') || caps.createMediaBuy === 'supported';
  const declared = salesSpecialisms.filter((s) => caps.specialisms.includes(s));
  // A source that books but names neither specialism (the kinds Interchange serves itself:
  // spreadsheets, ad servers, adapters) sells what its products' delivery types say; both
  // when it could not say (no product, no answer).
  const undeclared = books ? (sold?.length ? [...sold] : [...salesSpecialisms]) : [];
  return {
    products: has('get_products') || caps.products === 'supported',
    formats: has('list_creative_formats'),
    buys: books,
    specialisms: own ?? (declared.length > 0 ? declared : undeclared),
  };
}

/**
 * What a storefront over `active` sources offers: what any of them does. `sold`: by source row
 * id, the specialisms a source that declares neither sells (soldSpecialisms).
 */
export function storefrontOffer(
  active: readonly InventorySource[],
  sold: ReadonlyMap<number, readonly SalesSpecialism[]> = new Map(),
): StorefrontOffer {
  const offers = active.map((source) => offerOf(source, sold.get(source.source.id)));
  return {
    products: offers.some((o) => o.products),
    formats: offers.some((o) => o.formats),
    buys: offers.some((o) => o.buys),
    specialisms: salesSpecialisms.filter((s) => offers.some((o) => o.specialisms.includes(s))),
  };
}

const specialismOf: Record<string, SalesSpecialism> = {
  guaranteed: 'sales-guaranteed',
  non_guaranteed: 'sales-non-guaranteed',
};

/**
 * What the sources that declare neither sales specialism sell, asked of them (issue 70, item 4):
 * their products' `delivery_type`s (AdCP product.json), a spreadsheet's guaranteed avails making
 * it sales-guaranteed. Asked as no buyer, within `budgetMs`, a recent answer reused; a source
 * that fails or sells nothing is left out (offerOf then takes it as selling either).
 * `settled`: every source asked answered; an agent built on an unsettled answer is rebuilt
 * soon (hosting/runtime.ts), so one slow answer does not fix what the storefront declares.
 */
export async function soldSpecialisms(
  active: readonly InventorySource[],
  budgetMs = 5_000,
): Promise<{ sold: Map<number, SalesSpecialism[]>; settled: boolean }> {
  const asked = active.filter(
    (source) =>
      source.source.executionType !== 'SANDBOX' &&
      !salesSpecialisms.some((s) => source.capabilities?.specialisms.includes(s)),
  );
  let settled = true;
  const answers = await Promise.all(
    asked.map(async (source): Promise<[number, SalesSpecialism[]]> => {
      const answer = await source
        // cast: a wholesale ask needs no brief; the SDK's 3.0 request type wants one field more.
        .getProducts(
          { buying_mode: 'wholesale' } as Parameters<InventorySource['getProducts']>[0],
          {
            customerId: null,
            budgetMs,
            reuse: true,
          },
        )
        .catch(() => undefined);
      if (!answer?.ok) settled = false;
      const products =
        answer?.ok && Array.isArray(answer.data.products) ? answer.data.products : [];
      const types = new Set(products.map((p) => specialismOf[String(p.delivery_type)]));
      return [source.source.id, salesSpecialisms.filter((s) => types.has(s))];
    }),
  );
  return { sold: new Map(answers.filter(([, sold]) => sold.length > 0)), settled };
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
