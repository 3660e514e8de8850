import type { KindDescriptor } from '../kind-descriptor.js';

/** LINKED_STOREFRONT: another storefront's Merchandising Agent, through an approved link. */
export const linkedStorefrontDescriptor = {
  executionType: 'LINKED_STOREFRONT',
  label: 'Linked storefront',
  setup: { route: 'POST /api/v2/storefront/inventory-sources' },
  capabilities: {
    declaredBy: 'probe',
    may: ['media_buy', 'sales-social', 'frequency_capping', 'sandbox'],
  },
  console: {
    section: 'linked-storefront',
    create: {
      panel: 'agent',
      why: 'the AdCP sales agent’s form, with executionType LINKED_STOREFRONT',
    },
  },
} as const satisfies KindDescriptor;
