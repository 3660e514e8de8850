/**
 * The validators compiled at build time: the request of every tool a storefront agent serves
 * (the SDK checks each request against its schema in every mode) and the get_products answer
 * (product-check.ts checks each product a source answers). A tool left out still validates: the
 * SDK compiles its schema on its first call, as it always has.
 * Kept beside the storefront's tool list by precompiled-validators.test.ts.
 */
export const precompiledToolRequests: readonly string[] = [
  'get_adcp_capabilities',
  'get_products',
  'list_creative_formats',
  'create_media_buy',
  'update_media_buy',
  'get_media_buys',
  'get_media_buy_delivery',
  'sync_creatives',
  'list_creatives',
  'provide_performance_feedback',
  'list_accounts',
  'sync_audiences',
  'sync_catalogs',
  'sync_event_sources',
  'log_event',
  'get_account_financials',
  'preview_creative',
  'sync_accounts',
  'comply_test_controller',
  'tasks_get',
  'get_task_status',
  'list_tasks',
];

/** Validator keys as the SDK's loader names them: `<tool>::<direction>`. */
export const precompiledKeys: readonly string[] = [
  ...precompiledToolRequests.map((tool) => `${tool}::request`),
  'get_products::sync',
];

/** What the build writes beside the validators, and the server checks before using them. */
export interface PrecompiledManifest {
  /** The @adcp/sdk version whose schemas were compiled: another version ignores the files. */
  sdkVersion: string;
  /** The SDK's schema bundle the validators belong to (`3.0`): other bundles compile as before. */
  bundleKey: string;
  /** The keys with a file `<key>.cjs` and `<key>.schema.json`. */
  keys: string[];
  /** Every schema `$id` the build's compiler held: the SDK names a failing sub-schema by these. */
  registeredIds: string[];
}

export const manifestFile = 'manifest.json';

/** A key as a file name: `create_media_buy::request` → `create_media_buy--request`. */
export const fileStem = (key: string) => key.replace('::', '--');
