import { AsyncLocalStorage } from 'node:async_hooks';
import { isAtLeast, type Release } from './release.js';

/**
 * One pinned AdCP tool call (the buyer named `adcp_version`) as the protocol sees it: the release
 * it is served in and what the layer learned while serving it. Set around the tool's handler by
 * the 3.1 layer (layer.ts), on MCP and A2A alike, so any handler (and whatever it awaits) may ask
 * which release to answer in. Who is calling is the host's business (merchandising/caller.ts).
 *
 * A request without `adcp_version` enters no context at all: it is a 3.0 request, served exactly
 * as before 3.1, and `servedRelease()` answers '3.0' for it. That keeps the 3.0 hot path free of
 * an AsyncLocalStorage run (bench/README.md, "One AsyncLocalStorage instead of three").
 */
export interface AdcpCall {
  /** The tool being called (`get_products`, `get_task_status`, …). */
  readonly tool: string;
  /** The release the answer follows: the highest supported at or below the buyer's pin. */
  readonly release: Release;
  /**
   * What the idempotency store found for this call's key (`in-flight`: another request holds
   * it). Written by the store as it checks (hosting/reclaiming-idempotency.ts).
   */
  idempotency?: 'miss' | 'replay' | 'conflict' | 'expired' | 'in-flight';
  /**
   * The request's `push_notification_config.operation_id` (3.1): every webhook the call's
   * answer sends echoes it (core/mcp-webhook-payload.json `operation_id`).
   */
  readonly pushOperationId?: string;
}

const current = new AsyncLocalStorage<AdcpCall>();

export const runAdcpCall = <T>(call: AdcpCall, work: () => T): T => current.run(call, work);

/** The pinned call being served, if any (undefined for 3.0 requests, jobs, REST, webhooks). */
export const findAdcpCall = (): AdcpCall | undefined => current.getStore();

/** The release the current answer follows: '3.0' outside a pinned call. */
export const servedRelease = (): Release => current.getStore()?.release ?? '3.0';

/**
 * Whether this answer follows AdCP 3.1's rules: the call is served 3.1 or a later release. Every
 * module that asks is named in the release seam (tool-table.ts), with what it changes.
 */
export const speaks31 = (): boolean => {
  const release = current.getStore()?.release;
  return release !== undefined && isAtLeast(release, '3.1');
};
