import { buildPricingOption, buildProduct } from '@adcp/sdk/server';
import { mergeSeedProduct } from '@adcp/sdk/testing';
import type { MediaChannel } from '@adcp/sdk/types';
import { mediaChannels } from '../../../modules/storefronts/index.js';
import type { Format, Product } from '../types.js';
import { isRecord } from '../../../platform/is-record.js';

/*
 * What a sandbox buyer seeds through comply_test_controller (seed_product, seed_creative_format),
 * made into complete AdCP products and formats under the sandbox's own agent (sandbox.ts keeps
 * them per sandbox scope).
 */

const sandboxAgentUrl = 'https://sandbox.interchange.invalid/mcp';
/** The pricing option (and its CPM) of a product seeded without any. */
export const defaultPriceOf = (productId: string) => `${productId}_cpm`;
export const defaultCpm = 10;

/** Channels whose simulated delivery reports completed views (simulated-reach.ts). */
const completionChannels = new Set<string>([
  'olv',
  'ctv',
  'linear_tv',
  'cinema',
  'radio',
  'streaming_audio',
  'podcast',
]);

/**
 * A complete AdCP product from a seed fixture, which may name only a few fields: the fixture
 * over a sandbox product (format ids without an agent get the sandbox's, a product without
 * pricing gets a CPM rate card, one without reporting capabilities reports what the sandbox's
 * simulated delivery does: the SDK's default metrics and, on a video or audio channel, completed
 * views and their rate, so a 3.1 `required_metrics` filter reads what it will be sent).
 */
export function seededProduct(id: string, fixture: Record<string, unknown>): Product {
  const channels = adcpChannels(fixture['channels']);
  const built = buildProduct({
    id,
    name: `Sandbox product ${id}`,
    description: 'Seeded for a sandbox account; sold by the storefront, never delivered.',
    formats: ['display_300x250'],
    agentUrl: sandboxAgentUrl,
    delivery_type: fixture['delivery_type'] === 'guaranteed' ? 'guaranteed' : 'non_guaranteed',
    channels,
    publisher_properties: [{ publisher_domain: 'sandbox.example', selection_type: 'all' }],
    pricing: [
      buildPricingOption({
        id: defaultPriceOf(id),
        model: 'cpm',
        currency: 'USD',
        fixed: defaultCpm,
      }),
    ],
  });
  const completions = channels.some((channel) => completionChannels.has(channel));
  const reporting = built.reporting_capabilities;
  const base = completions
    ? {
        ...built,
        reporting_capabilities: {
          ...reporting,
          available_metrics: [
            ...(reporting.available_metrics ?? []),
            'completed_views' as const,
            'completion_rate' as const,
          ],
        },
      }
    : built;
  // A seed_product fixture is a partial product (comply_test_controller's seed shape). The
  // publishers and pricing options it names replace the sandbox's own (the SDK's merge would
  // append them to them): the book prices only the seeded options (priceOf).
  const publishers = publishersOf(fixture['publisher_properties']);
  const seededPricing = Array.isArray(fixture['pricing_options']);
  const merged = mergeSeedProduct(
    {
      ...base,
      ...(publishers && { publisher_properties: publishers }),
      ...(seededPricing && { pricing_options: [] }),
    },
    {
      ...(fixture as Partial<Product>),
      product_id: id,
      channels,
      ...(publishers && { publisher_properties: publishers }),
    },
  );
  // A fixture declaring canonical formats only (format_options, AdCP 3.1) names no format id:
  // none is made up (a 3.0 buyer gets an empty list; a 3.1 buyer none, format-options.ts).
  const canonicalOnly =
    Array.isArray(fixture['format_options']) && !Array.isArray(fixture['format_ids']);
  return {
    ...merged,
    format_ids: (canonicalOnly ? [] : (merged.format_ids ?? [])).map((format) => ({
      ...format,
      agent_url: format.agent_url ?? sandboxAgentUrl,
    })),
  };
}

/**
 * A fixture's publisher selectors as AdCP's schema requires them: one naming a publisher and no
 * selection (`{publisher_domain}` alone, as storyboards seed it) selects all of its properties.
 */
function publishersOf(value: unknown): Product['publisher_properties'] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((raw) => {
    const selector = (raw ?? {}) as Record<string, unknown>;
    if (typeof selector['selection_type'] === 'string') return selector;
    const selection = Array.isArray(selector['property_ids'])
      ? 'by_id'
      : Array.isArray(selector['property_tags'])
        ? 'by_tag'
        : 'all';
    return { ...selector, selection_type: selection };
  }) as Product['publisher_properties'];
}

/**
 * A creative format from a seed_creative_format fixture: its id under the sandbox's agent, or
 * under the agent the fixture's own `format_id` names with the same id (the fixture is the
 * format, comply-test-controller-request.json; a storyboard's placeholder format_id is seeded
 * so), the fixture's name (else the id), description and individual asset slots (`assets[]`
 * with an `asset_id` and `asset_type`, their `requirements` as given) and 3.1's `canonical` and
 * `canonical_parameters` (core/format.json: the canonical's parameters, native_in_feed's
 * title_max_chars, main_image_sizes, cta_values…): sync_creatives checks a 3.1 caller's
 * creatives against both (creatives/format-limits.ts). What else the fixture says (AdCP 2's
 * `type`, …) is not a field of a format and is left out.
 */
export function seededFormat(id: string, fixture: Record<string, unknown>): Format {
  const name = fixture['name'];
  const description = fixture['description'];
  const named = fixture['format_id'];
  const agentUrl =
    isRecord(named) && named['id'] === id && typeof named['agent_url'] === 'string'
      ? named['agent_url']
      : sandboxAgentUrl;
  const slots = (Array.isArray(fixture['assets']) ? fixture['assets'] : []).filter(
    (slot): slot is Record<string, unknown> =>
      isRecord(slot) &&
      typeof slot['asset_id'] === 'string' &&
      typeof slot['asset_type'] === 'string',
  );
  return {
    format_id: { agent_url: agentUrl, id },
    name: typeof name === 'string' && name.length > 0 ? name.slice(0, 200) : id,
    ...(typeof description === 'string' && { description: description.slice(0, 2000) }),
    ...(isRecord(fixture['canonical']) && { canonical: fixture['canonical'] }),
    ...(isRecord(fixture['canonical_parameters']) && {
      canonical_parameters: fixture['canonical_parameters'],
    }),
    ...(slots.length > 0 && {
      assets: slots.map((slot) => ({
        ...slot,
        item_type: 'individual',
        required: slot['required'] === true,
      })) as Format['assets'],
    }),
  };
}

/** Fixture channels as AdCP names them: `video` is online video; unknown names are dropped. */
function adcpChannels(value: unknown): MediaChannel[] {
  const aliases: Record<string, string> = { video: 'olv', audio: 'streaming_audio' };
  const known = new Set<string>(mediaChannels);
  const isKnown = (name: string): name is MediaChannel => known.has(name);
  const names = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return [...new Set(names.map((name) => aliases[name] ?? name).filter(isKnown))];
}
