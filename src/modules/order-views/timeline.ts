import { budgetOf, confirmedBudgetOf, flightStartShown } from './views.js';
import type { MediaBuyReadRow } from './store.js';

type EventRow = {
  id: number;
  createdAt: Date;
  event: string;
  detail: Record<string, unknown>;
};

type StageName =
  'received' | 'screened' | 'decided' | 'forwarded' | 'forward_failed' | 'rejected' | 'delivering';

const stageOf: Record<string, StageName> = {
  media_buy_submitted_for_approval: 'screened',
  media_buy_forwarded: 'forwarded',
  media_buy_forward_failed: 'forward_failed',
  media_buy_rejected: 'rejected',
  delivery_reported: 'delivering',
};

const evidenceOf = (e: EventRow) => ({
  at: e.createdAt.toISOString(),
  kind: 'exchange_event' as const,
  eventType: e.event,
  outcome: typeof e.detail['outcome'] === 'string' ? e.detail['outcome'] : null,
  errorCode: null,
  recovery: null,
  attemptNumber: null,
  hiddenCount: null,
  detail: null,
});

/** Payload fields the seller must not see: the buyer's push config and signing material. */
function sellerSafe(payload: Record<string, unknown>): Record<string, unknown> {
  const {
    push_notification_config: _push,
    reporting_webhook: _webhook,
    ...rest
  } = payload as Record<string, unknown> & { push_notification_config?: unknown };
  return rest;
}

/**
 * One buy's timeline (hosted StorefrontMediaBuyTimelineResponse): received, the approval
 * decision, forwarding and delivery as stages with the outcome events as evidence, and one leg
 * per source the buy was forwarded to.
 */
export function timelineOf(row: MediaBuyReadRow, events: EventRow[], truncated: boolean) {
  const { buy } = row;
  const stages: {
    stage: StageName;
    at: string | null;
    detail: string | null;
    evidence: ReturnType<typeof evidenceOf>[];
  }[] = [{ stage: 'received', at: buy.createdAt.toISOString(), detail: null, evidence: [] }];
  const push = (stage: StageName, at: Date | null, detail: string | null, ev: EventRow[] = []) =>
    stages.push({ stage, at: at?.toISOString() ?? null, detail, evidence: ev.map(evidenceOf) });
  const ofStage = (stage: StageName) => events.filter((e) => stageOf[e.event] === stage);
  if (buy.approvalMode === 'manual') {
    push('screened', buy.createdAt, 'Held for the operator’s approval', ofStage('screened'));
    if (buy.reviewedAt) {
      push('decided', buy.reviewedAt, `${buy.approvalStatus} by ${buy.reviewedBy ?? 'operator'}`);
    }
  }
  for (const stage of ['forwarded', 'forward_failed', 'rejected', 'delivering'] as const) {
    const ev = ofStage(stage);
    if (ev.length > 0) push(stage, ev[0]!.createdAt, null, ev);
  }
  const payload = sellerSafe(buy.submittedPayload);
  const legs = (buy.forwardResult ?? []).map((leg) => ({
    sourceId: leg.sourceId,
    sourceName: null,
    sourceKind: 'adcp',
    currentStatus: leg.mediaBuyStatus ?? leg.status,
    forwardedAt: buy.forwardedAt?.toISOString() ?? null,
    responseReceivedAt: buy.forwardedAt?.toISOString() ?? null,
    theirReference: { mediaBuyId: leg.upstreamMediaBuyId ?? null, taskId: null },
    platformReference: {
      idempotencyKey: buy.idempotencyKey,
      requestedAt: buy.createdAt.toISOString(),
    },
    stages: [
      {
        stage: leg.status === 'failed' ? ('forward_failed' as const) : ('forwarded' as const),
        at: buy.forwardedAt?.toISOString() ?? null,
        detail: leg.error?.message ?? null,
        evidence: [],
      },
    ],
    forwardedPayload: null,
    responsePayload: null,
    payloadHighlights: {
      flightStart: flightStartShown(buy),
      flightEnd: typeof payload['end_time'] === 'string' ? payload['end_time'] : null,
      // As the sources last confirmed it, the booked one beside it.
      budget: confirmedBudgetOf(buy),
      bookedBudget: budgetOf(payload),
      currency: null,
      packageCount: leg.packages?.length ?? null,
      productIds: [...new Set((leg.packages ?? []).map((p) => p.productId))],
      targetingKeys: [],
    },
    replayed: null,
    note: null,
  }));
  return {
    mediaBuyId: buy.mediaBuyId,
    buyer: { customerId: buy.buyerCustomerId, name: row.buyerName ?? null },
    approval:
      buy.approvalMode === 'manual'
        ? {
            status: buy.approvalStatus ?? 'pending',
            submittedAt: buy.createdAt.toISOString(),
            reviewedBy: buy.reviewedBy,
            reviewedAt: buy.reviewedAt?.toISOString() ?? null,
            reviewerNotes: buy.reviewerNotes,
            forwardedAt: buy.forwardedAt?.toISOString() ?? null,
            submittedPayload: payload,
          }
        : null,
    stages,
    legs,
    eventsTruncated: truncated,
  };
}
