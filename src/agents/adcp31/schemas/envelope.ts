import { z } from 'zod';
import { mediaBuyStatuses } from '../../../sources/answers.js';

/*
 * AdCP 3.1.19's protocol envelope, as far as a storefront agent reads or writes it, written from
 * the spec's JSON schemas (reference/adcp-3.1/schemas: core/version-envelope.json,
 * core/protocol-envelope.json, core/error.json, enums/task-status.json,
 * error-details/version-unsupported.json, error-details/stale-response.json). @adcp/sdk 6.11.0
 * knows 3.0.6 only, so these are ours; they are checked in every mode (the SDK validates nothing
 * under NODE_ENV=production).
 */

/** VERSION.RELEASE with an optional prerelease tag: "3.0", "3.1", "3.1-beta.5". */
export const releasePattern = /^\d+\.\d+(-[a-zA-Z0-9.-]+)?$/;

/** core/version-envelope.json: composed into every 3.1 request and response. */
export const versionEnvelope = z.object({
  adcp_version: z.string().regex(releasePattern).optional(),
  adcp_major_version: z.number().int().min(1).max(99).optional(),
});

/** enums/task-status.json: the envelope's `status`, A2A's task states. */
export const taskStatus = z.enum([
  'submitted',
  'working',
  'input-required',
  'completed',
  'canceled',
  'failed',
  'rejected',
  'auth-required',
  'unknown',
]);
export type TaskStatus = z.infer<typeof taskStatus>;

/** enums/media-buy-status.json: what 3.1 moves from a buy answer's `status` to `media_buy_status`. */
export const mediaBuyStatus = z.enum(mediaBuyStatuses);

/** The recovery classes of core/error.json and enums/error-code.json's metadata. */
export const recovery = z.enum(['transient', 'correctable', 'terminal']);

/** core/error.json, the fields this layer writes (the code vocabulary is open). */
export const adcpError = z.object({
  code: z.string().min(1).max(64),
  message: z.string(),
  field: z.string().optional(),
  suggestion: z.string().optional(),
  retry_after: z.number().min(1).max(3600).optional(),
  recovery: recovery.optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AdcpError = z.infer<typeof adcpError>;

/** error-details/version-unsupported.json. */
export const versionUnsupportedDetails = z.object({
  supported_versions: z.array(z.string().regex(releasePattern)).min(1),
  supported_majors: z.array(z.number().int().min(1)).optional(),
  adcp_version: z.string().optional(),
});

/** error-details/stale-response.json (one entry per stale upstream). */
export const staleResponseDetails = z.object({
  served_from_cache: z.literal(true),
  cache_age_seconds: z.number().int().min(0),
  freshness_target_seconds: z.number().int().min(0).optional(),
  upstream: z.object({ url: z.string().optional(), name: z.string().optional() }).optional(),
  original_error: z
    .object({ code: z.string().optional(), message: z.string().optional() })
    .optional(),
});
export type StaleResponseDetails = z.infer<typeof staleResponseDetails>;

/**
 * core/protocol-envelope.json on the flat MCP wire (and in A2A's data part): what every 3.1
 * answer carries beside its task body. `status` is required; the legacy v2 names never appear.
 */
export const protocolEnvelope = z
  .object({
    status: taskStatus,
    adcp_version: z.string().regex(releasePattern).optional(),
    replayed: z.boolean().optional(),
    adcp_error: adcpError.optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .loose()
  .refine((value) => !('task_status' in value) && !('response_status' in value), {
    message: 'task_status and response_status are v2 names with no meaning in v3',
  });

/** The `adcp` block of get-adcp-capabilities-response.json that 3.1 extends. */
export const capabilitiesAdcp = z
  .object({
    major_versions: z.array(z.number().int().min(1)).min(1),
    supported_versions: z.array(z.string().regex(releasePattern)).min(1),
    build_version: z.string().optional(),
    idempotency: z.union([
      z
        .object({
          supported: z.literal(true),
          replay_ttl_seconds: z.number().int().min(3600).max(604_800),
          in_flight_max_seconds: z.number().int().min(1).optional(),
        })
        .loose()
        .refine(
          (value) =>
            value.in_flight_max_seconds === undefined ||
            value.in_flight_max_seconds <= value.replay_ttl_seconds,
          { message: 'in_flight_max_seconds must not exceed replay_ttl_seconds' },
        ),
      z.object({ supported: z.literal(false) }).loose(),
    ]),
  })
  .loose();
