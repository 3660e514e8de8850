/**
 * Creatives (seed 004; transport seed 003): manifests under a buyer's campaigns, built against a
 * storefront agent's format, with uploaded assets kept in the asset store (platform/storage)
 * and read through signed links. Delivery to sellers: delivery.ts, handed to campaigns as the
 * CampaignCreatives port (services.ts) so execution syncs creatives before placing buys.
 */
export { createCreativesService } from './service.js';
export type { CreativesDeps, CreativesService } from './service.js';
export { assetView, createAssetService } from './assets/service.js';
export type { AssetService, AssetsDeps, UploadInput } from './assets/service.js';
export type { AssetRow } from './store.js';
export { createCreativeDelivery } from './delivery/delivery.js';
export type { CreativeDelivery, DeliveryDeps } from './delivery/delivery.js';
export { creativeRoutes } from './routes.js';
export { registerAssetLinks } from './assets/links.js';
export { uploadedAssetSchema } from './schemas.js';
