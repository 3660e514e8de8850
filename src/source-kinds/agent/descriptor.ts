import type { KindDescriptor } from '../kind-descriptor.js';

/** AGENT: an AdCP sales agent the publisher runs, reached over MCP or A2A. */
export const agentDescriptor = {
  executionType: 'AGENT',
  label: 'AdCP sales agent',
  setup: { route: 'POST /api/v2/storefront/inventory-sources' },
  capabilities: {
    declaredBy: 'probe',
    may: ['media_buy', 'signals', 'creative', 'sales-social', 'frequency_capping', 'sandbox'],
  },
  console: {
    section: 'agent',
    create: {
      panel: 'agent',
      why: 'its credential fields follow the authentication type chosen, and the API’s auth.type is made from it; LINKED_STOREFRONT shares the form',
    },
  },
} as const satisfies KindDescriptor;
