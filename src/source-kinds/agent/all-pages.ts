import type { GetProductsResponse } from '@adcp/sdk/types';
import type { SourceAnswer, SourceCall, SourceRow } from '../../modules/inventory-sources/index.js';
import { isRecord } from '../../platform/is-record.js';
import { sourceRefused } from '../../sources/refused.js';

/*
 * An AdCP agent that pages its get_products answer (`pagination.has_more` with a cursor: another
 * Interchange storefront pages by its posture's answer size) is asked for every page, so the
 * storefront ranks and pages all it has on sale, not its first page (issue 71, item 1). Later
 * pages are asked 100 at a time (AdCP's largest page) within what is left of the call's budget,
 * at most `maxPages` of them; an answer that could not be read whole says so in `errors[]`
 * (how many of how many), never silently.
 */

type Products = GetProductsResponse['products'];
type AskPage = (
  request: Record<string, unknown>,
  call: SourceCall,
) => Promise<SourceAnswer<GetProductsResponse>>;

/** The most later pages one answer asks for (100 products each). */
export const maxPages = 99;

interface Next {
  cursor: string;
  total: number | null;
}

/** The cursor of a page that says more follow, and the total it counts. */
function nextOf(data: unknown): Next | null {
  const pagination = isRecord(data) ? data['pagination'] : undefined;
  if (!isRecord(pagination) || pagination['has_more'] !== true) return null;
  const cursor = pagination['cursor'];
  if (typeof cursor !== 'string' || cursor === '') return null;
  const total = pagination['total_count'];
  return { cursor, total: typeof total === 'number' ? total : null };
}

/** get_products of an agent, every page of it: one answer of all its products. */
export async function allPages(
  row: SourceRow,
  request: Record<string, unknown>,
  call: SourceCall,
  askPage: AskPage,
): Promise<SourceAnswer<GetProductsResponse>> {
  const started = performance.now();
  const first = await askPage(request, call);
  if (!first.ok) return first;
  let next = nextOf(first.data);
  if (!next) return first;
  const products: Products = [...(first.data.products ?? [])];
  const errors = [...(first.data.errors ?? [])];
  let pages = 0;
  let failure: string | null = null;
  while (next && pages < maxPages) {
    const left = call.budgetMs - (performance.now() - started);
    if (left <= 0) {
      failure = 'the time budget ran out';
      break;
    }
    const page = await askPage(
      { ...request, pagination: { cursor: next.cursor, max_results: 100 } },
      { ...call, budgetMs: left },
    );
    pages++;
    if (!page.ok) {
      failure = `a later page failed (${page.error.code})`;
      break;
    }
    products.push(...(page.data.products ?? []));
    errors.push(...(page.data.errors ?? []));
    next = nextOf(page.data);
  }
  if (next) {
    const total = next.total === null ? 'more' : `${next.total}`;
    errors.push(
      sourceRefused(row, {
        code: 'SERVICE_UNAVAILABLE',
        message: `Inventory source "${row.name}" answered ${products.length} of ${total} products: ${failure ?? `more than ${maxPages + 1} pages`}; ask again for the rest`,
        recovery: 'transient',
        reason: 'partial_answer',
        details: {
          answered: products.length,
          ...(next.total !== null && { total_count: next.total }),
        },
      }),
    );
  }
  const { pagination: _pagination, ...rest } = first.data;
  return {
    ...first,
    data: { ...rest, products, ...(errors.length > 0 && { errors }) },
  };
}
