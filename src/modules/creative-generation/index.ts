/**
 * Creative generation with the buyer's own provider account: generation-provider keys per
 * advertiser (hosted model credentials; AudioStack built) and audio creatives produced at
 * AudioStack from a script and a voice, worked by a durable job (src/jobs/audio-productions.ts)
 * into the buyer's creative assets (docs/adapters.md, "How AudioStack produces creatives").
 */
export { audioStackApi, type AudioStackApi } from './audiostack-api.js';
export { createCredentialsService, type CredentialsService } from './credentials.js';
export {
  createProductionsService,
  ProductionRetry,
  type ProductionsService,
  type ProductionsDeps,
} from './productions.js';
export { creativeGenerationRoutes } from './routes.js';
