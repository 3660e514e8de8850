import { csvLine } from '../../../platform/downloads/csv-line.js';
import { downloadPathOf, payloadOfDownload } from '../../../platform/downloads/download-path.js';
import type { LedgerDownloads, ModularContext, OwnedModular } from '../context.js';
import * as items from '../work-items/store.js';
import {
  type LedgerAvailRow,
  type LedgerBookingRow,
  ledgerAvailsOf,
  ledgerBookingsOf,
} from './report-store.js';
import { byWeek } from './weeks.js';

/** Where ledger CSV downloads are served (outside /api/v2: the signed URL is the key). */
export const ledgerDownloadBase = '/downloads/modular-ledger';

export const ledgerTables = ['avails', 'bookings', 'work-items'] as const;
export type LedgerTable = (typeof ledgerTables)[number];

interface LedgerScope {
  customerId: number;
  storefrontId: number;
  inventorySourceId: number;
  table: LedgerTable;
}

const bookingsShown = 200;
// Every work item of the source, whatever its status, up to this many (newest first).
const workItemsExported = 50_000;

function availView(a: LedgerAvailRow) {
  const figures = {
    capacity: a.impressionsCapacity,
    upstreamBooked: a.upstreamBooked,
    held: a.held,
    booked: a.booked,
    available: Math.max(a.impressionsCapacity - a.upstreamBooked - a.held - a.booked, 0),
  };
  return {
    availId: a.availId,
    name: a.name,
    collectionName: a.collectionName,
    channel: a.channel,
    startTime: a.startTime.toISOString(),
    endTime: a.endTime.toISOString(),
    active: a.active,
    sandboxBuyerCustomerId: a.sandboxCustomerId,
    cpm: a.cpm,
    currency: a.currency,
    ...figures,
    weeks: byWeek(a.startTime, a.endTime, figures),
  };
}

function bookingView(r: LedgerBookingRow, names: Map<number, string>) {
  const b = r.booking;
  // The price its buy's package was booked at (the storefront's quote: issue 68).
  const booked = r.packages?.find((p) => p.packageId === b.packageId);
  return {
    bookingId: b.id,
    availId: b.availId,
    status: b.status,
    mediaBuyId: b.mediaBuyId,
    packageId: b.packageId,
    buyer: { customerId: b.buyerCustomerId, name: names.get(b.buyerCustomerId) ?? null },
    poNumber: r.poNumber,
    brandDomain: r.brandDomain,
    requestedImpressions: b.requestedImpressions,
    cpm: booked?.cpm ?? null,
    currency: booked?.currency ?? null,
    holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

/**
 * The booking ledger as its operator reads it (GET …/{sourceId}/modular/ledger): each avail's
 * capacity, held, booked and available in all and by week; the holds with their expiry and the
 * bookings, each with the buy that made it; and signed CSV downloads of avails, bookings and
 * work items.
 */
export function createLedgerReport(ctx: ModularContext, downloads: LedgerDownloads) {
  const namesOf = async (rows: LedgerBookingRow[]) =>
    (await ctx.deps.customerNames?.([...new Set(rows.map((r) => r.booking.buyerCustomerId))])) ??
    new Map<number, string>();

  async function bookings(inventorySourceId: number) {
    const rows = await ledgerBookingsOf(ctx.db, inventorySourceId);
    const names = await namesOf(rows);
    return rows.map((r) => bookingView(r, names));
  }

  async function* csvOf(scope: LedgerScope): AsyncGenerator<string> {
    if (scope.table === 'avails') {
      yield csvLine([
        'availId',
        'name',
        'collection',
        'channel',
        'startTime',
        'endTime',
        'active',
        'weekStart',
        'capacity',
        'upstreamBooked',
        'held',
        'booked',
        'available',
      ]);
      for (const a of (await ledgerAvailsOf(ctx.db, scope.inventorySourceId)).map(availView)) {
        for (const w of a.weeks) {
          yield csvLine([
            a.availId,
            a.name,
            a.collectionName,
            a.channel,
            a.startTime,
            a.endTime,
            String(a.active),
            w.weekStart,
            w.capacity,
            w.upstreamBooked,
            w.held,
            w.booked,
            w.available,
          ]);
        }
      }
    } else if (scope.table === 'bookings') {
      yield csvLine([
        'bookingId',
        'availId',
        'status',
        'mediaBuyId',
        'packageId',
        'buyerCustomerId',
        'buyerName',
        'poNumber',
        'brandDomain',
        'requestedImpressions',
        'cpm',
        'currency',
        'holdExpiresAt',
        'createdAt',
        'updatedAt',
      ]);
      for (const b of await bookings(scope.inventorySourceId)) {
        yield csvLine([
          b.bookingId,
          b.availId,
          b.status,
          b.mediaBuyId,
          b.packageId,
          b.buyer.customerId,
          b.buyer.name,
          b.poNumber,
          b.brandDomain,
          b.requestedImpressions,
          b.cpm,
          b.currency,
          b.holdExpiresAt,
          b.createdAt,
          b.updatedAt,
        ]);
      }
    } else {
      yield csvLine([
        'workItemId',
        'kind',
        'stage',
        'status',
        'priority',
        'title',
        'mediaBuyId',
        'buyerCustomerId',
        'resourceType',
        'resourceId',
        'assignedTo',
        'dueAt',
        'createdAt',
        'completedAt',
        'completedBy',
      ]);
      const { items: rows } = await items.list(ctx.db, scope.inventorySourceId, {
        status: ['OPEN', 'IN_PROGRESS', 'BLOCKED', 'COMPLETED', 'CANCELLED'],
        limit: workItemsExported,
      });
      for (const i of rows) {
        yield csvLine([
          i.id,
          i.kind,
          i.stage,
          i.status,
          i.priority,
          i.title,
          i.mediaBuyId,
          i.buyerCustomerId,
          i.resourceType,
          i.resourceId,
          i.assignedTo,
          i.dueAt?.toISOString() ?? null,
          i.createdAt.toISOString(),
          i.completedAt?.toISOString() ?? null,
          i.completedBy,
        ]);
      }
    }
  }

  return {
    /** A page of the source's avails (by start), its holds and its newest bookings. */
    async report(owned: OwnedModular, page: { skip: number; take: number }) {
      const avails = await ledgerAvailsOf(ctx.db, owned.row.id);
      const all = await bookings(owned.row.id);
      const booked = all.filter((b) => b.status === 'BOOKED').reverse();
      return {
        sourceId: owned.row.sourceId,
        ledgerEnabled: owned.modular.setup.includeBookingLedger,
        avails: avails.slice(page.skip, page.skip + page.take).map(availView),
        availsTotal: avails.length,
        holds: all
          .filter((b) => b.status === 'HELD')
          .sort((a, b) => (a.holdExpiresAt ?? '').localeCompare(b.holdExpiresAt ?? '')),
        bookings: booked.slice(0, bookingsShown),
        bookingsTotal: booked.length,
      };
    },

    /** A signed, expiring link to one table of the source's ledger as CSV. */
    exportLink(owned: OwnedModular, customerId: number, table: LedgerTable) {
      const scope: LedgerScope = {
        customerId,
        storefrontId: owned.storefront.id,
        inventorySourceId: owned.row.id,
        table,
      };
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + downloads.ttlSeconds * 1000);
      const fileName = `${owned.row.sourceId}-${table}-${now.toISOString().slice(0, 10)}.csv`;
      const path = downloads.signer.sign(
        downloadPathOf(ledgerDownloadBase, fileName, scope),
        expiresAt,
      );
      return {
        downloadUrl: `${downloads.publicUrl()}${path}`,
        expiresAt: expiresAt.toISOString(),
        fileName,
        table,
      };
    },

    /** The CSV a signed ledger link names, read now; undefined for a bad or expired link. */
    download(signedPath: string): AsyncIterable<string> | undefined {
      if (!downloads.signer.verify(signedPath, ctx.now()).ok) return undefined;
      const scope = payloadOfDownload(signedPath) as Partial<LedgerScope> | undefined;
      if (
        typeof scope?.inventorySourceId !== 'number' ||
        !ledgerTables.includes(scope.table as LedgerTable)
      ) {
        return undefined;
      }
      return csvOf(scope as LedgerScope);
    },
  };
}

export type LedgerReport = ReturnType<typeof createLedgerReport>;
