/**
 * Creative formats (seed 004 GET /formats): what the storefront agents a buyer may use answer
 * to list_creative_formats, cached per buyer and agent, refreshed by a job. Creatives look their
 * format up here (findFormat) to validate manifests against its asset slots.
 */
export { createFormatsService, sameFormatId } from './service.js';
export type {
  AgentFormat,
  FormatEntryRefresh,
  FormatRefreshScheduler,
  FormatsDeps,
  FormatsService,
} from './service.js';
export { formatRoutes } from './routes.js';
