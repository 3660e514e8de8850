import { hashOf, itemOf } from '../../catalogs/index.js';
import type { CatalogProduct, ProductAvailability, ProductCondition } from './contract.js';

/*
 * A buyer's AdCP product items (freeform objects) as the products a provider takes: the
 * catalogs module reads the item (its id, title, price, landing and image URLs, the same way
 * as for the buyer's own catalogs), and this adds what a social platform's catalog requires of a
 * product: a price with its currency, an image, availability and condition. An item that cannot
 * be sent is reported by its id with the reason, never sent, and never fails the whole catalog.
 */

export interface ItemIssue {
  item_id: string;
  status: 'rejected';
  reasons: string[];
}

export interface ReadItems {
  products: CatalogProduct[];
  /** Each product's content hash (by id): a product sent before with the same hash is unchanged. */
  hashes: Map<string, string>;
  issues: ItemIssue[];
  /** Every id the buyer named, usable or not (an unusable item is not removed from the catalog). */
  named: Set<string>;
}

const availabilities: Record<string, ProductAvailability> = {
  in_stock: 'in_stock',
  'in stock': 'in_stock',
  instock: 'in_stock',
  available: 'in_stock',
  out_of_stock: 'out_of_stock',
  'out of stock': 'out_of_stock',
  outofstock: 'out_of_stock',
  preorder: 'preorder',
  pre_order: 'preorder',
  backorder: 'backorder',
  'available for order': 'backorder',
  discontinued: 'discontinued',
};
const conditions = new Set<ProductCondition>(['new', 'refurbished', 'used']);

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function amountOf(v: unknown): number | null | undefined {
  const raw = v && typeof v === 'object' ? (v as Record<string, unknown>).amount : v;
  if (raw === undefined || raw === null) return null;
  return typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? raw : undefined;
}

function httpUrls(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [];
  return list.flatMap((u) => (typeof u === 'string' && /^https?:\/\//i.test(u) ? [u] : []));
}

/** The product, or why it cannot be sent. */
function productOf(raw: unknown, fallbackCurrency: string | null): CatalogProduct | ItemIssue {
  const read = itemOf('product', raw);
  const data = (raw ?? {}) as Record<string, unknown>;
  const id = read.item?.offeringId ?? read.issue?.item_id ?? text(data.item_id) ?? '';
  const refuse = (reason: string): ItemIssue => ({
    item_id: id || '(no id)',
    status: 'rejected',
    reasons: [reason],
  });
  if (read.issue) return refuse(read.issue.issue);
  const item = read.item;
  if (!item.title) return refuse('title is required (title or name)');
  if (!item.landingUrl) return refuse('landing_url is required (an http(s) URL)');
  if (!item.imageUrl) return refuse('image_url is required (an http(s) URL)');
  if (item.price === null) return refuse('price is required');
  const currency = item.currency ?? fallbackCurrency;
  if (!currency) return refuse('currency is required (price.currency or currency)');
  const salePrice = amountOf(data.sale_price);
  if (salePrice === undefined) return refuse('sale_price must be a non-negative number');
  const availabilityRaw = text(data.availability)?.toLowerCase() ?? 'in_stock';
  const availability = availabilities[availabilityRaw];
  if (!availability) return refuse(`availability "${availabilityRaw}" is not one AdCP names`);
  const condition = (text(data.condition)?.toLowerCase() ?? 'new') as ProductCondition;
  if (!conditions.has(condition)) return refuse('condition must be new, refurbished or used');
  return {
    id: item.offeringId,
    title: item.title.slice(0, 200),
    description: (item.description ?? item.title).slice(0, 5000),
    link: item.landingUrl,
    imageLink: item.imageUrl,
    additionalImageLinks: httpUrls(data.additional_image_urls ?? data.additional_image_link).slice(
      0,
      10,
    ),
    price: item.price,
    salePrice,
    currency: currency.toUpperCase(),
    availability,
    condition,
    brand: text(data.brand),
    gtin: text(typeof data.gtin === 'number' ? String(data.gtin) : data.gtin),
    mpn: text(data.mpn),
    itemGroupId: text(data.item_group_id),
    category: text(data.google_product_category ?? data.category),
  };
}

/**
 * The buyer's items as products: the usable ones with their content hashes, and an issue for
 * each item that cannot be sent (the second of two items with one id among them).
 */
export function readItems(items: unknown[], fallbackCurrency: string | null): ReadItems {
  const out: ReadItems = { products: [], hashes: new Map(), issues: [], named: new Set() };
  for (const raw of items) {
    const product = productOf(raw, fallbackCurrency);
    if ('status' in product) {
      out.issues.push(product);
      if (product.item_id !== '(no id)') out.named.add(product.item_id);
      continue;
    }
    if (out.named.has(product.id)) {
      out.issues.push({
        item_id: product.id,
        status: 'rejected',
        reasons: ['the catalog names this item id twice; the first was taken'],
      });
      continue;
    }
    out.named.add(product.id);
    out.products.push(product);
    out.hashes.set(product.id, hashOf(product).slice(0, 16));
  }
  return out;
}
