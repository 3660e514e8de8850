/**
 * An AdCP product item as a buyer sends it in sync_catalogs (freeform for type product): every
 * field a social platform's catalog requires, with `overrides` (an undefined value drops the
 * field). The catalogs tests of each provider share it.
 */
export function product(id: string, overrides: Record<string, unknown> = {}) {
  const item: Record<string, unknown> = {
    item_id: id,
    title: `Product ${id}`,
    description: `The ${id}, built to last.`,
    price: { amount: 49.99, currency: 'USD' },
    landing_url: `https://acmeoutdoor.example/p/${id}`,
    image_url: `https://cdn.acmeoutdoor.example/${id}.jpg`,
    brand: 'Acme',
    availability: 'in_stock',
    ...overrides,
  };
  for (const [k, v] of Object.entries(item)) if (v === undefined) delete item[k];
  return item;
}
