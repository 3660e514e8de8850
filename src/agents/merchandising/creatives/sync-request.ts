import { AsyncLocalStorage } from 'node:async_hooks';
import type { AdcpServer } from '@adcp/sdk/server';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../../platform/is-record.js';
import { wrapEveryTool } from '../../hosting/sdk-mcp-server.js';

/*
 * What @adcp/sdk 6.11 drops of a sync_creatives request (creative/sync-creatives-request.json,
 * 3.0.6 and 3.1 alike): it validates the request and then hands the platform the creatives
 * alone, so a buyer's `assignments` (creative_id → package_id, with an optional weight and
 * placement_ids) and `dry_run` never reached it; assignments were dropped without a word, and a
 * dry run was applied as a real sync. The storefront's sync_creatives handler is wrapped to keep
 * them for the call (an AsyncLocalStorage around that one handler; the SDK awaits the platform
 * within it), and the platform's syncCreatives reads them (sync-assignments.ts applies the
 * assignments; sync.ts rehearses a dry run). A dry run's answer says so (`dry_run: true`).
 */

/** One requested assignment, as the buyer sent it. */
export interface SyncAssignment {
  creative_id: string;
  package_id: string;
  weight?: number;
  placement_ids?: string[];
}

interface SyncRequest {
  assignments: SyncAssignment[];
  dryRun: boolean;
}

const current = new AsyncLocalStorage<SyncRequest>();

/** The current sync_creatives call's assignments (none outside one, or when it sent none). */
export const requestedAssignments = (): SyncAssignment[] => current.getStore()?.assignments ?? [];

/** True within a sync_creatives call asked as a dry run: nothing may change. */
export const rehearsing = (): boolean => current.getStore()?.dryRun === true;

/** `server` with its sync_creatives handler keeping the request's assignments and dry_run. */
export function withSyncRequest<S extends AdcpServer>(server: S): S {
  wrapEveryTool(server, (tool, handler) => {
    if (tool !== 'sync_creatives') return handler;
    return async (args, extra) => {
      const request = { assignments: assignmentsOf(args), dryRun: args['dry_run'] === true };
      if (request.assignments.length === 0 && !request.dryRun) return handler(args, extra);
      const result = await current.run(request, () => handler(args, extra));
      return request.dryRun ? rehearsed(result) : result;
    };
  });
  return server;
}

/** A dry run's success answer, saying it was one (sync-creatives-response.json `dry_run`). */
function rehearsed(result: CallToolResult): CallToolResult {
  const content = result.structuredContent;
  if (result.isError === true || !Array.isArray(content?.['creatives'])) return result;
  const answer = { ...content, dry_run: true };
  // The text twin too, where it is the answer's JSON (not a summary line).
  const [first, ...rest] = result.content;
  const text =
    first?.type === 'text' && first.text.startsWith('{')
      ? [{ ...first, text: JSON.stringify(answer) }, ...rest]
      : result.content;
  return { ...result, structuredContent: answer, content: text };
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
