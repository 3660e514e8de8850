import type { Db } from '../../../../platform/db/database.js';
import type { StoredSourceRow } from '../../../inventory-sources/index.js';
import type { ModularRow } from '../../context.js';
import { cancellationKind, modesOf, updateKindOf } from '../../setup/modes.js';
import * as items from '../../work-items/store.js';
import type { WorkItemRow } from '../../work-items/store.js';
import { buyPayload } from '../payload.js';
import { stagesOf } from '../flow/stages.js';
import type { BuyRow } from '../store.js';

/** A buyer's change of a buy (update_media_buy) that a person may have to make upstream. */
export type BuyerChange = 'cancel' | 'pause' | 'resume' | 'amend';

/**
 * The human work a buyer's change of a buy opens when a person booked or trafficked it by hand
 * (docs/modular-sources.md, "Work items"): Interchange changes its own records at once (capacity
 * released, status), but what a person did in the publisher's systems only a person undoes.
 *
 * - cancel: APPROVE_MEDIA_BUY_CANCELLATION when the buy was booked in an order system
 *   (upstreamOrderId), trafficked (upstreamCampaignId), or a person had claimed its booking or
 *   trafficking (they may be doing it now). Once per buy.
 * - pause / resume / amend (a new flight, budget, impressions, package pause or creatives) of a
 *   trafficked buy: UPDATE_IN_<SYSTEM>, once per buyer request (its idempotency key: a retry
 *   finds the same item). A pause or resume still OPEN for the opposite change is cancelled
 *   instead: the two undo each other before anyone acted.
 *
 * `claimed`: the buy's open items a person had claimed (IN_PROGRESS) before the change.
 */
export async function openChangeWork(
  tx: Db,
  now: Date,
  source: { row: StoredSourceRow; modular: ModularRow },
  buy: BuyRow,
  change: { kind: BuyerChange; key: string; claimed: WorkItemRow[] },
): Promise<WorkItemRow | undefined> {
  const { row, modular } = source;
  const modes = modesOf(modular.setup);
  const stages = await stagesOf(tx, row, modular);
  const trafficSystem = stages.systemName('execution') ?? modular.setup.execution.systemName;
  const bookingSystem = modular.setup.booking.systemName;
  const h = buy.handoff;
  const trafficked = modes.execution !== 'none' && Boolean(h.traffickedAt);
  const where = [
    ...(h.upstreamCampaignId || trafficked
      ? [
          `${trafficSystem ?? 'the ad server'}${h.upstreamCampaignId ? ` (campaign ${h.upstreamCampaignId})` : ''}`,
        ]
      : []),
    ...(h.upstreamOrderId
      ? [`${bookingSystem ?? 'the order system'} (order ${h.upstreamOrderId})`]
      : []),
  ];
  const stage = stages.find('UPDATE_CAMPAIGN');
  const common = {
    storefrontId: row.storefrontId,
    inventorySourceId: row.id,
    moduleRowId: stage?.moduleRowId ?? null,
    stage: 'UPDATE_CAMPAIGN',
    mediaBuyId: buy.id,
    buyerCustomerId: buy.buyerCustomerId,
    createdByType: 'buyer',
    createdById: `customer:${buy.buyerCustomerId}`,
  };
  const references = {
    ...(h.upstreamCampaignId && { upstreamCampaignId: h.upstreamCampaignId }),
    ...(h.upstreamOrderId && { upstreamOrderId: h.upstreamOrderId }),
    ...(trafficSystem && { trafficSystem }),
    ...(bookingSystem && { bookingSystem }),
  };

  if (change.kind === 'cancel') {
    if (where.length === 0 && change.claimed.length === 0) return undefined;
    const places = where.length
      ? where.join(' and ')
      : `wherever ${change.claimed.map((i) => i.assignedTo ?? 'its assignee').join(', ')} began booking or trafficking it`;
    return items.open(tx, {
      ...common,
      kind: cancellationKind,
      priority: 'HIGH',
      title: `Take media buy ${buy.id} down in ${places}: its buyer canceled it`,
      description:
        'Interchange canceled the buy and gave its capacity back; complete this once it no longer books or serves upstream.',
      resourceType: 'MEDIA_BUY',
      resourceId: buy.id,
      payload: {
        ...buyPayload(buy),
        change: 'cancel',
        canceledAt: now.toISOString(),
        ...references,
        claimedWork: change.claimed.map((i) => ({
          id: i.id,
          kind: i.kind,
          assignedTo: i.assignedTo,
        })),
      },
    });
  }

  if (!trafficked) return undefined;
  const kind = updateKindOf(trafficSystem);
  if (change.kind !== 'amend') {
    const opposite = change.kind === 'pause' ? 'resume' : 'pause';
    const undone = (await items.openFor(tx, row.id, buy.id)).find(
      (i) => i.kind === kind && i.status === 'OPEN' && i.payload['change'] === opposite,
    );
    if (undone) {
      await items.transition(tx, undone.id, ['OPEN'], {
        status: 'CANCELLED',
        blockedReason: `The buyer asked to ${change.kind} it again before anyone acted`,
      });
      return undefined;
    }
  }
  const said = {
    pause: ['Pause', 'paused', 'paused'],
    resume: ['Resume', 'resumed', 'live'],
    amend: ['Change', 'changed', 'with its new flight, budgets and creatives'],
  }[change.kind];
  return items.open(tx, {
    ...common,
    kind,
    title: `${said[0]} media buy ${buy.id} in ${where.join(' and ')}: its buyer ${said[1]} it`,
    description: `Interchange shows the buy ${said[2]} to its buyer; complete this once ${trafficSystem ?? 'the ad server'} does the same.`,
    resourceType: 'MEDIA_BUY_CHANGE',
    resourceId: `${buy.id}:${change.key}`,
    payload: { ...buyPayload(buy), change: change.kind, at: now.toISOString(), ...references },
  });
}
