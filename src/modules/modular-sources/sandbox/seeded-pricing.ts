/*
 * The pricing options of a spreadsheet source's sandbox avail (a product a sandbox buyer seeded,
 * fixtures.ts), as seeded: with seed_product's fixture, then one at a time by
 * seed_pricing_option. The ledger books impressions at a rate per thousand, so an option priced
 * so is kept: CPM, and for a fixture vCPM too (a rate per thousand viewable impressions; a
 * sandbox avail never delivers, so the ledger books the impressions its budget buys at that
 * rate, as it books a CPM). The storyboards' viewability fixture is priced by vCPM.
 */

export type SeededOption = Record<string, unknown>;

/** The pricing models a sandbox avail is priced by. */
const perThousand = new Set(['cpm', 'vcpm']);

/** Whether the ledger books a buy at this option (its model a rate per thousand). */
export const bookable = (option: SeededOption) =>
  perThousand.has(String(option['pricing_model'] ?? 'cpm'));

/** The pricing model an option is listed with. */
export const modelOf = (option: SeededOption): 'cpm' | 'vcpm' =>
  option['pricing_model'] === 'vcpm' ? 'vcpm' : 'cpm';

/** The CPM of a product seeded without pricing (the storefront's own book's: seeded.ts). */
const defaultCpm = 10;

/** The price a seeded pricing option books at: its fixed price, else its floor. */
export function cpmOf(option: SeededOption | undefined): number {
  const price = option?.['fixed_price'] ?? option?.['floor_price'] ?? option?.['rate'];
  return typeof price === 'number' && price > 0 ? price : defaultCpm;
}

/** What a sandbox avail keeps of its pricing (fixtures.ts `Seeded`). */
export interface SeededPricing {
  product_id: string;
  /** Every option seeded, in the order seeded (each with its id). */
  pricing_options?: SeededOption[];
  /** The one option fixtures seeded before several were kept. */
  pricing_option?: SeededOption;
}

/** The options seeded, as stored (none: the product was seeded without pricing). */
export const seededOptions = (seeded: SeededPricing): SeededOption[] =>
  seeded.pricing_options ?? (seeded.pricing_option ? [seeded.pricing_option] : []);

/** The fixture's pricing options, each with its id (the first defaults to `<id>_cpm`). */
export function optionsOf(
  seeded: SeededPricing,
): Array<SeededOption & { pricing_option_id: string }> {
  const options = seededOptions(seeded);
  const listed = options.length ? options : [{}];
  return listed.map((option, index) => ({
    ...option,
    pricing_option_id:
      typeof option['pricing_option_id'] === 'string'
        ? option['pricing_option_id']
        : `${seeded.product_id}_cpm${index ? `_${index + 1}` : ''}`,
  }));
}

/**
 * The options of `product` seeded again: the fixture's own, then every option seeded before
 * under another id. A re-seed of a product is a storyboard replaying its fixtures (the
 * idempotency storyboard re-seeds `test-product` after the harness priced it): it never drops
 * the options seeded since, as the storefront's own book keeps them (sandbox.ts seedProduct).
 */
export function reseededOptions(
  fixtureOptions: SeededOption[],
  before: SeededPricing | undefined,
): SeededOption[] {
  if (!before) return fixtureOptions;
  const named = new Set(fixtureOptions.map((o) => o['pricing_option_id']));
  const kept = seededOptions(before).filter(
    (o) => typeof o['pricing_option_id'] === 'string' && !named.has(o['pricing_option_id']),
  );
  return [...fixtureOptions, ...kept].slice(0, 20);
}
