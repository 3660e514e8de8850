import type { SourceUpdateRequest } from '../../inventory-sources/index.js';
import type { BuyChange, ProviderAdapter } from '../contract.js';
import { ProviderError } from '../errors.js';
import type { BuyRow } from '../store.js';

/*
 * Budget and flight changes of a booked adapter buy (update_media_buy with `start_time`,
 * `end_time` or `packages[].budget`), read and checked before the provider hears of them: each
 * named package must be the buy's, each budget positive, the flight still ending after it
 * starts and after now, and a start moved only while the buy has not started. Anything else a
 * package update carries (targeting, creatives, bids) and new packages are refused by name, as
 * is any change for a provider whose adapter cannot make it.
 */

const changeable = new Set(['package_id', 'buyer_ref', 'budget']);

const dateOf = (value: unknown, field: string) => {
  const at = typeof value === 'string' ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new ProviderError('INVALID_REQUEST', `${field} is not a date-time`);
  }
  return at;
};

/** Whether the request asks for anything but pause, resume or cancel. */
export const asksForChanges = (request: SourceUpdateRequest) =>
  (['start_time', 'end_time', 'packages', 'new_packages'] as const).some(
    (k) => request[k] !== undefined,
  );

export function changeOf(
  adapter: ProviderAdapter,
  buy: BuyRow,
  request: SourceUpdateRequest,
  now: Date,
): BuyChange {
  const refuse = (what: string) =>
    new ProviderError(
      'UNSUPPORTED_FEATURE',
      `This source does not change ${what} after booking; ${adapter.changeBuy ? 'budgets, the flight, ' : ''}pause, resume and cancel are supported`,
    );
  if (request.new_packages !== undefined) throw refuse('new_packages');
  if (!adapter.changeBuy) throw refuse('start_time, end_time or packages');
  if (buy.status === 'canceled' || buy.status === 'pending') {
    throw new ProviderError(
      'INVALID_REQUEST',
      `Media buy ${buy.id} is ${buy.status}: only a booked buy's budget and flight can change`,
    );
  }
  const startTime =
    request.start_time === undefined || request.start_time === 'asap'
      ? undefined
      : dateOf(request.start_time, 'start_time');
  const endTime = request.end_time === undefined ? undefined : dateOf(request.end_time, 'end_time');
  if (startTime && buy.startTime <= now) {
    throw new ProviderError(
      'INVALID_REQUEST',
      `Media buy ${buy.id} has started: its start_time can no longer move`,
    );
  }
  const end = endTime ?? buy.endTime;
  if (end <= (startTime ?? buy.startTime) || (endTime && endTime <= now)) {
    throw new ProviderError('INVALID_REQUEST', 'end_time must be after start_time and after now');
  }
  const budgets = new Map<string, number>();
  for (const pkg of request.packages ?? []) {
    const extra = Object.entries(pkg)
      .filter(([k, v]) => !changeable.has(k) && v !== undefined)
      .map(([k]) => k);
    if (extra.length) throw refuse(extra.map((k) => `packages.${k}`).join(', '));
    const own = buy.packages.find((p) => p.packageId === pkg.package_id);
    if (!own) {
      throw new ProviderError('PACKAGE_NOT_FOUND', `No package ${String(pkg.package_id)}`);
    }
    if (pkg.budget === undefined) continue;
    if (typeof pkg.budget !== 'number' || !(pkg.budget > 0)) {
      throw new ProviderError('INVALID_REQUEST', 'packages.budget must be a positive number');
    }
    budgets.set(own.packageId, pkg.budget);
  }
  return {
    budgets,
    ...(startTime && { startTime }),
    ...(endTime && { endTime }),
    after: {
      startTime: startTime ?? buy.startTime,
      endTime: end,
      packages: buy.packages.map((p) => ({
        packageId: p.packageId,
        budget: budgets.get(p.packageId) ?? p.budget,
      })),
    },
  };
}
