/*
 * The creative reads of a storefront: list_creative_formats and list_creatives (its library).
 */
import type { ListCreativeFormatsRequest, ListCreativeFormatsResponse } from '@adcp/sdk/types';
import type { SalesRequest, SalesResult } from '../adcp.js';
import type { CreativeRow } from '../../../modules/creative-reviews/index.js';
import {
  creativeFormatHeld,
  creativeStatusHeld,
  type CreativeStatus31,
  pixelTrackersHeld,
  requestedStatuses,
  speaks31,
} from '../../adcp31/index.js';
import { assignmentsByCreative } from './assigned.js';
import { sameFormatId } from '../../../modules/formats/index.js';
import { askEach } from '../../../sources/fan-out.js';
import { formatFor31, listFor31 } from '../../../sources/releases/values31.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { pageOf } from '../buys/reads/buy-pages.js';
import { agentRequest, callerPrincipal } from '../caller.js';
import { defaultSourceBudgetMs, type MerchandisingDeps } from '../deps.js';
import type { Format } from '../types.js';

type FormatId = { agent_url: string; id: string };

/**
 * list_creative_formats through a storefront: every active source's formats, de-duplicated by
 * (agent_url, id); failing sources drop out. A request naming `format_ids` gets exactly those
 * formats, each with the format_id its source gave it (AdCP: the filter never substitutes
 * another format), whether or not a source honours the filter itself; its `max_results` is
 * applied after filtering, so a source's first page cannot hide the format asked for. Creative
 * formats the caller seeded (comply_test_controller seed_creative_format) join its own answers,
 * filtered as a source would filter them (`name_search` is applied to every source's formats
 * too, so one that ignores it does not widen the answer); then the storefront pages the whole answer itself.
 */
export async function listCreativeFormats(
  deps: MerchandisingDeps,
  request: ListCreativeFormatsRequest,
): Promise<ListCreativeFormatsResponse> {
  const { storefront } = agentRequest();
  const customerId = callerPrincipal().customerId;
  // list_creative_formats names no account; one a buyer adds anyway is not forwarded unchecked
  // (source-kinds/agent/accounts.ts decides what account a source hears).
  const {
    context: _c,
    ext: _e,
    account: _a,
    ...rest
  } = request as ListCreativeFormatsRequest & {
    context?: unknown;
    ext?: unknown;
    account?: unknown;
  };
  const wanted = (request.format_ids ?? []) as FormatId[];
  const seeded = seededFormats(deps, request, wanted);
  const { pagination, ...unpaged } = rest;
  const forwarded = wanted.length > 0 || seeded.length > 0 ? unpaged : rest;
  const { sellable } = await deps.sources.of(storefront.id, customerId);
  const call = { customerId, budgetMs: deps.sourceBudgetMs ?? defaultSourceBudgetMs };
  const outcomes = await askEach<ListCreativeFormatsResponse>(sellable, (port) =>
    port.listCreativeFormats(forwarded, call),
  );

  const seen = new Map<string, Format>();
  const errors = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      errors.push(outcome.error);
      continue;
    }
    for (const format of outcome.data.formats ?? []) {
      const id = format.format_id as { agent_url?: string; id?: string };
      const key = `${id.agent_url ?? ''}\n${id.id ?? ''}`;
      if (!seen.has(key)) seen.set(key, format);
    }
  }
  // A 3.1 caller is told 3.1's names of the 3.0 values 3.1 renamed (sources/releases/values31.ts).
  let formats = speaks31() ? listFor31([...seen.values()], formatFor31) : [...seen.values()];
  if (wanted.length > 0) {
    formats = formats.filter((format) => wanted.some((id) => sameFormatId(format.format_id, id)));
  }
  formats = formats.filter(namedAs(request.name_search));
  const failed = errors.length > 0 && { errors };
  if (seeded.length > 0) {
    const { page, pagination: paged } = pageOf([...formats, ...seeded], pagination);
    return { formats: page, pagination: paged, ...failed } as ListCreativeFormatsResponse;
  }
  const max = pagination?.max_results;
  if (wanted.length > 0 && typeof max === 'number' && max > 0) formats = formats.slice(0, max);
  return { formats, ...failed } as ListCreativeFormatsResponse;
}

/** AdCP's name_search: a case-insensitive partial match on the format's name (none: all). */
function namedAs(search: string | undefined) {
  const wanted = search?.toLowerCase();
  return (format: Format) => wanted === undefined || format.name.toLowerCase().includes(wanted);
}

/** The caller's seeded formats (its sandbox on this storefront) the request's filters admit. */
function seededFormats(
  deps: MerchandisingDeps,
  request: ListCreativeFormatsRequest,
  wanted: FormatId[],
): Format[] {
  const { storefront, principal } = agentRequest();
  return deps.sandbox
    .formats(sandboxScope(storefront.id, principal.customerId))
    .filter(namedAs(request.name_search))
    .filter(
      (format) => wanted.length === 0 || wanted.some((id) => sameFormatId(format.format_id, id)),
    );
}

/** The seller's webhook activity retention window (list-creatives-request.json: 30 days). */
const tombstoneDays = 30;

/**
 * Which creatives an include_purged read shows: those in the library, and the soft-purged ones
 * purged within the retention window (their tombstones); a hard-purged one never.
 */
const shownWithPurged = (now: Date) => (row: CreativeRow) =>
  row.purgedAt === null ||
  (row.purgeKind === 'soft' &&
    now.getTime() - row.purgedAt.getTime() <= tombstoneDays * 86_400_000);

/** A tombstone's purge block (list-creatives-response.json `purge`): always soft. */
const tombstoneOf = (row: CreativeRow, at: Date) => ({
  kind: 'soft' as const,
  at: at.toISOString(),
  reason_code: row.purgeReason ?? 'retention_expired',
});

/**
 * A library creative's status as AdCP 3.1 names it (enums/creative-status.json): a revoked one
 * reads archived; a 3.0 caller gets a suspended one as its nearest 3.0 status (creativeStatusHeld).
 */
export const creativeStatus31 = {
  pending: 'pending_review',
  approved: 'approved',
  suspended: 'suspended',
  rejected: 'rejected',
  revoked: 'archived',
  archived: 'archived',
} as const satisfies Record<CreativeRow['status'], CreativeStatus31>;

export async function listCreatives(
  deps: MerchandisingDeps,
  request: SalesRequest<'listCreatives'>,
): Promise<SalesResult<'listCreatives'>> {
  const { storefront, principal } = agentRequest();
  const ids = request.filters?.creative_ids;
  const v31 = speaks31();
  // 3.1's `include_purged`: soft-purged creatives' tombstones too (shownWithPurged); never a
  // 3.0 caller's (purge is 3.1's), never a hard-purged creative.
  const purged = v31 && (request as { include_purged?: unknown }).include_purged === true;
  const rows = purged
    ? (
        await deps.creativeReviews.creativesWithPurgedOf(storefront.id, principal.customerId, ids)
      ).filter(shownWithPurged(new Date()))
    : await deps.creativeReviews.creativesOf(storefront.id, principal.customerId, ids);
  // core/creative-filters.json: archived creatives are left out unless asked for by status. A
  // status is matched as the caller reads it (a 3.0 caller's suspended one is pending_review).
  const statuses = new Set<string>(requestedStatuses(request) ?? []);
  const statusOf = (row: CreativeRow) => creativeStatusHeld(creativeStatus31[row.status], v31);
  const shown = rows.filter((row) => {
    const read = statusOf(row);
    const status = read.interchange_status ?? read.status;
    return statuses.size > 0 ? statuses.has(status) : status !== 'archived';
  });
  // A page at a time, in the library's order (newest first), as get_media_buys pages buys.
  const { page, pagination } = pageOf(shown, request.pagination);
  // Where each is assigned, when asked (assigned.ts): a creative on no package says so.
  const assigned = request.include_assignments ? await assignmentsByCreative(deps) : undefined;
  const none = { assignment_count: 0, assigned_packages: [] };
  // 3.1's `include_webhook_activity`: the creative.status_changed fires about each creative.
  const asked = (request as { include_webhook_activity?: unknown }).include_webhook_activity;
  const activity =
    v31 && asked === true && deps.creativeLifecycle
      ? await deps.creativeLifecycle.activityOf(
          storefront.id,
          principal.customerId,
          page.map((row) => row.creativeId),
        )
      : undefined;
  const creatives = page.map((row) => {
    const payload = row.submittedPayload;
    return {
      creative_id: row.creativeId,
      name: (payload.name as string | undefined) ?? row.creativeId,
      // 3.1's canonical creative names its kind, never a format (list-creatives-response.json).
      ...creativeFormatHeld(payload, v31),
      ...statusOf(row),
      created_date: row.createdAt.toISOString(),
      updated_date: row.updatedAt.toISOString(),
      // 3.1's pixel_tracker assets: not a 3.0 caller's to read, held aside for a 3.1 caller's.
      ...(payload.assets !== undefined && pixelTrackersHeld(payload.assets, v31)),
      ...(assigned && { assignments: assigned.get(row.creativeId) ?? none }),
      ...(activity && { webhook_activity: activity.get(row.creativeId) ?? [] }),
      ...(row.purgedAt && { purge: tombstoneOf(row, row.purgedAt) }),
      // Why the operator decided as it did: the buyer shows a rejection's reason with it.
      ...(row.reviewerNotes && { ext: { reviewer_notes: row.reviewerNotes } }),
    };
  });
  return {
    query_summary: { total_matching: shown.length, returned: creatives.length },
    pagination,
    creatives,
  };
}
/**
 * How long a sync waits on a source's formats before judging its creatives without them: half
 * the source's budget (2 s by default), the rest left to the source in the background.
 */
export const formatLimitsWaitMs = (deps: Pick<MerchandisingDeps, 'sourceBudgetMs'>) =>
  Math.ceil((deps.sourceBudgetMs ?? defaultSourceBudgetMs) / 2);

/** The formats a sync judges creatives against, and the formats no source listed in time. */
export interface NamedFormats {
  formats: Format[];
  /** Named formats not listed because these sources did not answer within the wait (by id). */
  late: Map<string, string[]>;
}

// One lookup per request: create_media_buy's inline creatives are checked, then kept through
// sync_creatives, which checks them again (buys/inline-creatives.ts).
const looked = new WeakMap<object, Map<string, Promise<NamedFormats>>>();

/**
 * The formats the storefront lists to the caller that `creatives` name by format_id (what a 3.1
 * caller's creatives are checked against, format-limits.ts): its sandbox's, then, for ids its
 * sandbox does not hold, its sources' (list_creative_formats filtered to those ids; a source
 * that fails or does not list one leaves it unchecked here, for the source to judge).
 *
 * A source is asked as discovery is (`reuse`): its answer for this buyer, this source and these
 * ids comes from the source answer cache while it lives (INTERCHANGE_SOURCE_ANSWER_TTL_MS; the
 * key names the buyer, the source and its credential), so repeated syncs ask it once. A sync
 * waits on it at most formatLimitsWaitMs: a slower source is left to answer in the background,
 * within its budget (its answer then cached for the next sync), and the formats it did not list
 * in time are reported in `late`.
 */
export function formatsNamed(
  deps: MerchandisingDeps,
  creatives: readonly unknown[],
): Promise<NamedFormats> {
  const request = agentRequest();
  const { storefront, principal } = request;
  const seeded = deps.sandbox.formats(sandboxScope(storefront.id, principal.customerId));
  const named = new Map<string, FormatId>();
  for (const creative of creatives) {
    const id = (creative as { format_id?: unknown }).format_id as Partial<FormatId> | undefined;
    if (typeof id?.agent_url !== 'string' || typeof id.id !== 'string') continue;
    if (seeded.some((format) => sameFormatId(format.format_id, id as FormatId))) continue;
    named.set(`${id.agent_url}\n${id.id}`, { agent_url: id.agent_url, id: id.id });
  }
  if (named.size === 0) return Promise.resolve({ formats: seeded, late: new Map() });
  // Sorted: the same ids in another order are the same request to a source (and its cache key).
  const keys = [...named.keys()].sort();
  const memo = looked.get(request) ?? new Map<string, Promise<NamedFormats>>();
  looked.set(request, memo);
  const key = keys.join('\n\n');
  let found = memo.get(key);
  if (!found) {
    found = sourceFormats(
      deps,
      keys.map((k) => named.get(k)!),
    ).then(({ formats, late }) => ({
      formats: [...seeded, ...formats],
      late,
    }));
    memo.set(key, found);
  }
  return found;
}

/** The sources' formats of these ids, each source waited on at most formatLimitsWaitMs. */
async function sourceFormats(deps: MerchandisingDeps, wanted: FormatId[]): Promise<NamedFormats> {
  const { storefront, principal } = agentRequest();
  const { sellable } = await deps.sources.of(storefront.id, principal.customerId);
  const budgetMs = deps.sourceBudgetMs ?? defaultSourceBudgetMs;
  const call = { customerId: principal.customerId, budgetMs, reuse: true };
  const waitMs = formatLimitsWaitMs(deps);
  const lateSources: string[] = [];
  const outcomes = await askEach<ListCreativeFormatsResponse>(sellable, async (port) => {
    const answer = await waited(
      port.listCreativeFormats({ format_ids: wanted } as ListCreativeFormatsRequest, call),
      waitMs,
      (error) => deps.onError?.(error, 'list_creative_formats for format limits'),
    );
    if (answer === undefined) lateSources.push(port.source.name);
    return answer ?? { ok: false, error: { code: 'TIMEOUT', message: 'not answered in time' } };
  });
  const formats: Format[] = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const format of outcome.data.formats ?? []) {
      const id = format.format_id;
      // AdCP: the filter never substitutes another format; only the ids asked for count.
      if (!wanted.some((asked) => sameFormatId(id, asked))) continue;
      if (!formats.some((kept) => sameFormatId(kept.format_id, id))) formats.push(format);
    }
  }
  const late = new Map<string, string[]>();
  if (lateSources.length > 0) {
    for (const id of wanted) {
      if (!formats.some((format) => sameFormatId(format.format_id, id))) {
        late.set(`${id.agent_url}\n${id.id}`, lateSources);
      }
    }
  }
  return { formats, late };
}

/**
 * `pending`'s answer if it comes within `ms`, else undefined; it goes on in the background (a
 * source's call keeps to its own budget), its failure only reported.
 */
function waited<T>(
  pending: Promise<T>,
  ms: number,
  onError: (error: unknown) => void,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  pending.catch(onError);
  return Promise.race([pending, late]).finally(() => clearTimeout(timer));
}
