import { runOutcomeOf } from '../insights/payload.js';
import type { MediaBuyFacts, RunFacts } from './facts.js';
import { leftOutView } from './left-out.js';

/**
 * A discovery run as the hosted intelligence-run record. Composition here is deterministic
 * (no language model): prompt is empty, model fields say so, LLM payloads are null. The
 * commercial outcome is the run's last-touch attributed outcome.
 */
export function intelligenceRunOf(facts: RunFacts, buys: ReadonlyMap<string, MediaBuyFacts>) {
  const { run, result, asks } = facts;
  const failed = run.sourceOutcomes.filter((o) => !o.ok);
  return {
    id: String(run.id),
    purpose: 'live' as const,
    storefrontId: String(run.storefrontId),
    buyerCustomerId: run.buyerCustomerId,
    operatingInstructionsVersion: 0,
    buyerScope: {
      operatorDomain: run.operatorDomain,
      brandDomain: run.brandDomain,
      country: run.country,
    },
    buyerInstructions: {
      matchedRowIds: [],
      effectiveDiscountPercent: run.discountPercent,
      notes: [],
    },
    brief: run.brief,
    buyingMode: run.buyingMode ?? 'brief',
    inventorySnapshot: { sources: run.sourceOutcomes },
    prompt: '',
    rawLlmOutput: null,
    parsedOutput: null,
    runRationale: run.postureRationale,
    explanation: {
      summary: `${run.productIds.length} products shown from ${run.sourceOutcomes.length} sources`,
      selectedProducts: run.productIds.map((productId) => ({
        productId,
        name: null,
        description: null,
        reasoning: null,
        pricing: null,
        bundleIds: [],
        signalIds: [],
        formatIds: [],
      })),
      unpricedProducts: [],
      buyerInstructionNotes: [],
      pricingNotes:
        run.discountPercent !== null ? [`Buyer discount of ${run.discountPercent}% applied`] : [],
      failure:
        result.kind === 'error'
          ? {
              code: result.code,
              message: failed.map((o) => `${o.sourceId}: ${o.errorCode ?? 'failed'}`).join('; '),
            }
          : null,
    },
    composedProductIds: run.productIds,
    result: {
      kind: result.kind,
      code: result.code,
      message: result.kind === 'skipped' ? 'No inventory source was asked' : null,
    },
    modelProvider: null,
    modelName: 'deterministic',
    durationMs: run.durationMs,
    refineSnapshot: run.refine,
    refinementAppliedSnapshot: null,
    requestAsks: asks.requestAsks,
    shownProductsSnapshot: run.productIds,
    pricingSummary: null,
    negotiationSummary: {
      selectedPosture: run.selectedPosture,
      recommendedPosture: run.recommendedPosture,
      requestAskCount: asks.requestAskCount,
      productAskCount: asks.productAskCount,
      proposalAskCount: asks.proposalAskCount,
      hadPriceObjection: asks.hadPriceObjection,
      hadPackagingAsk: asks.hadPackagingAsk,
    },
    commercialOutcome: runOutcomeOf(facts, buys),
    leftOut: leftOutView(run.leftOut),
    evalLabel: null,
    createdAt: run.createdAt.toISOString(),
  };
}
