/**
 * The fields of the buyer API's answers that the buyer pages read, as the OpenAPI document
 * describes them (/api/v2/buyer/openapi.json). The console is a client of that API: it reads
 * these answers, never the tables behind them.
 */
export interface Page<T> {
  items: T[];
  total: number;
  hasMore: boolean;
}

export interface LinkedAccount {
  linkId: string;
  accountId: string;
  name: string | null;
  status: string;
  sources: Array<{
    storefrontId: number;
    storefrontName: string;
    sourceId: string;
    sourceName: string;
  }>;
}

export interface AdvertiserSummary {
  id: string;
  name: string;
  status: 'ACTIVE' | 'ARCHIVED';
  sandbox: boolean;
  brand: string;
  primaryCurrency: string;
  linkedAccountCount: number;
  createdAt: string;
}

export interface Advertiser extends AdvertiserSummary {
  description?: string;
  linkedAccounts: LinkedAccount[];
  eventSources: Array<Record<string, unknown>>;
}

export interface AvailableAccount {
  accountId: string;
  name?: string | null;
  storefrontId: number;
  storefrontName?: string;
  sourceId: string;
  sourceName?: string;
  linked?: boolean;
}

export interface EventSource {
  event_source_id: string;
  name?: string | null;
  event_types?: string[] | null;
  allowed_domains?: string[] | null;
  created_at?: string;
}

export interface StorefrontSummary {
  id: number;
  platformId: string;
  name: string;
  publisherDomain: string | null;
  description: string | null;
  displayStatus: string;
  channels: string[];
  sourceCount: number;
  connectedSourceCount: number;
}

export interface BuyerSource {
  sourceId: string;
  name: string;
  agentId: string;
  requiresCredentials: boolean;
  connected: boolean;
  customerAccounts: Array<{ accountIdentifier: string; status: string }>;
}

export interface BuyerStorefront extends Omit<
  StorefrontSummary,
  'sourceCount' | 'connectedSourceCount'
> {
  connected: boolean;
  requiresCredentials: boolean;
  readiness: { canTransact: boolean; effectiveStatus: string };
  demandContact: { name: string; email: string } | null;
  sources: BuyerSource[];
}

export interface Credential {
  id: string;
  accountIdentifier: string;
  status: 'ACTIVE' | 'INVALID' | 'PENDING';
  statusReason: string | null;
  sources: Array<{ storefrontId: number; sourceId: string; sourceName: string }>;
  oauth?: { authorizationUrl: string; agentId: string; agentName: string };
}

export interface Product {
  productId: string;
  name: string;
  description?: string;
  channel?: string;
  channels: string[];
  formatTypes: string[];
  cpm?: number;
  currency?: string;
  salesAgentId: string;
  salesAgentName: string;
  storefrontId: string | null;
  storefrontName: string;
  deliveryType?: string;
  pricingOptions: Array<Record<string, unknown>>;
  publisherProperties: Array<{ publisherDomain: string }>;
}

export interface AgentResult {
  agentId: string;
  agentName: string;
  responseTimeMs: number;
  timedOut: boolean;
  success: boolean;
  productCount: number;
  error?: string;
}

export interface DiscoveryPage {
  discoveryId: string;
  productGroups: Array<{
    groupId: string;
    groupName: string;
    storefrontName: string;
    products: Product[];
    totalProducts: number;
    hasMoreProducts: boolean;
  }>;
  summary: { totalProducts: number; publishersCount: number };
  agentResults: AgentResult[];
  incompleteAgents: Array<{ agentId: string; agentName: string; responseTimeMs: number }>;
  progress: { respondedStorefrontCount: number; totalStorefrontCount: number; waitSeconds: number };
  resultsComplete: boolean;
}

export interface Selection {
  productId: string;
  salesAgentId: string;
  pricingOptionId: string;
  bidPrice?: number;
  budget?: number;
  groupName: string;
}

export interface Selections {
  discoveryId: string;
  products: Selection[];
  totalProducts: number;
  budgetContext?: { sessionBudget: number; allocatedBudget: number; remainingBudget: number };
  campaignBound: boolean;
}

export interface MediaBuy {
  mediaBuyId: string;
  name: string;
  status: string;
  campaignId: string;
  advertiserId: string;
  salesAgentId: string;
  salesAgentName: string;
  storefrontId: string | null;
  sellerMediaBuyId: string | null;
  adcpStatus: string | null;
  pendingAt?: string;
  pendingReason?: string;
  pendingSince?: string;
  errorCode?: string;
  errorOwner?: string;
  sourceMessage?: string;
  forwardedAt?: string;
  taskId?: string;
  lastSyncedAt?: string;
  startTime: string;
  endTime: string;
  budget: number;
  currency: string;
  packages: Array<{
    packageId: string;
    productId: string;
    productName: string;
    status: string;
    budget: number;
    budgetCurrency: string;
    bidPrice?: number;
  }>;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignSummary {
  campaignId: string;
  advertiserId: string;
  name: string;
  status: string;
  flightDates: { startDate: string; endDate: string };
  productCount: number;
  budget: { total: number; currency: string };
  createdAt: string;
}

export interface Campaign extends CampaignSummary {
  brief?: string;
  budget: { total: number; currency: string; dailyCap?: number; pacing?: string };
  allocatedBudget: number;
  unallocatedBudget: number;
  discoveryId?: string;
  mediaBuys: MediaBuy[];
}

export interface ExecuteAnswer {
  campaignId: string;
  newStatus: string;
  success: boolean;
  mediaBuysExecuted: number;
  reason?: string;
  errors: Array<{ mediaBuyId: string; salesAgentId: string; message: string }>;
}

export interface Creative {
  creative_id: string;
  name: string;
  format_id?: { id: string; agent_url: string };
  preview_url?: string;
  asset_count: number;
  primary_asset_type?: string;
  sync_status: { synced: boolean; agent_count: number };
  platform_links: Array<{ agent_id: string; agent_name: string; status: string; reason?: string }>;
  created_at: string;
}

export interface UploadedAsset {
  asset_id: string;
  asset_type: string;
  content_type: string;
  public_url: string;
  width?: number;
  height?: number;
}

export interface Format {
  salesAgentId: string;
  salesAgentName: string;
  channel: string;
  format: { format_id?: { id: string; agent_url: string }; name?: string } & Record<
    string,
    unknown
  >;
}

export interface Metrics {
  impressions: number;
  spend: number | null;
  clicks: number;
  ctr: number | null;
  ecpm: number | null;
}

export interface TimeseriesRow {
  date: string;
  campaignId: string;
  campaignName: string;
  mediaBuyId: string;
  mediaBuyName: string;
  currency: string;
  metrics: Metrics;
}

export interface Timeseries {
  timeseries: TimeseriesRow[];
  totals: Metrics;
  totalsCurrency: string | null;
  periodStart: string;
  periodEnd: string;
}

export interface Task {
  task: { taskId: string; status: string; createdAt: string; updatedAt: string };
}

export interface CampaignProducts {
  products: Array<{
    productId: string;
    productName: string;
    salesAgentName: string;
    budget?: number;
    bidPrice?: number;
    mediaBuys: Array<{ mediaBuyId: string; status: string; name: string }>;
  }>;
}
