import type {
  PropertyListRef,
  ResolvedPropertyList,
} from '../../../sources/property-lists/index.js';

/**
 * The property lists AdCP's compliance test kit publishes (compliance/test-kits/acme-outdoor.yaml
 * `inventory_targets`, 3.1.19), which the media-buy storyboards name at
 * `https://governance.pinnacle-agency.example`, a host that does not exist: "The buyer references
 * a pre-populated property list from the test kit so the seller's test engine can resolve it
 * without needing a live governance agent" (media_buy_seller/inventory_list_targeting). A sandbox
 * account's reference to one of them is resolved from here; every other reference (and every
 * reference of a live account) is fetched from its agent.
 */
const kitAgent = 'https://governance.pinnacle-agency.example';
const kitLists: Record<string, readonly string[]> = {
  acme_outdoor_allowlist_v1: [
    'outdoormagazine.example',
    'hikingtrails.example',
    'campinggear.example',
    'mountaineering.example',
  ],
  acme_outdoor_allowlist_v2: ['outdoormagazine.example', 'campinggear.example'],
  acme_outdoor_no_match_v1: ['never-sold-here.example', 'also-not-indexed.example'],
};

/** The test kit's list `ref` names, resolved (named at `field`); undefined when it names another. */
export function testKitList(ref: PropertyListRef, field: string): ResolvedPropertyList | undefined {
  if (ref.agent_url.replace(/\/+$/, '') !== kitAgent) return undefined;
  const domains = Object.hasOwn(kitLists, ref.list_id) ? kitLists[ref.list_id] : undefined;
  return domains && { ref, field, domains: new Set(domains) };
}
