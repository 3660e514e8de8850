import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import type { MediaChannel } from '@adcp/sdk/types';
import { formatsAgentUrl, type Product } from './contract.js';

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

/** Placements in order of how many of the brief's words name them (all of them, always). */
export function rankedByBrief<P extends Placement>(
  placements: P[],
  brief: string | undefined,
): P[] {
  const words = new Set((brief ?? '').toLowerCase().match(/[a-z]+/g) ?? []);
  const score = (p: P) => p.words.filter((w) => words.has(w)).length;
  return [...placements].sort((a, b) => score(b) - score(a));
}

/** The placements as non-guaranteed CPM auction products in the account's currency, on the adapter's channels. */
export function placementProducts(
  placements: Placement[],
  brief: string | undefined,
  currency: string,
  channels: readonly MediaChannel[],
): Product[] {
  return rankedByBrief(placements, brief).map((p) =>
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
