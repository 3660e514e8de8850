import type { ListCreativeFormatsRequest, ListCreativeFormatsResponse } from '@adcp/sdk/types';
import { sameFormatId } from '../../../modules/formats/index.js';
import { askEach } from '../../../sources/fan-out.js';
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
  // (sources/kinds/agent/accounts.ts decides what account a source hears).
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
  let formats = [...seen.values()];
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

/**
 * The formats the storefront lists to the caller that `creatives` name by format_id (what a 3.1
 * caller's creatives are checked against, format-limits.ts): its sandbox's, then, for ids its
 * sandbox does not hold, its sources' (list_creative_formats filtered to those ids; a source
 * that fails or does not list one leaves it unchecked here, for the source to judge).
 */
export async function formatsNamed(
  deps: MerchandisingDeps,
  creatives: readonly unknown[],
): Promise<Format[]> {
  const { storefront, principal } = agentRequest();
  const seeded = deps.sandbox.formats(sandboxScope(storefront.id, principal.customerId));
  const named = new Map<string, FormatId>();
  for (const creative of creatives) {
    const id = (creative as { format_id?: unknown }).format_id as Partial<FormatId> | undefined;
    if (typeof id?.agent_url !== 'string' || typeof id.id !== 'string') continue;
    if (seeded.some((format) => sameFormatId(format.format_id, id as FormatId))) continue;
    named.set(`${id.agent_url}\n${id.id}`, { agent_url: id.agent_url, id: id.id });
  }
  if (named.size === 0) return seeded;
  const listed = await listCreativeFormats(deps, {
    format_ids: [...named.values()],
  } as ListCreativeFormatsRequest);
  return [...seeded, ...(listed.formats ?? [])];
}
