import type { KindDescriptor } from '../kind-descriptor.js';

/**
 * The ad servers a MANAGED_SALES_AGENT source connects to, the one list of them: by the API's
 * `type`, the short name the console's URLs and the sandbox's source ids use, and the name
 * shown. modules/ad-servers has one adapter folder per type.
 */
export const adServers = {
  google_ad_manager: { slug: 'gam', name: 'Google Ad Manager' },
  freewheel: { slug: 'freewheel', name: 'FreeWheel' },
  springserve: { slug: 'springserve', name: 'SpringServe' },
} as const;
export type AdServerType = keyof typeof adServers;
export type AdServerSlug = (typeof adServers)[AdServerType]['slug'];
/** Every type, in the order the console and the sandbox offer them. */
export const adServerTypes = [
  'google_ad_manager',
  'freewheel',
  'springserve',
] as const satisfies readonly AdServerType[];

/** MANAGED_SALES_AGENT: the publisher's own ad server, with Interchange's sales-agent plumbing. */
export const adServerDescriptor = {
  executionType: 'MANAGED_SALES_AGENT',
  label: 'Ad server',
  servedBy: 'Interchange’s ad-server adapter, in your own ad server (below)',
  setup: { route: 'PUT /api/v2/storefront/inventory-sources/:sourceId/ad-server' },
  capabilities: { declaredBy: 'self-report', may: ['media_buy'] },
  console: {
    section: 'ad-server',
    create: {
      panel: 'ad-server',
      why: 'one form per ad server, and Ad Manager’s service-account key is a JSON file the console reads from a multipart form',
    },
  },
} as const satisfies KindDescriptor;
