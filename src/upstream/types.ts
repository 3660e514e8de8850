import type { JwtGrant } from './credentials/jwt-grant.js';
/** How Interchange reaches an inventory source (an AdCP sales agent). */
export type UpstreamProtocol = 'MCP' | 'A2A';

/** Credentials for an inventory source: a bearer token, or HTTP Basic (credentials.ts). */
export type UpstreamAuth =
  | { type: 'NO_AUTH' }
  | { type: 'API_KEY'; token: string }
  | { type: 'BASIC'; username: string; password: string }
  | { type: 'OAUTH'; accessToken: string }
  /** An already-minted bearer JWT. */
  | { type: 'JWT'; token: string };

export interface UpstreamTarget {
  /** MCP: the Streamable HTTP endpoint. A2A: the agent's base URL (or its agent card URL). */
  endpointUrl: string;
  protocol: UpstreamProtocol;
  auth: UpstreamAuth;
  /**
   * The credential record `auth` comes from (see credentialOwner). Connections are kept for
   * reuse only per owner; a target without one gets a connection of its own for each call.
   */
  owner?: string;
}

/** Credentials as presented upstream, with the record they belong to (see credentialOwner). */
export interface OwnedAuth {
  auth: UpstreamAuth;
  owner: string;
}

export type CapabilityState = 'supported' | 'unsupported' | 'unknown';

export interface ProbeCapabilities {
  /** get_products */
  products: CapabilityState;
  /** create_media_buy */
  createMediaBuy: CapabilityState;
  /** update_media_buy */
  updateMediaBuy: CapabilityState;
  /** get_signals / activate_signal */
  signals: CapabilityState;
  /**
   * get_products with buying_mode 'wholesale' (raw inventory, no brief). AdCP 3.0 has no
   * capability flag for it, so this is 'unsupported' only when get_products itself is.
   */
  wholesaleProducts: CapabilityState;
}

export interface ProbeSuccess {
  ok: true;
  latencyMs: number;
  /** 'synthetic' when the agent has no (working) get_adcp_capabilities: inferred from tools. */
  manifest: 'reported' | 'synthetic';
  /** Advertised tool (MCP) or skill (A2A) names, sorted. */
  tools: string[];
  /** AdCP versions the agent reports: release versions ('3.1') or else major versions ('3'). */
  adcpVersion: string | null;
  agentName: string | null;
  capabilities: ProbeCapabilities;
  /** media_buy.portfolio.primary_channels */
  channels: string[];
  /** media_buy.portfolio.primary_countries (ISO 3166-1 alpha-2) */
  countries: string[];
  publisherDomains: string[];
  pricingModels: string[];
  /** account.supported_billing */
  billing: string[];
  /** Auth schemes the agent advertises (A2A security schemes, OAuth endpoint, RFC 9421). */
  authTypes: string[];
  /** creative.has_creative_library; null when the agent does not say. */
  creativeHasCreativeLibrary: boolean | null;
  specialisms: string[];
  /**
   * identity.brand_json_url: where the agent's operator lists its agents and their signing keys
   * (AdCP's key discovery); null when the agent does not say.
   */
  brandJsonUrl: string | null;
  /**
   * account.sandbox: whether the agent declares sandbox accounts, under which it makes no real
   * platform calls and no spend (compliance runs book only there); false when it does not say.
   */
  accountSandbox: boolean;
  /**
   * media_buy.audience_targeting and media_buy.conversion_tracking as the agent declares them
   * (sales-social: identifier types it matches, event types it takes); absent when it does not.
   */
  audienceTargeting?: Record<string, unknown>;
  conversionTracking?: Record<string, unknown>;
  /** media_buy.frequency_capping (AdCP 3.1): the agent enforces caps; absent when it does not say. */
  frequencyCapping?: Record<string, unknown>;
}

export type ProbeErrorCode =
  'blocked' | 'timeout' | 'unauthorized' | 'unreachable' | 'protocol_error';

export interface ProbeFailure {
  ok: false;
  latencyMs: number;
  /** `message` is safe to show the operator: it never contains credentials or headers. */
  error: { code: ProbeErrorCode; message: string };
}

export type ProbeResult = ProbeSuccess | ProbeFailure;

export interface ProbeOptions {
  /** Upper bound on the whole probe; the client's default (8000 ms) when omitted. */
  timeoutMs?: number;
  /**
   * The agent is known to speak AdCP 3.1 (a linked storefront, an agent whose last probe said
   * so): its capabilities are asked as a 3.1 caller (probe/discovery.ts, askCapabilities).
   */
  speaks31?: boolean;
}

/** AdCP task status of an answer: anything but 'completed' is an async task still under way. */
export type ToolCallStatus = 'completed' | 'submitted' | 'working' | 'input-required';

/** `tool_error`: the agent answered and refused (MCP isError, A2A failed task, AdCP errors). */
export type ToolCallErrorCode = ProbeErrorCode | 'tool_error';

export interface ToolCallSuccess<T> {
  ok: true;
  latencyMs: number;
  /** The AdCP response payload as the agent sent it (not schema-validated). */
  data: T;
  status: ToolCallStatus;
  /** The task to follow up when status is not 'completed' (AdCP task_id, else the A2A task id). */
  taskId?: string;
}

export interface ToolCallFailure {
  ok: false;
  latencyMs: number;
  /**
   * `message` is safe to show: credentials are redacted from it and from `details`, which for
   * a tool_error carries the agent's own error (`adcp_error`, `{errors}`, or its failure data).
   */
  error: { code: ToolCallErrorCode; message: string; details?: unknown };
}

export type ToolCallResult<T> = ToolCallSuccess<T> | ToolCallFailure;

export interface ToolCallOptions {
  /** Upper bound on the whole call; the client's default (8000 ms) when omitted. */
  timeoutMs?: number;
  /** Cancels the call; it then answers at once with a 'timeout' failure. */
  signal?: AbortSignal;
}

export interface UpstreamClient {
  /** Discovers what an inventory source offers. Never throws; returns within timeoutMs + ~250 ms. */
  probe(target: UpstreamTarget, options?: ProbeOptions): Promise<ProbeResult>;
  /**
   * Calls one AdCP tool (MCP tool or A2A skill) with `args` as its request. Never throws;
   * returns within timeoutMs + ~250 ms. An MCP connection is reused only for the same owner,
   * endpoint and credentials (see UpstreamTarget.owner).
   */
  callTool<T = unknown>(
    target: UpstreamTarget,
    tool: string,
    args: Record<string, unknown>,
    options?: ToolCallOptions,
  ): Promise<ToolCallResult<T>>;
  /**
   * An access token for the JWT credential stored in the record `owner` names, cached for that
   * owner and that exact grant until near expiry; throws JwtGrantError.
   */
  accessTokenFor(grant: JwtGrant, options: ProbeOptions & { owner: string }): Promise<string>;
  close(): Promise<void>;
}

export interface UpstreamClientOptions {
  /** Allow inventory sources on loopback/private addresses (development and tests only). */
  allowPrivateNetwork: boolean;
  defaultTimeoutMs?: number;
  /** `host:port` of this deployment itself, exempt from the private-network guard. */
  trustedHosts?: ReadonlySet<string>;
}
