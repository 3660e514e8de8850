import { escapeHtml as e } from '../../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import { page, panel, table, when } from '../../layout.js';
import { hrefOf, pager, registerSignedExport, shownOf } from '../../pager.js';
import { modularApi, sourcePage } from './wire.js';

const pagePath = '/console/sources/:sourceId/ledger';
const ledgerPage = (sourceId: string) => `${sourcePage(sourceId)}/ledger`;
const pageSize = 20;

interface Figures {
  capacity: number;
  upstreamBooked: number;
  held: number;
  booked: number;
  available: number;
}

/** GET …/{sourceId}/modular/ledger, the fields this page shows. */
interface Ledger {
  ledgerEnabled: boolean;
  avails: Array<
    Figures & {
      availId: string;
      name: string;
      startTime: string;
      endTime: string;
      active: boolean;
      weeks: Array<Figures & { weekStart: string }>;
    }
  >;
  availsTotal: number;
  holds: Booking[];
  bookings: Booking[];
  bookingsTotal: number;
}

interface Booking {
  bookingId: string;
  availId: string;
  mediaBuyId: string;
  buyer: { customerId: number; name: string | null };
  poNumber: string | null;
  brandDomain: string | null;
  requestedImpressions: number;
  holdExpiresAt: string | null;
  updatedAt: string;
}

const n = (value: number) => value.toLocaleString('en-US');
const figureHeads = ['Capacity', 'Sold upstream', 'Held', 'Booked', 'Available'];
// Each figure carries its name for a phone, where the table's rows are stacked without headings.
const figureCells = (f: Figures) =>
  [f.capacity, f.upstreamBooked, f.held, f.booked, f.available].map(
    (value, i) =>
      `<span class="cell-label">${figureHeads[i]}: </span>${i === 4 ? `<strong>${n(value)}</strong>` : n(value)}`,
  );
/** What holds or booked capacity: the buy, its PO and brand, the buyer. */
const byWhom = (b: Booking) =>
  `<code>${e(b.mediaBuyId)}</code>${b.poNumber ? `<br>PO ${e(b.poNumber)}` : ''}<br>${e(
    b.buyer.name ?? `Buyer ${b.buyer.customerId}`,
  )}${b.brandDomain ? ` (${e(b.brandDomain)})` : ''}`;

function availsPanel(ledger: Ledger, sourceId: string, skip: number): string {
  const rows = ledger.avails.map((a) => [
    `${e(a.name)}<br><code>${e(a.availId)}</code>${a.active ? '' : '<br><span class="note">off sale</span>'}`,
    `${when(a.startTime)}<br>to ${when(a.endTime)}`,
    ...figureCells(a),
  ]);
  const weeks = ledger.avails
    .map(
      (a) =>
        `<details class="weeks"><summary>${e(a.name)} by week</summary>${table(
          `${a.name} by week`,
          ['Week of', ...figureHeads],
          a.weeks.map((w) => [e(w.weekStart), ...figureCells(w)]),
          'No weeks.',
        )}</details>`,
    )
    .join('');
  const here = ledgerPage(sourceId);
  return panel(
    'avails-h',
    'Avails',
    `${table('Avails and their capacity', ['Avail', 'Window', ...figureHeads], rows, 'No avails on sale.')}
${weeks}
${pager({
  label: 'Avails pages',
  summary: shownOf(skip, ledger.avails.length, ledger.availsTotal, 'avails'),
  previous:
    skip > 0 ? hrefOf(here, { skip: Math.max(skip - pageSize, 0) || undefined }) : undefined,
  next: skip + pageSize < ledger.availsTotal ? hrefOf(here, { skip: skip + pageSize }) : undefined,
})}`,
  );
}

async function renderLedger(args: PageArgs): Promise<string> {
  const sourceId = args.params['sourceId']!;
  const skip = Math.max(Number.parseInt(args.query['skip'] ?? '0', 10) || 0, 0);
  const ledger = await args.api.get<Ledger>(`${modularApi(sourceId)}/modular/ledger`, {
    skip: String(skip),
    take: String(pageSize),
  });
  const holds = ledger.holds.map((b) => [
    `<code>${e(b.availId)}</code>`,
    byWhom(b),
    n(b.requestedImpressions),
    when(b.holdExpiresAt),
  ]);
  const bookings = ledger.bookings.map((b) => [
    `<code>${e(b.availId)}</code>`,
    byWhom(b),
    n(b.requestedImpressions),
    when(b.updatedAt),
  ]);
  const exportLink = (t: string, label: string) =>
    `<a class="button secondary" href="${e(hrefOf(`${ledgerPage(sourceId)}/export`, { table: t }))}">${e(label)}</a>`;
  const body = `${ledger.ledgerEnabled ? '' : '<p class="flash" role="status">This source was created without a booking ledger: nothing is held or booked here.</p>'}
${availsPanel(ledger, sourceId, skip)}
${panel('holds-h', 'Holds', `<p class="note">Capacity held for buys waiting for confirmation; a hold is released when it expires.</p>${table('Holds, soonest to expire first', ['Avail', 'Held for', 'Impressions', 'Expires'], holds, 'No holds.')}`)}
${panel('bookings-h', 'Bookings', `${table('Bookings, newest first', ['Avail', 'Booked by', 'Impressions', 'Booked'], bookings, 'No bookings.')}${ledger.bookingsTotal > ledger.bookings.length ? `<p class="note">The newest ${ledger.bookings.length} of ${ledger.bookingsTotal}; the CSV has every one.</p>` : ''}`)}
${panel('ledger-export-h', 'Export', `<p class="button-row">${exportLink('avails', 'Avails by week (CSV)')} ${exportLink('bookings', 'Bookings (CSV)')} ${exportLink('work-items', 'Work items (CSV)')}</p>`)}`;
  return page(
    {
      ...(await args.frame('Booking ledger', '/console/sources')),
      flash: args.flash,
      back: { href: sourcePage(sourceId), label: 'The source' },
    },
    body,
  );
}

/** A modular source's booking ledger: avails' capacity by week, holds, bookings, CSV exports. */
export function registerModularLedger(ctx: ConsoleContext): void {
  ctx.page(pagePath, 'SELLER', renderLedger);
  registerSignedExport(ctx, {
    path: `${pagePath}/export`,
    page: pagePath,
    persona: 'SELLER',
    apiPathOf: (params) => `${modularApi(params['sourceId']!)}/modular/ledger/export`,
    queryOf: (query) => ({ table: query['table'] ?? '' }),
  });
}
