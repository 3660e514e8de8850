/**
 * Where uploaded creative assets live: local disk by default, S3-compatible storage by
 * configuration. Objects are read back only through signed, expiring URLs (platform/signed-urls.ts).
 */
export type { AssetStore, StoredObject } from './asset-store.js';
export { createAssetStore, type AssetStorageConfig } from './create.js';
