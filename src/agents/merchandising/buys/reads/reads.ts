import type { GetMediaBuysRequest, GetMediaBuysResponse } from '@adcp/sdk/types';
import { leastAdvanced, validActionsOf } from './status.js';
import type { MerchandisingDeps } from '../../deps.js';
import { forwardedBuys, type ReadMode } from '../forwarded-buys.js';
import { readAtSources } from './source-reads.js';
import { overlayOf } from '../package-overlays.js';
import { namespacedProductId } from '../../products/product-ids.js';
import { speaks31 } from '../../../adcp31/index.js';
import { availableActionsOf } from './actions31.js';
import { buyActionTemplates } from './buy-template.js';
import { impairmentsOf } from './impairments.js';
import { approvalsOf } from './approvals.js';
import { pageOf } from './buy-pages.js';
import { seededBuyProductId } from '../../sandbox/fixtures/seed-buy.js';
import { submittedPackageOf } from '../submitted-package.js';
import { type PartOfBuy, recordedPart } from './recorded-part.js';
import { flightStartOf, type MediaBuyRow, placedAtOf } from '../../../../modules/orders/index.js';

type WireBuy = GetMediaBuysResponse['media_buys'][number];

/**
 * What a buy's parts say that the storefront passes on as its own, each field from the first
 * part that says it: the flight, the seller's dates, and its revision (an update's `revision`
 * goes on to the source, which judges it), and its `ext` (where the storefront's own kinds say
 * how the order stands at an ad server). Not a part's `account`, `invoice_recipient`, `history`
 * or `context` (the storefront's own relationship with its source, not the buyer's), nor its 3.1
 * health fields (the storefront answers its own, to 3.1 callers only).
 */
const passedOn = [
  'start_time',
  'end_time',
  'creative_deadline',
  'confirmed_at',
  'cancellation',
  'revision',
  'ext',
  // Why a rejected buy was rejected: what its buyer needs, whichever version it speaks.
  'rejection_reason',
];
const passedOn31 = ['status_as_of'];

function vouchedFor(parts: readonly PartOfBuy[], v31: boolean, row: MediaBuyRow) {
  const fields = v31 ? [...passedOn, ...passedOn31] : passedOn;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const said = parts.find((part) => (part as Record<string, unknown>)[field] !== undefined);
    if (said) out[field] = (said as Record<string, unknown>)[field];
  }
  // A source that echoes a buy's `asap` back (one it was sent before the storefront resolved
  // it) says no date, which every answer needs: the start is the one the storefront resolved.
  if (out['start_time'] === 'asap') out['start_time'] = flightStartOf(row);
  return out as Partial<WireBuy>;
}

/**
 * AdCP 3.1 requires `confirmed_at` and `revision` on every buy (get-media-buys-response.json).
 * Where no source said them (a modular source keeps neither): confirmed when the storefront
 * placed the buy at its sources (approved, or taken at once), null before; the first revision,
 * the storefront keeping no counter of its own (an update's `revision` goes on to the sources).
 */
function commitmentOf(row: MediaBuyRow, vouched: Partial<WireBuy>) {
  const placed = (row.forwardResult ?? []).some((leg) => leg.upstreamMediaBuyId);
  return {
    confirmed_at:
      vouched.confirmed_at !== undefined
        ? vouched.confirmed_at
        : placed
          ? placedAtOf(row).toISOString()
          : null,
    revision: vouched.revision ?? 1,
  };
}

/**
 * AdCP 3.1: a package's context as its buyer sent it on create_media_buy (not a source's), and
 * the format options it chose, echoed as core/package.json asks (`format_option_refs`).
 */
function packageContext(row: MediaBuyRow, packageId: string) {
  const context = submittedPackageOf(row, packageId)?.context;
  const sent = submittedPackageOf(row, packageId, true) as { format_option_refs?: unknown };
  const refs = sent?.format_option_refs;
  return { context, ...(Array.isArray(refs) && { format_option_refs: refs }) };
}

/**
 * get_media_buys: the caller's buys as one storefront buy each, put together from what every
 * source holding a part answers (a source that fails is reported in `errors`, the rest shown).
 */
export async function getMediaBuys(
  deps: MerchandisingDeps,
  request: GetMediaBuysRequest,
  mode?: ReadMode,
): Promise<GetMediaBuysResponse> {
  // One page of the caller's buys (a live account's: on live accounts): only its buys' sources
  // are asked.
  const { page: rows, pagination } = pageOf(
    await forwardedBuys(deps, request.media_buy_ids, mode),
    request.pagination,
  );
  const { partOf, errors } = await readAtSources(deps, rows);
  const v31 = speaks31();
  // AdCP 3.1's health: what the storefront knows keeps a package from serving (3.1 callers only).
  const impairments = v31 ? await impairmentsOf(deps, rows) : undefined;
  // AdCP 3.1's creative_approvals: the creatives the storefront put on each package.
  const approvals = v31 ? await approvalsOf(deps, rows) : undefined;
  // AdCP 3.1: the action template each buy is judged by (its products').
  const templates = v31 ? await buyActionTemplates(deps, rows) : [];
  const media_buys = rows.map((row, index): WireBuy => {
    // Each placed part as its source answers it, else as the storefront recorded it.
    const parts = (row.forwardResult ?? []).flatMap((leg) => {
      if (!leg.upstreamMediaBuyId) return [];
      const answered = partOf(leg);
      return [{ leg, buy: answered ?? recordedPart(row, leg), answered: answered !== undefined }];
    });
    // What the storefront passes on as its own is a source's word, never its record.
    const answered = parts.filter((p) => p.answered).map((p) => p.buy);
    const first = answered[0];
    // A 3.0 caller's answer is as before: the first answering part's word alone.
    const vouched = vouchedFor(v31 ? answered : answered.slice(0, 1), v31, row);
    const status = leastAdvanced(parts.map((p) => p.buy.status)) ?? 'pending_start';
    // What the buyer may do next: what every source holding a part allows.
    const actions = validActionsOf(
      parts.map((p) => ({ status: p.buy.status, validActions: p.buy.valid_actions })),
      status,
    );
    // The buyer's own reference, echoed: a buyer whose answer was lost finds its buy by it.
    const po = (row.submittedPayload as { po_number?: unknown }).po_number;
    const open = impairments?.get(row.mediaBuyId) ?? [];
    return {
      ...vouched,
      ...(v31 && commitmentOf(row, vouched)),
      media_buy_id: row.mediaBuyId,
      ...(typeof po === 'string' && { po_number: po }),
      status,
      ...(actions && { valid_actions: actions }),
      ...(v31 && {
        available_actions: availableActionsOf(
          status,
          parts.map((p) => ({
            status: p.buy.status,
            validActions: p.buy.valid_actions,
            availableActions: (p.buy as { available_actions?: unknown }).available_actions,
          })),
          templates[index],
        ),
        health: open.length > 0 ? 'impaired' : 'ok',
        impairments: open,
        // A source's own webhook log is of its fires to the storefront, not to this buyer; the
        // storefront keeps no log of its own (docs/conformance.md): omitted, as 3.1 says.
        webhook_activity: undefined,
        // The buyer's own correlation data from create_media_buy, persisted and echoed.
        ...(row.submittedPayload.context && { context: row.submittedPayload.context }),
      }),
      currency: first?.currency ?? 'USD',
      total_budget: parts.reduce((sum, p) => sum + (p.buy.total_budget ?? 0), 0),
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
      packages: parts.flatMap(({ leg, buy }) =>
        (buy.packages ?? []).map((upstream) => {
          // A seeded buy's own product, which its buyer never named, is not shown to 3.1 (legacy).
          const { product_id: productId, ...pkg } = upstream;
          const shown = productId && !(v31 && productId === seededBuyProductId);
          const packageId = namespacedProductId(leg.sourceId, pkg.package_id);
          return {
            ...overlayOf(row, leg.sourceId, upstream),
            ...pkg,
            package_id: packageId,
            ...(shown && { product_id: namespacedProductId(leg.sourceId, productId) }),
            ...(v31 && packageContext(row, packageId)),
            ...approvals?.(row, packageId, pkg.creative_approvals),
          };
        }),
      ),
    } as WireBuy;
  });
  return {
    media_buys,
    pagination,
    ...(errors.length > 0 && { errors }),
  } as GetMediaBuysResponse;
}
