import type { FakeNetwork, Obj } from './network.js';

/*
 * The fake Ad Manager's forecasts and order approval, written from developers.google.com/
 * ad-manager/api/forecasting and the v202505 reference (ForecastService.getAvailabilityForecast,
 * AvailabilityForecast, OrderService.OrderStatus, LineItemService.ComputedStatus):
 * - getAvailabilityForecast takes a ProspectiveLineItem (`lineItem` holding a LineItem) and
 *   answers an AvailabilityForecast: matchedUnits is what the targeting matches over the flight
 *   (20,000 impressions a day per ad unit, 40% of that per custom-targeting key), possibleUnits
 *   the same, availableUnits what the network's non-archived line items over the same inventory
 *   have not already booked.
 * - ApproveOrders approves a DRAFT order (its line items become DELIVERING once their start has
 *   passed, READY before), or, on a network whose approval workflow holds orders, leaves it
 *   PENDING_APPROVAL until an approver decides (decideOrder: APPROVED or DISAPPROVED).
 */

const perAdUnitDaily = 20_000;
const perKeyShare = 0.4;
const dayMs = 86_400_000;

const asList = (v: unknown): unknown[] =>
  v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v];

function dateOf(value: unknown): Date {
  const dt = (value ?? {}) as Obj;
  const d = (dt['date'] ?? {}) as Obj;
  return new Date(
    Date.UTC(
      Number(d['year']),
      Number(d['month']) - 1,
      Number(d['day']),
      Number(dt['hour'] ?? 0),
      Number(dt['minute'] ?? 0),
    ),
  );
}

/** The ad units a line item's inventory targeting reaches (placements expanded). */
function unitsOf(network: FakeNetwork, lineItem: Obj): Set<string> {
  const inventory = ((lineItem['targeting'] as Obj | undefined)?.['inventoryTargeting'] ??
    {}) as Obj;
  const units = new Set(
    asList(inventory['targetedAdUnits']).map((u) => String((u as Obj)['adUnitId'])),
  );
  for (const id of asList(inventory['targetedPlacementIds'])) {
    const placement = network.placements.find((p) => String(p['id']) === String(id));
    for (const unit of asList(placement?.['targetedAdUnitIds'])) units.add(String(unit));
  }
  return units;
}

function keyCount(lineItem: Obj): number {
  const top = (lineItem['targeting'] as Obj | undefined)?.['customTargeting'] as Obj | undefined;
  const inner = asList(top?.['children'])[0] as Obj | undefined;
  return asList(inner?.['children']).length;
}

export class ForecastFault extends Error {
  constructor(
    readonly type: string,
    readonly reason: string,
    readonly fieldPath: string,
  ) {
    super(`${type}.${reason}`);
  }
}

export function availabilityForecast(network: FakeNetwork, params: Obj): Obj {
  const lineItem = ((params['lineItem'] as Obj | undefined)?.['lineItem'] ?? {}) as Obj;
  const start = dateOf(lineItem['startDateTime']);
  const end = dateOf(lineItem['endDateTime']);
  if (!(end > start))
    throw new ForecastFault('ForecastError', 'ZERO_LENGTH_RESERVATION', 'lineItem.endDateTime');
  const units = unitsOf(network, lineItem);
  if (!units.size)
    throw new ForecastFault(
      'InventoryTargetingError',
      'AT_LEAST_ONE_PLACEMENT_OR_INVENTORY_UNIT_REQUIRED',
      'lineItem.targeting.inventoryTargeting',
    );
  const days = Math.ceil((end.getTime() - start.getTime()) / dayMs);
  const matched = Math.floor(
    units.size * perAdUnitDaily * days * perKeyShare ** keyCount(lineItem),
  );
  let booked = 0;
  for (const other of network.lineItems.values()) {
    if (other['isArchived'] === true) continue;
    if (![...unitsOf(network, other)].some((u) => units.has(u))) continue;
    booked += Number((other['primaryGoal'] as Obj | undefined)?.['units'] ?? 0);
  }
  return {
    unitType: 'IMPRESSIONS',
    availableUnits: Math.max(0, matched - booked),
    deliveredUnits: 0,
    matchedUnits: matched,
    possibleUnits: matched,
    reservedUnits: booked,
  };
}

/** Line items of an approved order: serving once their start has passed. */
function release(network: FakeNetwork, order: Obj) {
  for (const li of network.lineItems.values()) {
    if (String(li['orderId']) !== String(order['id'])) continue;
    li['status'] = dateOf(li['startDateTime']).getTime() <= Date.now() ? 'DELIVERING' : 'READY';
  }
}

/** ApproveOrders on one order: approved at once, or held for the network's approver. */
export function approveOrder(network: FakeNetwork, order: Obj, hold: boolean) {
  if (hold && order['status'] === 'DRAFT') {
    order['status'] = 'PENDING_APPROVAL';
    return;
  }
  if (order['status'] === 'PENDING_APPROVAL' && hold) return;
  order['status'] = 'APPROVED';
  release(network, order);
}

/** The network's approver decides an order waiting for approval. */
export function decideOrder(
  network: FakeNetwork,
  orderId: string,
  decision: 'APPROVED' | 'DISAPPROVED',
  notes?: string,
) {
  const order = network.orders.get(orderId);
  if (!order) throw new Error(`no order ${orderId}`);
  order['status'] = decision;
  if (notes) order['notes'] = notes;
  if (decision === 'APPROVED') release(network, order);
  else
    for (const li of network.lineItems.values())
      if (String(li['orderId']) === orderId) li['status'] = 'DISAPPROVED';
}
