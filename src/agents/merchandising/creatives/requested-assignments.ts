import { AsyncLocalStorage } from 'node:async_hooks';
import type { AdcpServer } from '@adcp/sdk/server';
import { isRecord } from '../../../platform/is-record.js';
import { wrapEveryTool } from '../../adcp31/tool-table.js';

/*
 * sync_creatives' `assignments` (creative/sync-creatives-request.json, 3.0.6 and 3.1 alike:
 * creative_id → package_id, with an optional weight and placement_ids). @adcp/sdk 6.11 validates
 * them and then hands the platform the creatives alone, so until now a buyer's assignments were
 * dropped without a word. The storefront's sync_creatives handler is wrapped to keep them for
 * the call (an AsyncLocalStorage around that one handler; the SDK awaits the platform within
 * it), and the platform's syncCreatives reads them (sync-assignments.ts applies them).
 */

/** One requested assignment, as the buyer sent it. */
export interface SyncAssignment {
  creative_id: string;
  package_id: string;
  weight?: number;
  placement_ids?: string[];
}

const current = new AsyncLocalStorage<SyncAssignment[]>();

/** The current sync_creatives call's assignments (none outside one, or when it sent none). */
export const requestedAssignments = (): SyncAssignment[] => current.getStore() ?? [];

/** `server` with its sync_creatives handler keeping the request's assignments for the call. */
export function withSyncAssignments<S extends AdcpServer>(server: S): S {
  wrapEveryTool(server, (tool, handler) => {
    if (tool !== 'sync_creatives') return handler;
    return (args, extra) => {
      const assignments = assignmentsOf(args);
      return assignments.length > 0
        ? current.run(assignments, () => handler(args, extra))
        : handler(args, extra);
    };
  });
  return server;
}

/**
 * The well-formed entries of a request's `assignments` (the SDK refuses a malformed request
 * before the platform runs, so nothing read here is acted on unless the whole request is valid).
 */
function assignmentsOf(args: Record<string, unknown>): SyncAssignment[] {
  const listed = args['assignments'];
  if (!Array.isArray(listed)) return [];
  return listed.flatMap((entry): SyncAssignment[] => {
    if (!isRecord(entry)) return [];
    const { creative_id: creativeId, package_id: packageId, weight, placement_ids } = entry;
    if (typeof creativeId !== 'string' || typeof packageId !== 'string') return [];
    return [
      {
        creative_id: creativeId,
        package_id: packageId,
        ...(typeof weight === 'number' && { weight }),
        ...(Array.isArray(placement_ids) && {
          placement_ids: placement_ids.filter((p): p is string => typeof p === 'string'),
        }),
      },
    ];
  });
}
