import type { FakeNetwork, Obj } from './network.js';
import { approveOrder, availabilityForecast, ForecastFault } from './forecast-and-approval.js';
import { matches, parsePql, type Statement } from './pql.js';
import { adUnitsSince, adUnitWithEdits, objectsSince, takeModifiedSince } from './changes.js';
import { firstAdUnitId, rootAdUnitId } from './network.js';
import { arraySource, asList, Fault, page } from './soap.js';

/*
 * The fake Ad Manager's SOAP methods, each answering what the v2025xx reference documents for
 * it: inventory reads (paged by PQL), trafficking writes and actions, forecasts and report jobs.
 */

/** What the methods share with the server around them. */
/** A report job as run: its line items, days, network and the columns asked for. */
export interface ReportJob {
  lineItemIds: string[];
  from: Date;
  to: Date;
  networkCode: string;
  columns: string[];
}

export interface DispatchContext {
  newId(): string;
  /** The server's base URL (report downloads point there). */
  base(): string;
  reports: Map<string, ReportJob>;
  /** A line item whose name contains this marker is refused (and so its whole create call). */
  refuseLineItemsNamed?: string | undefined;
  /** Orders approved through the API wait PENDING_APPROVAL for the network's approver. */
  holdOrdersForApproval?: boolean | undefined;
}

const unhandled = Symbol('unhandled');

/** Answers `method` on `network`, or throws the Fault the API would. */
export function dispatchSoap(
  ctx: DispatchContext,
  network: FakeNetwork,
  method: string,
  params: Obj,
): unknown {
  const inventoryAnswer = inventory(ctx, network, method, params);
  if (inventoryAnswer !== unhandled) return inventoryAnswer;
  const traffickingAnswer = trafficking(ctx, network, method, params);
  if (traffickingAnswer !== unhandled) return traffickingAnswer;
  return forecastsAndReports(ctx, network, method, params);
}

/** Network, ad units, placements, targeting keys and companies. */
function inventory(
  ctx: DispatchContext,
  network: FakeNetwork,
  method: string,
  params: Obj,
): unknown {
  const statementOf = (key = 'filterStatement') =>
    parsePql(String((params[key] as Obj | undefined)?.['query'] ?? ''));
  const filterValues = () => (params['filterStatement'] as Obj | undefined)?.['values'];
  switch (method) {
    case 'getCurrentNetwork':
      return {
        id: 1,
        displayName: network.displayName,
        networkCode: network.networkCode,
        currencyCode: network.currencyCode,
        timeZone: 'America/New_York',
        effectiveRootAdUnitId: rootAdUnitId,
      };
    case 'getCurrentUser':
      return network.users[0];
    case 'getAdUnitsByStatement': {
      const st = statementOf();
      const since = takeModifiedSince(st, filterValues());
      if (since !== null) return page(adUnitsSince(network, since), st);
      return page(
        {
          count: network.adUnitCount,
          at: (i) => adUnitWithEdits(network, i),
          startAfterId: (id) => Math.max(0, id - firstAdUnitId + 1),
        },
        st,
      );
    }
    case 'getPlacementsByStatement': {
      const st = statementOf();
      const since = takeModifiedSince(st, filterValues());
      if (since === null) return page(arraySource(network.placements), st);
      return page(objectsSince(network, 'placement', network.placements, since), st);
    }
    case 'getCustomTargetingKeysByStatement':
      return page(arraySource(network.keys), statementOf());
    case 'getCustomTargetingValuesByStatement':
      return page(arraySource(network.values), statementOf());
    case 'getCompaniesByStatement': {
      const st = statementOf();
      const since = takeModifiedSince(st, filterValues());
      if (since === null) return page(arraySource(network.companies), st);
      return page(objectsSince(network, 'company', network.companies, since), st);
    }
    case 'createCompanies':
      return asList(params['companies']).map((c) => {
        const company = { ...(c as Obj), id: ctx.newId() };
        network.companies.push(company);
        return company;
      });
    default:
      return unhandled;
  }
}

/** Orders, line items, creatives and their associations, and actions on them. */
function trafficking(
  ctx: DispatchContext,
  network: FakeNetwork,
  method: string,
  params: Obj,
): unknown {
  const statementOf = (key = 'filterStatement') =>
    parsePql(String((params[key] as Obj | undefined)?.['query'] ?? ''));
  switch (method) {
    case 'getOrdersByStatement':
      return page(arraySource([...network.orders.values()]), statementOf());
    case 'createOrders':
      return asList(params['orders']).map((o) => {
        const order = o as Obj;
        if (!order['advertiserId'])
          throw new Fault('RequiredError', 'REQUIRED', 'orders[0].advertiserId');
        const created = { ...order, id: ctx.newId(), status: 'DRAFT', isArchived: false };
        network.orders.set(String(created.id), created);
        return created;
      });
    case 'createLineItems': {
      const items = asList(params['lineItems']) as Obj[];
      items.forEach((li, i) => {
        if (!network.orders.has(String(li['orderId'])))
          throw new Fault('CommonError', 'NOT_FOUND', `lineItems[${i}].orderId`);
        if (ctx.refuseLineItemsNamed && String(li['name']).includes(ctx.refuseLineItemsNamed)) {
          throw new Fault(
            'InventoryTargetingError',
            'AT_LEAST_ONE_PLACEMENT_OR_INVENTORY_UNIT_REQUIRED',
            `lineItems[${i}].targeting`,
          );
        }
      });
      // All or none, as the API creates a batch.
      return items.map((li) => {
        const created = { ...li, id: ctx.newId(), status: 'DRAFT', isArchived: false };
        network.lineItems.set(String(created.id), created);
        return created;
      });
    }
    case 'updateLineItems':
      // The whole object replaces the stored one (LineItemService.updateLineItems).
      return asList(params['lineItems']).map((li, i) => {
        const id = String((li as Obj)['id']);
        const stored = network.lineItems.get(id);
        if (!stored) throw new Fault('CommonError', 'NOT_FOUND', `lineItems[${i}].id`);
        if (!(li as Obj)['orderId'] || !(li as Obj)['targeting']) {
          throw new Fault('RequiredError', 'REQUIRED', `lineItems[${i}]`);
        }
        const updated = { ...(li as Obj), status: stored['status'], isArchived: false };
        network.lineItems.set(id, updated);
        return updated;
      });
    case 'getLineItemsByStatement':
      return page(arraySource([...network.lineItems.values()]), statementOf());
    case 'createCreatives':
      return asList(params['creatives']).map((c) => {
        const creative = c as Obj;
        const type = String(creative['@_type'] ?? 'Creative');
        if (
          type === 'ImageCreative' &&
          !(creative['primaryImageAsset'] as Obj | undefined)?.['assetByteArray']
        ) {
          throw new Fault(
            'RequiredError',
            'REQUIRED',
            'creatives[0].primaryImageAsset.assetByteArray',
          );
        }
        const created = { ...creative, id: ctx.newId(), $type: type };
        delete (created as Obj)['@_type'];
        network.creatives.set(String(created.id), created);
        return created;
      });
    case 'createLineItemCreativeAssociations':
      return asList(params['lineItemCreativeAssociations']).map((a) => {
        const lica = a as Obj;
        if (
          !network.lineItems.has(String(lica['lineItemId'])) ||
          !network.creatives.has(String(lica['creativeId']))
        ) {
          throw new Fault('CommonError', 'NOT_FOUND', 'lineItemCreativeAssociations[0]');
        }
        const created = { ...lica, status: 'ACTIVE' };
        network.associations.push(created);
        return created;
      });
    case 'performLineItemCreativeAssociationAction':
      return associationAction(network, params, statementOf());
    case 'performOrderAction': {
      const action = String((params['orderAction'] as Obj | undefined)?.['@_type']);
      const st = statementOf();
      let changes = 0;
      for (const order of network.orders.values()) {
        if (!matches(order, st.conditions)) continue;
        changes++;
        if (action === 'ApproveOrders')
          approveOrder(network, order, ctx.holdOrdersForApproval === true);
        else if (action === 'ArchiveOrders') {
          order['isArchived'] = true;
          for (const li of network.lineItems.values())
            if (String(li['orderId']) === String(order['id'])) li['isArchived'] = true;
        } else if (action === 'PauseOrders') order['status'] = 'PAUSED';
        else throw new Fault('ApiError', 'UNKNOWN_ACTION', 'orderAction');
      }
      return { numChanges: changes };
    }
    case 'performLineItemAction': {
      const action = String((params['lineItemAction'] as Obj | undefined)?.['@_type']);
      const st = statementOf();
      let changes = 0;
      for (const li of network.lineItems.values()) {
        if (!matches(li, st.conditions)) continue;
        changes++;
        li['status'] =
          action === 'PauseLineItems'
            ? 'PAUSED'
            : action === 'ResumeLineItems'
              ? 'READY'
              : li['status'];
      }
      return { numChanges: changes };
    }
    default:
      return unhandled;
  }
}

/** Availability forecasts and report jobs; anything else is an unknown operation. */
function forecastsAndReports(
  ctx: DispatchContext,
  network: FakeNetwork,
  method: string,
  params: Obj,
): unknown {
  switch (method) {
    case 'getAvailabilityForecast':
      try {
        return availabilityForecast(network, params);
      } catch (error) {
        if (error instanceof ForecastFault)
          throw new Fault(error.type, error.reason, error.fieldPath);
        throw error;
      }
    case 'runReportJob': {
      const query = ((params['reportJob'] as Obj)['reportQuery'] ?? {}) as Obj;
      const ymd = (d: Obj) =>
        new Date(Date.UTC(Number(d['year']), Number(d['month']) - 1, Number(d['day'])));
      const st = parsePql(String((query['statement'] as Obj | undefined)?.['query'] ?? ''));
      const lineItemIds = st.conditions.find((c) => c.field === 'LINE_ITEM_ID')?.values ?? [];
      const id = ctx.newId();
      ctx.reports.set(id, {
        lineItemIds,
        from: ymd(query['startDate'] as Obj),
        to: ymd(query['endDate'] as Obj),
        networkCode: network.networkCode,
        columns: [query['columns'] ?? []].flat().map(String),
      });
      return { id, reportQuery: query };
    }
    case 'getReportJobStatus':
      if (!ctx.reports.has(String(params['reportJobId'])))
        throw new Fault('ReportError', 'REPORT_NOT_FOUND', 'reportJobId');
      return 'COMPLETED';
    case 'getReportDownloadURL':
      if (!ctx.reports.has(String(params['reportJobId'])))
        throw new Fault('ReportError', 'REPORT_NOT_FOUND', 'reportJobId');
      return `${ctx.base()}/download/report-${String(params['reportJobId'])}.csv.gz`;
    default:
      throw new Fault('ApiError', 'UNSUPPORTED_OPERATION', method);
  }
}

/**
 * Deactivate/ActivateLineItemCreativeAssociations on the associations the statement names
 * (LineItemCreativeAssociationService): the creative stops or resumes serving on the line item.
 */
function associationAction(network: FakeNetwork, params: Obj, st: Statement) {
  const action = String(
    (params['lineItemCreativeAssociationAction'] as Obj | undefined)?.['@_type'],
  );
  const status = {
    DeactivateLineItemCreativeAssociations: 'INACTIVE',
    ActivateLineItemCreativeAssociations: 'ACTIVE',
  }[action];
  if (!status) throw new Fault('ApiError', 'UNKNOWN_ACTION', 'lineItemCreativeAssociationAction');
  const named = network.associations.filter((a) => matches(a, st.conditions));
  for (const lica of named) lica['status'] = status;
  return { numChanges: named.length };
}
