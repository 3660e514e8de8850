import type { CreativeAsset } from '@adcp/sdk/types';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../../platform/is-record.js';

/*
 * AdCP 3.1's `suspended` creative status (enums/creative-status.json: an approved creative
 * temporarily ineligible for delivery while a dependency, such as a published post's
 * authorization, is lost). 3.0.6's enum has no such value, and @adcp/sdk 6.11 checks a
 * list_creatives or sync_creatives answer against 3.0.6, so the storefront's handlers answer each
 * creative in a status 3.0 admits and, for a 3.1 caller, hold the 3.1 one beside it under a key
 * of ours (3.0.6's creative items admit other properties); the layer puts it back in `status`
 * (listedCreativeStatus). A 3.1 list_creatives filtering by `suspended` is handed past the SDK
 * the same way: its statuses held at the request's top level (statusFiltersFor30).
 *
 * The nearest 3.0 status of a suspended creative is `pending_review`: like a suspended one, a
 * creative awaiting review does not serve, needs no resubmission, and goes on to approved or
 * rejected by the seller's side (3.0.6's descriptions); `approved` would say it serves, and
 * `rejected` would ask the buyer to resubmit it.
 */

const held = 'interchange_status';
const heldFilter = 'interchange_statuses';

/** enums/creative-status.json (3.1.19). */
export type CreativeStatus31 =
  'processing' | 'pending_review' | 'approved' | 'suspended' | 'rejected' | 'archived';
/** The 3.0.6 enum: 3.1's without `suspended`. */
type CreativeStatus30 = Exclude<CreativeStatus31, 'suspended'>;

/**
 * A creative's `status` as the 3.0 server behind passes it on: a 3.1-only status as its nearest
 * 3.0 one, held aside for a 3.1 caller (the layer puts it back), dropped for a 3.0 caller.
 */
export function creativeStatusHeld(
  status: CreativeStatus31,
  release31: boolean,
): { status: CreativeStatus30; [held]?: CreativeStatus31 } {
  if (status !== 'suspended') return { status };
  return release31 ? { status: 'pending_review', [held]: status } : { status: 'pending_review' };
}

const heldKind = 'interchange_format_kind';
/** What stands in for a canonical creative's format past 3.0.6's check (it requires one). */
const kindPlaceholder = { agent_url: 'https://canonical.interchange.invalid', id: 'format_kind' };

/**
 * A listed creative's format as the 3.0 server behind passes it on: its `format_id`; a 3.1
 * canonical creative (list-creatives-response.json: `format_kind`, never a `format_id`) with a
 * placeholder id and its kind held aside for a 3.1 caller (the layer puts it back); to a 3.0
 * caller, as before, its `format_id` or none.
 */
export function creativeFormatHeld(
  payload: Pick<CreativeAsset, 'format_id'>,
  release31: boolean,
): { format_id: CreativeAsset['format_id']; [heldKind]?: string } {
  // A canonical creative's payload has no format_id, whatever its 3.0 type says.
  const kind = (payload as { format_kind?: unknown }).format_kind;
  if (payload.format_id !== undefined || !release31 || typeof kind !== 'string') {
    return { format_id: payload.format_id };
  }
  return { format_id: kindPlaceholder, [heldKind]: kind };
}

const holds = (c: unknown) =>
  isRecord(c) && (typeof c[held] === 'string' || typeof c[heldKind] === 'string');

/** A 3.1 list_creatives or sync_creatives answer with each creative's held status and kind back. */
export function listedCreativeStatus(result: CallToolResult): CallToolResult {
  const content = result.structuredContent;
  const creatives = content?.['creatives'];
  if (result.isError === true || !Array.isArray(creatives)) return result;
  if (!creatives.some(holds)) return result;
  return {
    ...result,
    structuredContent: {
      ...content,
      creatives: creatives.map((creative: unknown) => {
        if (!isRecord(creative) || !holds(creative)) return creative;
        const { [held]: status, [heldKind]: kind, ...rest } = creative;
        if (typeof kind === 'string') delete rest['format_id'];
        return {
          ...rest,
          ...(typeof status === 'string' && { status }),
          ...(typeof kind === 'string' && { format_kind: kind }),
        };
      }),
    },
  };
}

/** A 3.1 list_creatives as the 3.0 server behind validates it: 3.1-only statuses held aside. */
export function statusFiltersFor30(args: Record<string, unknown>): Record<string, unknown> {
  const filters = args['filters'];
  const statuses = isRecord(filters) ? filters['statuses'] : undefined;
  if (!isRecord(filters) || !Array.isArray(statuses) || !statuses.includes('suspended')) {
    return args;
  }
  const older = statuses.filter((status) => status !== 'suspended');
  const { statuses: _sent, ...rest } = filters;
  return {
    ...args,
    filters: { ...rest, ...(older.length > 0 && { statuses: older }) },
    [heldFilter]: statuses,
  };
}

/** The statuses a list_creatives request filters by, as its caller sent them. */
export function requestedStatuses(request: object): readonly string[] | undefined {
  const sent = (request as Record<string, unknown>)[heldFilter];
  if (Array.isArray(sent)) return sent.filter((s): s is string => typeof s === 'string');
  const filters = (request as { filters?: { statuses?: unknown } }).filters;
  return Array.isArray(filters?.statuses) ? (filters.statuses as string[]) : undefined;
}
