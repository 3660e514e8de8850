import { AdcpError } from '@adcp/sdk/server';
import type { GetMediaBuyDeliveryResponse } from '@adcp/sdk/types';
import { type InMemorySeller, matchingFilters } from '../../in-memory-seller/index.js';
import type {
  InventorySource,
  SourceAnswer,
  SourceCall,
  SourceIdentity,
} from '../../../modules/inventory-sources/index.js';
import { callFailed } from '../../../sources/errors.js';
import type { FrequencyCapSupport } from '../../../sources/frequency-caps.js';
import type { Product } from '../types.js';
import { reachTotals, type SimulatedReach } from './simulated/reach.js';
import type { SimulatedMeasurement } from './simulated/measurement.js';

/**
 * Sandbox accounts' own inventory, sold by the storefront itself (sandbox.ts), as a source: its
 * id is `~sandbox` (no slug can take it), it keeps no creative library (creatives travel inline),
 * and it answers discovery (the seeded products, ranked with every other source's by the
 * storefront) and what a buy needs. The seller is the buyer's in-memory book, never a real source.
 */
const sandboxCapSupport: FrequencyCapSupport = {
  forwarded: false,
  enforces: { suppress: false, onUpdate: false },
};

export const sandboxSourceId = '~sandbox';

/** Delivery the test controller injects for a sandbox buy (comply_test_controller). */
export interface SimulatedDelivery extends SimulatedReach, SimulatedMeasurement {
  impressions?: number | undefined;
  clicks?: number | undefined;
  reported_spend?: { amount: number; currency: string } | undefined;
}

/**
 * Where a seeded buy's package carries the package id its fixture gave (seed-buy.ts): the book
 * assigns it as the seller-assigned id, as a legacy seller's buy would have it.
 */
export const seededPackageIdOf = (pkg: { ext?: object | undefined }) => {
  const id = (pkg.ext as Record<string, unknown> | undefined)?.['sandbox_package_id'];
  return typeof id === 'string' ? id : undefined;
};

/** Every sandbox buy is booked under this one account (one book per storefront and buyer). */
export const sandboxAccount = 'sandbox';

export function sandboxSource(
  storefrontId: number,
  ledger: {
    /** The scope's seeded products, as get_products answers them. */
    products: () => Product[];
    seller: () => InMemorySeller;
    /** Delivery the test controller injected for a buy of the book, if any. */
    simulated: (mediaBuyId: string) => SimulatedDelivery | undefined;
  },
): InventorySource {
  const identity: SourceIdentity = {
    id: 0,
    storefrontId,
    sourceId: sandboxSourceId,
    name: 'Sandbox',
    executionType: 'SANDBOX',
  };
  /** The book's answer, or its refusal as a source's tool error (AdCP code and message kept). */
  async function answer<T>(
    tool: string,
    call: SourceCall,
    work: () => Promise<T> | T,
  ): Promise<SourceAnswer<T>> {
    const started = performance.now();
    try {
      return { ok: true, data: await work() };
    } catch (error) {
      const code = error instanceof AdcpError ? error.code : 'SERVICE_UNAVAILABLE';
      const message = error instanceof Error ? error.message : String(error);
      const failure = {
        ok: false as const,
        latencyMs: performance.now() - started,
        error: { code: 'tool_error' as const, message, details: { code, message } },
      };
      return { ok: false, error: callFailed(identity, tool, call.budgetMs, failure).error };
    }
  }
  const notSandboxed = (tool: string) => () => {
    throw new AdcpError('UNSUPPORTED_FEATURE', { message: `${tool} is not sandboxed` });
  };
  return {
    source: identity,
    capabilities: null,
    creativeTransport: 'inline',
    // Its book takes a package's creatives on updates as on create (in-memory-seller/book.ts).
    inlineCreatives: true,
    // Simulated delivery keeps a buy within its caps' max_impressions, per any reach unit
    // (simulated-reach.ts); it reads the caps the buy was placed with, not later changes.
    frequencyCaps: sandboxCapSupport,
    health: () => ({
      status: 'healthy',
      lastProbeAt: null,
      lastSuccessAt: null,
      lastError: null,
      latencyMs: null,
    }),
    // Seeded products answer the buyer's filters as any seller's would (the storefront ranks).
    getProducts: (request, call) =>
      answer('get_products', call, () => ({
        products: matchingFilters(ledger.products(), request.filters),
      })),
    listCreativeFormats: (_request, call) =>
      answer('list_creative_formats', call, notSandboxed('list_creative_formats')),
    taskStatus: (_taskId, call) => answer('tasks_get', call, notSandboxed('tasks_get')),
    createMediaBuy: (request, call) =>
      answer('create_media_buy', call, () =>
        ledger
          .seller()
          .createMediaBuy(sandboxAccount, request, (request.packages ?? []).map(seededPackageIdOf)),
      ),
    updateMediaBuy: (request, call) =>
      answer('update_media_buy', call, () =>
        ledger.seller().updateMediaBuy(sandboxAccount, request.media_buy_id, request),
      ),
    getMediaBuys: (request, call) =>
      answer('get_media_buys', call, () => ledger.seller().getMediaBuys(sandboxAccount, request)),
    getMediaBuyDelivery: (request, call) =>
      answer('get_media_buy_delivery', call, async () =>
        withSimulated(
          await ledger.seller().getMediaBuyDelivery(sandboxAccount, request),
          ledger.simulated,
        ),
      ),
    syncCreatives: (request, call) =>
      answer('sync_creatives', call, () => ({
        creatives: ledger.seller().syncCreatives(request.creatives),
      })),
    providePerformanceFeedback: (_request, call) =>
      answer('provide_performance_feedback', call, () => ({ success: true as const })),
  };
}

/** Delivery the controller injected replaces the book's clock-based figures. */
function withSimulated(
  response: GetMediaBuyDeliveryResponse,
  simulatedOf: (mediaBuyId: string) => SimulatedDelivery | undefined,
): GetMediaBuyDeliveryResponse {
  return {
    ...response,
    media_buy_deliveries: response.media_buy_deliveries.map((d) => {
      const simulated = simulatedOf(d.media_buy_id);
      if (!simulated) return d;
      const measured = {
        ...(simulated.viewability && { viewability: simulated.viewability }),
        ...(simulated.vendor_metric_values && {
          vendor_metric_values: simulated.vendor_metric_values,
        }),
      };
      const finality = simulated.finality;
      return {
        ...d,
        ...(finality && {
          is_final: finality.is_final,
          ...(finality.finalized_at && { finalized_at: finality.finalized_at }),
        }),
        // The controller's figures are the buy's: a buy of one package reports them on it too.
        ...(d.by_package?.length === 1 && {
          by_package: d.by_package.map((pkg) => ({
            ...pkg,
            impressions: simulated.impressions ?? 0,
            ...(simulated.clicks !== undefined && { clicks: simulated.clicks }),
            spend: simulated.reported_spend?.amount ?? pkg.spend,
            ...measured,
            ...finality,
          })),
        }),
        totals: {
          ...d.totals,
          impressions: simulated.impressions ?? 0,
          clicks: simulated.clicks ?? 0,
          spend: simulated.reported_spend?.amount ?? d.totals.spend,
          ...(simulated.completed_views !== undefined && {
            completed_views: simulated.completed_views,
          }),
          ...reachTotals(simulated, simulated.impressions ?? 0),
          ...measured,
        },
      };
    }),
  };
}
