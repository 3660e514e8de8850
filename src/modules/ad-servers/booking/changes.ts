import type { AdServerAdapter, LineChange } from '../adapters/port.js';
import type { AdServerContext } from '../context.js';
import { BookingRefused, type OrderRow } from './booking-request.js';
import { updateOrder } from './orders-store.js';
import { impressionsFor } from '../../../sources/money.js';

/*
 * Budget and flight changes of a booked order (update_media_buy with `start_time`, `end_time`,
 * or `packages[].budget`): each package's line item gets the impressions goal its new budget buys
 * at the package's CPM, every line item gets the new flight, and the order's record follows once
 * the ad server took them. Creatives are creative-changes.ts'; anything else (new packages,
 * targeting) is refused by name.
 */

export interface ChangeRequest {
  start_time?: unknown;
  end_time?: unknown;
  packages?: unknown;
  new_packages?: unknown;
}

const changeable = new Set(['package_id', 'budget']);

const dateOf = (value: unknown, field: string) => {
  const at = typeof value === 'string' ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new BookingRefused('INVALID_REQUEST', `${field} is not a date-time`, field);
  }
  return at;
};

/** A package's creatives are put by creative-changes.ts, not here. */
const creativeKeys = new Set(['creatives', 'creative_assignments']);

/** The packages' changes with their creatives left out: those that still change anything. */
function packageChanges(packages: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(packages)) return [];
  return (packages as Array<Record<string, unknown>>)
    .map((pkg) => Object.fromEntries(Object.entries(pkg).filter(([k]) => !creativeKeys.has(k))))
    .filter((pkg) => Object.keys(pkg).some((k) => k !== 'package_id'));
}

/** Whether the request asks for a budget or flight change at all (creatives aside). */
export const asksForChanges = (request: ChangeRequest) =>
  ['start_time', 'end_time', 'new_packages'].some(
    (k) => request[k as keyof ChangeRequest] !== undefined,
  ) || packageChanges(request.packages).length > 0;

export async function applyChanges(
  ctx: AdServerContext,
  adapter: AdServerAdapter,
  order: OrderRow,
  request: ChangeRequest,
): Promise<OrderRow> {
  const supported = adapter.updateLineItems
    ? 'budgets, flight, pause, resume and cancel are'
    : 'pause, resume and cancel are';
  const refuse = (what: string) =>
    new BookingRefused(
      'UNSUPPORTED_FEATURE',
      `Changing ${what} of a ${adapter.type} order is not supported yet; ${supported}`,
    );
  if (request.new_packages !== undefined) throw refuse('new_packages');
  if (!adapter.updateLineItems) throw refuse('start_time, end_time, packages');
  if (order.status !== 'active' && order.status !== 'paused') {
    throw new BookingRefused(
      'INVALID_REQUEST',
      `Media buy ${order.id} is ${order.status}: only a live order's budget and flight can change`,
    );
  }
  const start =
    request.start_time === undefined || request.start_time === 'asap'
      ? undefined
      : dateOf(request.start_time, 'start_time');
  const end = request.end_time === undefined ? undefined : dateOf(request.end_time, 'end_time');
  if ((end ?? order.endTime) <= (start ?? order.startTime)) {
    throw new BookingRefused('INVALID_REQUEST', 'end_time must be after start_time', 'end_time');
  }
  const packages = packageChanges(request.packages);
  const budgets = new Map<string, number>();
  for (const pkg of packages) {
    const extra = Object.keys(pkg).filter((k) => !changeable.has(k));
    if (extra.length) throw refuse(extra.map((k) => `packages.${k}`).join(', '));
    const line = order.lines.find((l) => l.packageId === pkg['package_id']);
    if (!line) {
      throw new BookingRefused(
        'PACKAGE_NOT_FOUND',
        `No package ${String(pkg['package_id'])}`,
        'packages.package_id',
      );
    }
    if (pkg['budget'] === undefined) continue;
    if (typeof pkg['budget'] !== 'number' || !(pkg['budget'] > 0)) {
      throw new BookingRefused(
        'INVALID_REQUEST',
        'budget must be a positive number',
        'packages.budget',
      );
    }
    budgets.set(line.packageId, pkg['budget']);
  }
  // A new budget is a new goal: what it buys at the line's CPM.
  const goalOf = (l: (typeof order.lines)[number]) => {
    const budget = budgets.get(l.packageId);
    return budget === undefined
      ? {}
      : { impressions: impressionsFor(budget, l.cpm, { atLeastOne: true }) };
  };
  const changes: LineChange[] = order.lines
    .filter((l) => l.lineItemId && (start || end || budgets.has(l.packageId)))
    .map((l) => ({
      lineItemId: l.lineItemId!,
      ...goalOf(l),
      ...(start && { start }),
      ...(end && { end }),
    }));
  if (changes.length) await adapter.updateLineItems(changes);
  return updateOrder(ctx.db, order.id, {
    lines: order.lines.map((l) => ({
      ...l,
      budget: budgets.get(l.packageId) ?? l.budget,
      ...goalOf(l),
    })),
    ...(start && { startTime: start }),
    ...(end && { endTime: end }),
    updatedAt: ctx.now(),
  });
}
