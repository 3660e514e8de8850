import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { MediaChannel } from '@adcp/sdk/types';
import { rankForAsk, readAsk } from '../../../sources/brief/index.js';
import {
  formatsAgentUrl,
  type AdapterCreative,
  type AdapterPackage,
  type Product,
} from '../contract.js';
import { ProviderError } from '../errors.js';

/**
 * A placement a provider's ad account buys by auction, sold as one AdCP product: its name, the
 * formats it takes (ids on the AdCP reference creative agent), whose property the ads appear on,
 * and the words a brief may name it by. Every adapter describes its placements this way.
 */
export interface Placement {
  id: string;
  name: string;
  description: string;
  /** Whose property the ads appear on (AdCP publisher_properties). */
  publisherDomain: string;
  words: string[];
  formats: string[];
  /** AdCP channels of this placement when they differ from the provider's (Spotify's audio). */
  channels?: MediaChannel[];
}

/**
 * Placements best match for the brief first (all of them, always): the one brief matcher every
 * source kind shares (src/sources/brief), over the placement's name, description, words,
 * channels and formats. Ties keep the adapter's own order.
 */
export function rankedByBrief<P extends Placement>(
  placements: P[],
  brief: string | undefined,
  channels: readonly MediaChannel[] = [],
): P[] {
  const ask = readAsk({ brief });
  return rankForAsk(placements, ask, (p) => ({
    name: p.name,
    description: p.description,
    tags: p.words,
    channels: p.channels ?? channels,
    formatIds: p.formats,
  })).ranked.map((r) => r.item);
}

/** The placements as non-guaranteed CPM auction products in the account's currency, on the adapter's channels. */
export function placementProducts(
  placements: Placement[],
  brief: string | undefined,
  currency: string,
  channels: readonly MediaChannel[],
): Product[] {
  return rankedByBrief(placements, brief, channels).map((p) =>
    buildProduct({
      id: p.id,
      name: p.name,
      description: p.description,
      formats: p.formats,
      agentUrl: formatsAgentUrl,
      delivery_type: 'non_guaranteed',
      publisher_domain: p.publisherDomain,
      channels: [...(p.channels ?? channels)],
      pricing: [buildPricingOption({ id: `${p.id}_cpm`, model: 'cpm', floor: 1, currency })],
    } as Parameters<typeof buildProduct>[0]),
  );
}

/** The placement a package buys (its product id); an unknown one is refused as PRODUCT_NOT_FOUND. */
export function placementOf<P extends Placement>(
  placements: P[],
  productId: string,
  provider: string,
): P {
  const placement = placements.find((p) => p.id === productId);
  if (!placement)
    throw new ProviderError('PRODUCT_NOT_FOUND', `No ${provider} placement ${productId}`);
  return placement;
}

/**
 * Each package with the placement it buys, every creative checked by `requireFits`: everything
 * the provider would refuse is refused before it hears of the buy.
 */
export function plannedPackages<P extends Placement>(
  packages: AdapterPackage[],
  placements: P[],
  provider: string,
  requireFits: (creative: AdapterCreative, placement: P) => void,
): Array<{ pkg: AdapterPackage; placement: P }> {
  return packages.map((pkg) => {
    const placement = placementOf(placements, pkg.productId, provider);
    for (const creative of pkg.creatives) requireFits(creative, placement);
    return { pkg, placement };
  });
}
