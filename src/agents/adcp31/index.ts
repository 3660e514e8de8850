/**
 * AdCP 3.1 over @adcp/sdk 6.11.0's 3.0 server (docs/conformance.md): version negotiation and
 * 3.1's runtime rules around every tool (layer.ts), the per-call release (call.ts), the task
 * tools (tasks/), and our zod schemas of the 3.1 parts we serve (schemas/). Transport-level:
 * it knows AdCP and the SDK's server, not who the caller is nor what a storefront sells.
 */
export { withAdcp31, type Adcp31Options } from './layer.js';
export { type AdcpCall, findAdcpCall, servedRelease, speaks31 } from './call.js';
export { isAtLeast, negotiate, supportedReleases, type Release } from './release.js';
export { differencesOf, everyTool, toolTable, type ToolRow } from './tool-table.js';
export { pinnedReleaseOf, authRefusal } from './transport.js';
export { errorAnswer, staleResponse } from './errors.js';
export { taskToolsOver } from './tasks/tools.js';
export { previewToolsOver, type CallerCatalogs } from './preview/tool.js';
export type { PreviewCatalog } from './preview/render.js';
export { taskTools as taskKinds } from './tasks/kinds.js';
export type { CallerTasks, TaskPage, TaskQuery } from './tasks/port.js';
export * as adcp31Schemas from './schemas/index.js';
export { formatOptionsOf } from './formats/projection.js';
export { formatOptionsOfProduct } from './formats/option-ids.js';
export { formatDivergences } from './formats/divergence.js';
export { assetsMisfit, slotsOfOption } from './formats/slots.js';
export { withVendorGoals } from './held/vendor-metric-goals.js';
export { withCanonicalCreatives } from './held/canonical-creatives.js';
export {
  creativeFormatHeld,
  creativeStatusHeld,
  type CreativeStatus31,
  requestedStatuses,
} from './held/creative-status.js';
export { productPartsHeld } from './held/product-parts.js';
export { pixelTrackersHeld, withPixelTrackers } from './pixel-trackers.js';
export { type CacheScope, type FeedState, type FeedStateOf } from './feeds/wholesale.js';
export { feedRevisionReader } from './feeds/feed-revision-store.js';
export {
  actionNotAllowedRecovery,
  attemptedActions,
  type BuyNow,
  coarseActionOf,
  refusedAction,
  resolveAvailableActions,
  statusesAllowing,
  type ActionPart as BuyActionPart,
} from './actions.js';
