import type { KindDescriptor } from '../kind-descriptor.js';

/** PROVIDER_ADAPTER: a wired provider's ad account (Meta, …), connected by delegated OAuth. */
export const providerDescriptor = {
  executionType: 'PROVIDER_ADAPTER',
  label: 'Provider ad account',
  servedBy: 'Interchange’s adapter, in the connected provider account (below)',
  setup: { route: 'POST /api/v2/storefront/inventory-sources/adapter' },
  capabilities: { declaredBy: 'self-report', may: ['media_buy', 'sales-social'] },
  console: {
    section: 'provider',
    create: {
      title: 'A provider ad account (Meta, Google Ads, TikTok, …)',
      note: 'The storefront sells into your own ad account at the provider. After adding the source, connect the account: you consent at the provider and come back here to choose the ad account.',
      id: 'add-adapter',
      action: 'new-adapter',
      // The provider's choices are the console's: the sales providers this instance has built.
      fields: [
        { name: 'provider', label: 'Provider', kind: 'select' },
        { name: 'name', label: 'Name' },
        {
          name: 'sourceId',
          label: 'Source id (optional)',
          hint: 'Lowercase letters, digits, - and _; made from the name when left empty.',
        },
      ],
      submit: 'Add the provider source',
      notice: 'adapter-source-added',
      createdName: 'name',
    },
  },
} as const satisfies KindDescriptor;
