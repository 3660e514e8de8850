import type { Db } from '../../../../platform/db/database.js';
import { impressionsFor, spendFor } from '../../../../sources/money.js';
import * as ledger from '../../ledger/store.js';
import { activeAvailPrices } from '../avails-store.js';
import type { BuyPackage } from '../packages.js';
import { flightRefusal } from '../pricing.js';
import { BuyRefused } from '../refused.js';
import type { BuyRow } from '../store.js';

/** A buyer's change of a package (update_media_buy packages[]), as the source reads it. */
export interface PackageAmend {
  packageId: string;
  budget?: number | undefined;
  impressions?: number | undefined;
  paused?: boolean | undefined;
  /** Creatives sent inline: added to the package's. */
  creatives?: Array<{ creativeId: string; name: string | null }> | undefined;
  /** The package's creatives now (creative_assignments): replaces its list. */
  assigned?: string[] | undefined;
}

/** What of a buy a buyer changes besides cancel and pause: its flight and its packages. */
export interface BuyAmend {
  startTime?: string | undefined;
  endTime?: string | undefined;
  packages?: PackageAmend[] | undefined;
}

export const amends = (change: BuyAmend) =>
  change.startTime !== undefined ||
  change.endTime !== undefined ||
  (change.packages?.length ?? 0) > 0;

/**
 * Applies a buyer's change of flight and packages to a buy locked in `tx` (a refusal rolls all
 * of it back): a new flight runs within every package's avail; a package's new budget or
 * impressions resize its booking in the ledger, capacity checked by the database (ledger.resize),
 * at the CPM it was booked at; pause and creatives are the package's own. Every value is the
 * buyer's absolute ask, so a retry asks the ledger for what it already holds and changes nothing.
 * Answers the buy's new fields and the creatives newly put on its packages.
 */
export async function amendBuy(tx: Db, buy: BuyRow, change: BuyAmend) {
  const start = change.startTime !== undefined ? new Date(change.startTime) : buy.startTime;
  const end = change.endTime !== undefined ? new Date(change.endTime) : buy.endTime;
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
    throw new BuyRefused('INVALID_REQUEST', 'The flight must end after it starts', {}, 'end_time');
  }
  if (change.startTime !== undefined || change.endTime !== undefined) {
    const ids = [...new Set(buy.packages.map((p) => p.availId))];
    const avails = new Map(
      (await activeAvailPrices(tx, buy.inventorySourceId, ids, buy.buyerCustomerId)).map((a) => [
        a.availId,
        a,
      ]),
    );
    for (const [index, pkg] of buy.packages.entries()) {
      const avail = avails.get(pkg.availId);
      if (!avail) {
        throw new BuyRefused(
          'PRODUCT_UNAVAILABLE',
          `Product ${pkg.availId} is no longer on sale: the flight of its package cannot change`,
          { product_id: pkg.availId },
          'end_time',
        );
      }
      const at = `packages[${index}]`;
      const outside = flightRefusal(
        pkg.availId,
        { start_time: avail.startTime, end_time: avail.endTime },
        { start, end },
        at,
      );
      if (outside) {
        throw new BuyRefused(outside.code, outside.message, outside.details, 'end_time');
      }
    }
  }
  const added: BuyPackage['creatives'] = [];
  const packages = buy.packages.map((pkg) => ({ ...pkg, creatives: [...pkg.creatives] }));
  for (const [index, asked] of (change.packages ?? []).entries()) {
    const pkg = packages.find((p) => p.packageId === asked.packageId);
    if (!pkg) {
      throw new BuyRefused(
        'PACKAGE_NOT_FOUND',
        `Media buy ${buy.id} has no package ${asked.packageId}`,
        { package_id: asked.packageId },
        `packages[${index}].package_id`,
      );
    }
    await resized(tx, pkg, asked, `packages[${index}]`);
    if (asked.paused !== undefined) pkg.paused = asked.paused;
    const before = new Set(pkg.creatives.map((c) => c.creativeId));
    const named = new Map((asked.creatives ?? []).map((c) => [c.creativeId, c]));
    if (asked.assigned) {
      pkg.creatives = asked.assigned.map(
        (id) =>
          named.get(id) ??
          pkg.creatives.find((c) => c.creativeId === id) ?? { creativeId: id, name: null },
      );
    } else {
      for (const c of named.values()) if (!before.has(c.creativeId)) pkg.creatives.push(c);
    }
    added.push(...pkg.creatives.filter((c) => !before.has(c.creativeId)));
  }
  return { startTime: start, endTime: end, packages, added };
}

/** A package's new budget or impressions, held in the ledger first (it refuses what does not fit). */
async function resized(tx: Db, pkg: BuyPackage, asked: PackageAmend, at: string) {
  if (asked.budget === undefined && asked.impressions === undefined) return;
  const impressions = asked.impressions ?? impressionsFor(asked.budget!, pkg.cpm);
  if (!Number.isSafeInteger(impressions) || impressions < 1) {
    throw new BuyRefused(
      'BUDGET_TOO_LOW',
      `A budget of ${asked.budget} buys no impression of ${pkg.availId} at ${pkg.cpm} CPM`,
      { product_id: pkg.availId },
      `${at}.budget`,
    );
  }
  const budget = asked.budget ?? spendFor(impressions, pkg.cpm);
  if (pkg.bookingId) {
    const outcome = await ledger.resize(tx, pkg.bookingId, impressions);
    if (!outcome.ok && outcome.reason === 'gone') {
      throw new BuyRefused('INVALID_STATE', `The booking of package ${pkg.packageId} was released`);
    }
    if (!outcome.ok) {
      const field = asked.impressions !== undefined ? 'impressions' : 'budget';
      throw new BuyRefused(
        'PRODUCT_UNAVAILABLE',
        `Product ${pkg.availId} has ${outcome.available} more impressions to sell; the package asks for ${impressions - pkg.impressions} more`,
        {
          product_id: pkg.availId,
          requested_impressions: impressions,
          available_impressions: outcome.available + pkg.impressions,
        },
        `${at}.${field}`,
      );
    }
  }
  pkg.impressions = impressions;
  pkg.budget = budget;
}
