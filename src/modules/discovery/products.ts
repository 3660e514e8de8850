import { isRecord } from '../../platform/is-record.js';
import type { DiscoveredProduct, DiscoveredProposal } from './tables.js';

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/**
 * A pricing option is fixed when it names its price (AdCP 3 `fixed_price`; older agents
 * `is_fixed`/`rate`); otherwise it is auction-priced and a buy on it needs the buyer's bid.
 */
export function isAuctionOption(option: Json): boolean {
  if (num(option['fixed_price']) !== undefined) return false;
  if (option['is_fixed'] === true || num(option['rate']) !== undefined) return false;
  return true;
}

/** The option's price: fixed, else floor, else the guidance's floor or median. */
function priceOf(option: Json): number | undefined {
  const guidance = isRecord(option['price_guidance']) ? option['price_guidance'] : {};
  return (
    num(option['fixed_price']) ??
    num(option['rate']) ??
    num(option['floor_price']) ??
    num(guidance['floor']) ??
    num(guidance['p50'])
  );
}

/** An AdCP product as discovery keeps it; undefined for an entry without product_id or name. */
export function toDiscoveredProduct(raw: unknown): DiscoveredProduct | undefined {
  if (!isRecord(raw)) return undefined;
  const productId = str(raw['product_id']);
  if (!productId) return undefined;
  const pricingOptions = Array.isArray(raw['pricing_options'])
    ? raw['pricing_options'].filter(isRecord)
    : [];
  const cpmOption = pricingOptions.find(
    (o) => str(o['pricing_model'])?.toLowerCase() === 'cpm' && priceOf(o) !== undefined,
  );
  const formatIds = Array.isArray(raw['format_ids']) ? raw['format_ids'] : [];
  const delivery = raw['delivery_type'];
  const publishers = Array.isArray(raw['publisher_properties'])
    ? raw['publisher_properties'].filter(isRecord).flatMap((p) => strings([p['publisher_domain']]))
    : [];
  const cpm = cpmOption ? priceOf(cpmOption) : undefined;
  const currency = str(cpmOption?.['currency']) ?? str(pricingOptions[0]?.['currency']);
  const description = str(raw['description']);
  const briefRelevance = str(raw['brief_relevance']);
  const expiresAt = str(raw['expires_at']);
  const optimization = Object.fromEntries(
    ['metric_optimization', 'conversion_tracking', 'max_optimization_goals']
      .filter((key) => raw[key] !== undefined)
      .map((key) => [key, raw[key]]),
  );
  return {
    productId,
    name: str(raw['name']) ?? productId,
    ...(description && { description }),
    channels: strings(raw['channels']),
    ...((delivery === 'guaranteed' || delivery === 'non_guaranteed') && { deliveryType: delivery }),
    formatTypes: [...new Set(formatIds.filter(isRecord).flatMap((f) => strings([f['id']])))],
    ...(cpm !== undefined && { cpm }),
    ...(currency && { currency }),
    ...(briefRelevance && { briefRelevance }),
    ...(expiresAt && { expiresAt }),
    publisherDomains: [...new Set(publishers)],
    pricingOptions,
    formatIds,
    ...(Object.keys(optimization).length > 0 && { optimization }),
  };
}

export function toDiscoveredProposal(raw: unknown): DiscoveredProposal | undefined {
  if (!isRecord(raw)) return undefined;
  const proposalId = str(raw['proposal_id']);
  if (!proposalId) return undefined;
  const allocations = (Array.isArray(raw['allocations']) ? raw['allocations'] : [])
    .filter(isRecord)
    .flatMap((a) => {
      const productId = str(a['product_id']);
      const share = num(a['allocation_percentage']);
      if (!productId || share === undefined) return [];
      const pricingOptionId = str(a['pricing_option_id']);
      return [
        { productId, allocationPercentage: share, ...(pricingOptionId && { pricingOptionId }) },
      ];
    });
  const description = str(raw['description']);
  return {
    proposalId,
    name: str(raw['name']) ?? proposalId,
    ...(description && { description }),
    allocations,
  };
}

/** The pricing option a selection books on: the one named, else the product's first. */
export function pricingOptionOf(product: DiscoveredProduct, id?: string): Json | undefined {
  if (id === undefined) return product.pricingOptions[0];
  return product.pricingOptions.find((o) => o['pricing_option_id'] === id);
}

export function pricingModelsOf(product: DiscoveredProduct): string[] {
  return product.pricingOptions.flatMap((o) => strings([o['pricing_model']]));
}
