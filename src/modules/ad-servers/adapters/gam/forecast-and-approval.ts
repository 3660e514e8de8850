import type { AvailabilityForecast, ForecastTarget, LinePlan, OrderState } from '../port.js';
import { AdServerError } from '../port.js';
import { lineItemOf } from './objects.js';
import type { SoapCall } from './soap.js';
import { child, list, text, type XmlObject } from '../shared/xml.js';

/*
 * Two reads of Ad Manager that follow a product and an order (developers.google.com/ad-manager/
 * api/forecasting and the v202505 reference of ForecastService, OrderService.OrderStatus and
 * LineItemService.ComputedStatus):
 * - availability: ForecastService.getAvailabilityForecast with a ProspectiveLineItem (a standard
 *   CPM line item over the product's targeting and a flight, never saved), answered as an
 *   AvailabilityForecast (availableUnits, possibleUnits, matchedUnits). The Ad Manager REST API
 *   (v1, beta) has networks.runAvailabilityForecast, but it forecasts only an existing line item
 *   (`existingLineItem`); a product that is not booked yet needs the SOAP call's prospective one.
 * - an order's approval: the order's status (DRAFT, PENDING_APPROVAL, APPROVED, DISAPPROVED,
 *   PAUSED, CANCELED, DELETED) and its line items' computed status (READY, DELIVERING, …).
 */

const number = (node: XmlObject, name: string) => Number(text(node, name) ?? 0) || 0;

export async function availabilityForecast(
  call: SoapCall,
  target: ForecastTarget,
): Promise<AvailabilityForecast> {
  const plan: LinePlan = {
    packageId: 'forecast',
    name: 'Interchange availability forecast',
    start: target.start,
    end: target.end,
    cpm: target.cpm,
    impressions: 1,
    adUnitIds: target.adUnitIds,
    placementIds: target.placementIds,
    keyValues: target.keyValues,
    sizes: target.sizes.length ? target.sizes : [{ width: 300, height: 250 }],
  };
  // A prospective line item belongs to no order yet.
  const { orderId: _orderId, ...lineItem } = lineItemOf('', plan, target.currency) as Record<
    string,
    never
  >;
  const rval = child(
    await call('ForecastService', 'getAvailabilityForecast', {
      lineItem: { lineItem },
      forecastOptions: {
        includeTargetingCriteriaBreakdown: false,
        includeContendingLineItems: false,
      },
    }),
    'rval',
  );
  return {
    unitType: text(rval, 'unitType') ?? 'IMPRESSIONS',
    available: number(rval, 'availableUnits'),
    possible: number(rval, 'possibleUnits'),
    matched: number(rval, 'matchedUnits'),
  };
}

/** Line item statuses in which Ad Manager is serving it. */
const serving = new Set(['DELIVERING', 'DELIVERY_EXTENDED']);

export async function orderState(call: SoapCall, orderId: string): Promise<OrderState> {
  const id = Number(orderId);
  const order = list(
    child(
      await call('OrderService', 'getOrdersByStatement', {
        filterStatement: { query: `WHERE id = ${id} LIMIT 1` },
      }),
      'rval',
    ),
    'results',
  )[0];
  if (!order) throw new AdServerError('ADAPTER_REFUSED', `Order ${id} is not in Ad Manager`);
  const status = text(order, 'status') ?? 'UNKNOWN';
  const notes = text(order, 'notes');
  if (text(order, 'isArchived') === 'true' || status === 'CANCELED' || status === 'DELETED') {
    return {
      state: 'ended',
      adServerStatus: text(order, 'isArchived') === 'true' ? 'ARCHIVED' : status,
    };
  }
  if (status === 'DISAPPROVED') {
    return {
      state: 'rejected',
      adServerStatus: status,
      reason: `Ad Manager disapproved the order${notes ? `: ${notes}` : ''}`,
    };
  }
  if (status !== 'APPROVED') return { state: 'pending', adServerStatus: status };
  const lineItems = list(
    child(
      await call('LineItemService', 'getLineItemsByStatement', {
        filterStatement: { query: `WHERE orderId = ${id} LIMIT 500` },
      }),
      'rval',
    ),
    'results',
  );
  const statuses = lineItems.map((li) => text(li, 'status') ?? 'UNKNOWN');
  const disapproved = statuses.includes('DISAPPROVED');
  if (disapproved) {
    return {
      state: 'rejected',
      adServerStatus: 'DISAPPROVED',
      reason: 'Ad Manager disapproved a line item of the order',
    };
  }
  return statuses.some((s) => serving.has(s))
    ? { state: 'delivering', adServerStatus: 'DELIVERING' }
    : { state: 'approved', adServerStatus: statuses[0] ?? status };
}
