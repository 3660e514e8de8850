import type { ListCreativeFormatsRequest, ListCreativeFormatsResponse } from '@adcp/sdk/types';
import { sameFormatId } from '../../../modules/formats/index.js';
import { askEach } from '../../../sources/fan-out.js';
import { agentRequest, callerPrincipal } from '../caller.js';
import { defaultSourceBudgetMs, type MerchandisingDeps } from '../deps.js';
import type { Format } from '../types.js';

type FormatId = { agent_url: string; id: string };

/**
 * list_creative_formats through a storefront: every active source's formats, de-duplicated by
 * (agent_url, id); failing sources drop out. A request naming `format_ids` gets exactly those
 * formats, each with the format_id its source gave it (AdCP: the filter never substitutes
 * another format), whether or not a source honours the filter itself; its `max_results` is
 * applied after filtering, so a source's first page cannot hide the format asked for.
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
  const { pagination, ...unpaged } = rest;
  const forwarded = wanted.length > 0 ? unpaged : rest;
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
    const max = pagination?.max_results;
    if (typeof max === 'number' && max > 0) formats = formats.slice(0, max);
  }
  return {
    formats,
    ...(errors.length > 0 && { errors }),
  } as ListCreativeFormatsResponse;
}
