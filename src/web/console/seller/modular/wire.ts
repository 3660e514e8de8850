import { seg } from '../../api.js';
import { modularDescriptor } from '../../../../source-kinds/descriptors.js';
import type { WorkItemBuy } from '../../../../modules/inventory-sources/index.js';

/**
 * What the console reads of the modular-source routes (src/modules/modular-sources/routes):
 * the parts of their answers the pages show, named as the API names them.
 */
export const sourcesApi = '/api/v2/storefront/inventory-sources';
export const modularApi = (sourceId: string) => `${sourcesApi}/${seg(sourceId)}`;

export const sourcePage = (sourceId: string) => `/console/sources/${seg(sourceId)}`;
export const availsPage = (sourceId: string) => `${sourcePage(sourceId)}/avails`;
export const workPage = (sourceId: string) => `${sourcePage(sourceId)}/work`;

export interface LifecycleRow {
  stage: string;
  supported: boolean;
  status: string;
  modes: string[];
  openWorkItemCount: number;
}

export interface ModularModule {
  moduleInstanceId: string;
  kind: string;
  status: string;
  name: string;
  /** What keeps it from working: its ERROR, setup fields not set. */
  issues: string[];
}

export interface Projection {
  inventorySource: { sourceId: string; name: string; status: string; lastError: string | null };
  modules: ModularModule[];
  lifecycleSummary: LifecycleRow[];
  openWorkItemCount: number;
  openWorkItemCountsByKind: Record<string, number>;
  activeAvailCount: number;
  /** As created: the source's notes and each stage's (availsSource, booking, … `.notes`). */
  setup?: { notes?: string | null } & Record<string, unknown>;
}

export interface Diagnostic {
  rowNumber: number;
  field?: string;
  column?: string;
  value?: unknown;
  code: string;
  severity: string;
  message: string;
}

export interface Avail {
  availId: string;
  name: string | null;
  collectionId: string;
  channel: string | null;
  startTime: string;
  endTime: string;
  impressionsCapacity: number;
  cpm: number | null;
  currency: string | null;
  formatOptions: Array<{ format_option_id?: string; format_kind: string }>;
  /** The formats cell as the file wrote it. */
  formatsAsWritten?: string;
}

export interface FeedPreview {
  feedId: string;
  revision: { revisionId: string; contentDigest: string };
  previewBaseline: Record<string, unknown>;
  summary: {
    parsedAvailCount: number;
    rejectedRowCount: number;
    warningCount: number;
    factsShown: number;
    rejectedRowsShown: number;
    /** Columns no row can sell without that the file lacks (refused once, at its header). */
    missingColumns: string[];
  };
  avails: Avail[];
  rejectedRows: Array<{ rowNumber: number; diagnostics: Diagnostic[] }>;
  warnings: Diagnostic[];
  /** Each distinct formats cell and the AdCP format ids it became. */
  formatMapping?: Array<{ written: string; formatIds: string[]; rowCount: number }>;
  /** What committing this preview does to what is on sale. */
  commitImpact?: CommitImpact;
}

export interface CommitImpact {
  deliverySemantics: 'FULL_REPLACEMENT' | 'PATCH_UPSERT';
  newAvailCount: number;
  updatedAvailCount: number;
  offSaleCount: number;
  offSale: Array<{
    availId: string;
    name: string;
    endTime: string;
    heldImpressions: number;
    bookedImpressions: number;
  }>;
}

/** GET …/feed/rules: the columns a file may hold and the headers each is known by, formats. */
export interface FeedRules {
  columns: Array<{ field: string; required: boolean; aliases: string[]; holds?: string }>;
  formats: Array<{ formatId: string; formatKind: string; writtenAs: string[] }>;
  channels: string[];
  maxCpm: number;
}

/** The buy a work item is about, as it is now (the API's ModularWorkItemMediaBuy). */
export type { WorkItemBuy };

export interface WorkItem {
  id: string;
  kind: string;
  stage: string;
  title: string;
  description: string | null;
  status: string;
  priority?: string;
  resourceType: string;
  resourceId: string;
  mediaBuyId: string | null;
  buyerCustomerId: number | null;
  assignedTo: string | null;
  dueAt: string | null;
  blockedReason: string | null;
  createdAt: string;
  requiredResultFields?: string[];
  mediaBuy?: WorkItemBuy | null;
}

/** GET /api/v2/storefront/work-items: every open item of every source, with counts. */
export const storefrontWorkItemsApi = '/api/v2/storefront/work-items';

/** A source in the storefront's queue; a modular source's items are done on its work page. */
export interface QueueSource {
  sourceId: string;
  name: string | null;
  executionType: string | null;
}

/**
 * Where a queued item is done: a modular source's work page; another kind's item (an ad-server
 * order to take down by hand) on its source's page, completed by POST
 * /api/v2/storefront/work-items/{id}/complete.
 */
export const queuePage = (source: QueueSource) =>
  source.executionType === modularDescriptor.executionType
    ? workPage(source.sourceId)
    : sourcePage(source.sourceId);

export interface StorefrontWorkItems {
  items: Array<WorkItem & { source: QueueSource }>;
  total: number;
  countsByKind: Record<string, number>;
  countsBySource: Array<QueueSource & { count: number }>;
}

export interface ModularProduct {
  product_id: string;
  name?: string;
  channels?: string[];
  pricing_options?: Array<{ fixed_price?: number; currency?: string }>;
}
