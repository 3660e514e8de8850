import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../platform/is-record.js';
import type { AdcpCall } from './call.js';
import { idempotencyInFlight } from './errors.js';
import { isAtLeast, supportedReleases } from './release.js';
import { mediaBuyStatus, taskStatus, type TaskStatus } from './schemas/envelope.js';

type Content = Record<string, unknown>;

/** Tools whose 3.0 answer puts the buy's own status at the top, where 3.1 keeps the task's. */
const buyStatusTools = new Set(['create_media_buy', 'update_media_buy']);

/**
 * get_adcp_capabilities for a pinned caller (any release, 3.0 included): `adcp.supported_versions`
 * beside the `major_versions` 3.x keeps. An unpinned caller gets 3.0's answer untouched (layer.ts);
 * VERSION_UNSUPPORTED names the releases in its details, so a refused buyer still learns them. The
 * SDK's `adcp` object is shared across calls: copied, never changed.
 */
export function advertiseReleases(
  result: CallToolResult,
  features31?: Record<string, boolean>,
): CallToolResult {
  const content = result.structuredContent;
  if (result.isError === true || !content || !isRecord(content['adcp'])) return result;
  const mediaBuy = content['media_buy'];
  return {
    ...result,
    structuredContent: {
      ...content,
      adcp: { ...content['adcp'], supported_versions: [...supportedReleases] },
      ...(features31 &&
        isRecord(mediaBuy) && {
          media_buy: {
            ...mediaBuy,
            features: {
              ...(isRecord(mediaBuy['features']) && mediaBuy['features']),
              ...features31,
            },
          },
        }),
    },
  };
}

export interface ShapeOptions {
  /** adcp.idempotency.in_flight_max_seconds: how long a claim on a key holds at most. */
  inFlightMaxSeconds: number;
  /**
   * media_buy.features declared to 3.1 callers only (3.0 callers keep today's capabilities), e.g.
   * property_list_filtering: what this agent honours only for a 3.1 caller.
   */
  features31?: Record<string, boolean>;
  /**
   * media_buy capability fields 3.1 adds, declared to 3.1 callers only, each only where this agent
   * does what it says (get-adcp-capabilities-response.json): `buying_modes` (get_products'
   * wholesale and refine modes), `propagation_surfaces` (impairments on get_media_buys).
   */
  mediaBuy31?: Record<string, unknown>;
  /**
   * The agent books and consults buyers' governance agents before a buy moves money
   * (governance/): 3.1 capabilities then declare `governance-aware-seller` and
   * `media_buy.governance_aware`. Not told to 3.0 callers: their answer stays today's.
   */
  governanceAware?: boolean;
}

/** 3.1's media_buy capability fields (ShapeOptions.mediaBuy31) on a capabilities answer. */
export function advertiseMediaBuy31(
  result: CallToolResult,
  declared: Record<string, unknown> | undefined,
): CallToolResult {
  const content = result.structuredContent;
  if (!declared || result.isError === true || !content || !isRecord(content['media_buy'])) {
    return result;
  }
  return {
    ...result,
    structuredContent: { ...content, media_buy: { ...content['media_buy'], ...declared } },
  };
}

/**
 * A pinned call's answer in the release it is served: the served release echoed as
 * `adcp_version` (core/version-envelope.json, on success and error alike) and, for 3.1, the
 * envelope 3.1 requires: `status` on every answer (core/protocol-envelope.json), a buy's own
 * status as `media_buy_status`, a failure's error also in `errors[]`, IDEMPOTENCY_IN_FLIGHT for a
 * key another request still holds, and the capabilities 3.1 adds. A new object: the SDK's may be
 * shared (capabilities) or cached (idempotent replays).
 */
export function shapeAnswer(
  call: AdcpCall,
  result: CallToolResult,
  options: ShapeOptions,
): CallToolResult {
  const original = result.structuredContent;
  if (!isRecord(original)) return result;
  let content: Content = { ...original };
  if (isAtLeast(call.release, '3.1')) {
    if (result.isError === true) content = failed(call, content);
    else content = succeeded(call, content, options);
  }
  content['adcp_version'] = call.release;
  return { ...result, content: withText(result.content, content), structuredContent: content };
}

function failed(call: AdcpCall, content: Content): Content {
  let error = content['adcp_error'];
  // @adcp/sdk answers a key held by a running request as SERVICE_UNAVAILABLE; the store told the
  // call what it found (hosting/reclaiming-idempotency.ts), so 3.1's own code is given.
  if (
    call.idempotency === 'in-flight' &&
    isRecord(error) &&
    error['code'] === 'SERVICE_UNAVAILABLE'
  ) {
    error = idempotencyInFlight(Number(error['retry_after'] ?? 1));
  }
  const errors = Array.isArray(content['errors'])
    ? content['errors'].map(asInvalidRequest)
    : undefined;
  error = asInvalidRequest(error);
  return {
    ...content,
    status: 'failed',
    ...(isRecord(error) && { adcp_error: error }),
    ...(isRecord(error) && { errors: errors ?? [error] }),
  };
}

/**
 * @adcp/sdk answers a request its schemas refuse with VALIDATION_ERROR (details: the tool, side
 * `request` and the schema issues). 3.1's enums/error-code.json keeps VALIDATION_ERROR for
 * business rules beyond the schema and gives a schema violation INVALID_REQUEST (storyboard
 * refine_finalize_exclusivity/non_proposal_finalize_rejected); a 3.0 caller keeps the SDK's code.
 */
function asInvalidRequest(error: unknown): unknown {
  if (!isRecord(error) || error['code'] !== 'VALIDATION_ERROR') return error;
  const details = error['details'];
  if (!isRecord(details) || details['side'] !== 'request' || !Array.isArray(details['issues'])) {
    return error;
  }
  return { ...error, code: 'INVALID_REQUEST' };
}

function succeeded(call: AdcpCall, content: Content, options: ShapeOptions): Content {
  const status = content['status'];
  let next: Content = { ...content, status: taskStatusOf(call.tool, status) };
  if (buyStatusTools.has(call.tool) && status !== 'submitted') {
    const parsed = mediaBuyStatus.safeParse(status);
    if (parsed.success) next['media_buy_status'] = parsed.data;
  }
  if (call.tool === 'get_adcp_capabilities') {
    next = withInFlightBound(next, options);
    if (options.governanceAware === true) next = declaringGovernance(next);
  }
  return next;
}

/**
 * The envelope's TaskStatus: the answer's own when it is one (a submitted buy, a polled task's
 * state), `completed` otherwise. A buy tool's `status` is the buy's (`canceled` there is the
 * buy's, not the task's), so only its `submitted` arm keeps it.
 */
function taskStatusOf(tool: string, status: unknown): TaskStatus {
  if (buyStatusTools.has(tool)) return status === 'submitted' ? 'submitted' : 'completed';
  const parsed = taskStatus.safeParse(status);
  return parsed.success ? parsed.data : 'completed';
}

function withInFlightBound(content: Content, options: ShapeOptions): Content {
  const adcp = content['adcp'];
  if (!isRecord(adcp) || !isRecord(adcp['idempotency'])) return content;
  const idempotency = adcp['idempotency'];
  if (idempotency['supported'] !== true) return content;
  const ttl = Number(idempotency['replay_ttl_seconds']);
  const bound = Math.min(options.inFlightMaxSeconds, Number.isFinite(ttl) ? ttl : Infinity);
  return {
    ...content,
    adcp: { ...adcp, idempotency: { ...idempotency, in_flight_max_seconds: bound } },
  };
}

/** The governance-aware-seller specialism and its capability flag (media_buy.governance_aware). */
function declaringGovernance(content: Content): Content {
  const specialisms = Array.isArray(content['specialisms']) ? content['specialisms'] : [];
  const mediaBuy = isRecord(content['media_buy']) ? content['media_buy'] : {};
  return {
    ...content,
    specialisms: specialisms.includes('governance-aware-seller')
      ? specialisms
      : [...specialisms, 'governance-aware-seller'],
    media_buy: { ...mediaBuy, governance_aware: true },
  };
}

/**
 * The text fallback of MCP's answer: where it is the JSON of the structured content (error
 * envelopes), it says the same as the shaped content; a prose summary is left as it is.
 */
function withText(content: CallToolResult['content'], shaped: Content): CallToolResult['content'] {
  const first = content[0];
  if (first?.type !== 'text' || !first.text.startsWith('{')) return content;
  return [{ ...first, text: JSON.stringify(shaped) }, ...content.slice(1)];
}
