import type { CreateMediaBuyResponse } from '@adcp/sdk/types';
import {
  healthOf,
  type InventorySource,
  type SourceAnswer,
  type SourceCall,
  type SourceKind,
  type StoredSourceRow,
} from '../../modules/inventory-sources/index.js';
import {
  buyCreated,
  buySubmitted,
  buysListed,
  buyUpdated,
  type BuyView,
  type FormatView,
  formatsListed,
  mediaBuyStatusOf,
} from '../../sources/answers.js';
import { sourceRefused } from '../../sources/refused.js';
import { amendOf } from './changes.js';
import { quotedCpmOf } from '../../sources/money.js';
import {
  BuyRefused,
  type BuyRow,
  buysOfBuyer,
  deliveryAnswer,
  findBuyById,
  findBuyByTask,
  formatIdOf,
  formatOptionsOnSale,
  formatsAgentUrlOf,
  ledgerValidActions,
  type ModularKindParts,
  type ModularRow,
  productsOnSale,
  shownAvailId,
} from '../../modules/modular-sources/index.js';
import { modularSandbox } from './sandbox.js';

/**
 * MODULAR_SOURCE as an inventory source of the storefront's Merchandising Agent (the source
 * port): products are its active avails, a buy is placed in its ledger (a task while a person
 * confirms it), its status and delivery are what the ledger, the work items and the uploaded
 * final reports say. Creatives travel inline on packages (it keeps no creative library). Every
 * answer is about the buyer's own buys only.
 */
export function modularSources(parts: ModularKindParts): SourceKind {
  return {
    open(rows, customerId) {
      return rows.map((row) => modularSource(parts, row, customerId));
    },
  };
}

function modularSource(
  { ctx, buys: flow, reports, sandbox: seeds }: ModularKindParts,
  row: StoredSourceRow,
  _customerId: number | null,
): InventorySource {
  const sandbox = modularSandbox(seeds, row);
  let setup: Promise<ModularRow | undefined> | undefined;
  const modular = () => (setup ??= ctx.modularOf(row.id));

  /** Runs `work`, answering a refusal as the buyer's AdCP error and anything else as unavailable. */
  async function answer<T>(work: () => Promise<T>): Promise<SourceAnswer<T>> {
    try {
      return { ok: true, data: await work() };
    } catch (error) {
      if (error instanceof BuyRefused) {
        return {
          ok: false,
          error: sourceRefused(row, {
            code: error.code,
            message: error.message,
            field: error.field,
            details: error.details,
          }),
        };
      }
      throw error;
    }
  }

  async function requireSetup(): Promise<ModularRow> {
    const found = await modular();
    if (!found) throw new BuyRefused('SERVICE_UNAVAILABLE', `Source ${row.sourceId} is not set up`);
    return found;
  }

  const buyerOf = (call: SourceCall) => {
    if (call.customerId === null) throw new BuyRefused('AUTH_REQUIRED', 'A buyer is required');
    return call.customerId;
  };

  /** The set-up source and the buyer's buys a read asks for (all of them when it names none). */
  async function askedBuys(request: { media_buy_ids?: string[] | null }, call: SourceCall) {
    const modularRow = await requireSetup();
    const ids = request.media_buy_ids ?? undefined;
    return { modularRow, found: await buysOfBuyer(ctx.db, row.id, buyerOf(call), ids) };
  }

  const buyView = (buy: BuyRow, modularRow: ModularRow): BuyView => {
    const status = flow.statusOf(buy, modularRow, ctx.now());
    return {
      media_buy_id: buy.id,
      status,
      valid_actions: ledgerValidActions(status),
      currency: buy.packages[0]?.currency ?? 'USD',
      total_budget: buy.packages.reduce((sum, p) => sum + p.budget, 0),
      start_time: buy.startTime.toISOString(),
      end_time: buy.endTime.toISOString(),
      created_at: buy.createdAt.toISOString(),
      updated_at: buy.updatedAt.toISOString(),
      packages: buy.packages.map((p) => ({
        package_id: p.packageId,
        product_id: shownAvailId(p.availId),
        budget: p.budget,
        impressions: p.impressions,
        pricing_option_id: p.pricingOptionId,
        paused: status === 'paused' || p.paused === true,
      })),
    };
  };

  return {
    source: row,
    capabilities: row.capabilities,
    creativeTransport: 'inline',
    health: () => healthOf(row),
    // Each product names the publisher domain it serves on (its feed row's publisher_domain).
    filtersByProperty: true,
    // The price the storefront quoted a package at is the one it books (port.ts QuotedPrice).
    booksQuotedPrice: true,
    // Each avail runs from its start to its end (products.ts ext.interchange.available).
    productFlights: true,

    // Every product on sale, whatever the brief: the storefront ranks every source's products
    // with the one matcher and pages them, so none is cut here (issue 71, item 1). A sandbox
    // account's call lists its buyer's seeded sandbox avails first (sandbox.ts).
    getProducts: (_request, call) =>
      answer(async () => ({
        products: [
          ...(await sandbox.productsFor(call)),
          ...(await productsOnSale(ctx.db, row.id, { now: ctx.now() })),
        ],
      })),

    // A sandbox buyer's seed_product and seed_pricing_option, held as sandbox avails.
    testController: sandbox.testController,

    listCreativeFormats: (_request, _call) =>
      answer(async () => {
        const agentUrl = await formatsAgentUrlOf(ctx.db, row.id);
        const formats = new Map<string, FormatView>();
        for (const option of await formatOptionsOnSale(ctx.db, row.id)) {
          const id = formatIdOf(option);
          formats.set(id, { format_id: { agent_url: agentUrl, id }, name: id });
        }
        return formatsListed([...formats.values()]);
      }),

    createMediaBuy: async (request, call) => {
      const attempt = await answer(async () => {
        const modularRow = await requireSetup();
        const customerId = buyerOf(call);
        const start =
          request.start_time === 'asap' || !request.start_time
            ? ctx.now().toISOString()
            : String(request.start_time);
        const { buy } = await flow.place(row, modularRow, customerId, {
          idempotencyKey: request.idempotency_key,
          startTime: start,
          endTime: String(request.end_time),
          brandDomain: request.brand?.domain ?? null,
          poNumber: request.po_number ?? null,
          packages: await sandbox.packagesFor(
            customerId,
            call,
            (request.packages ?? []).map((pkg) => ({
              productId: pkg.product_id,
              pricingOptionId: pkg.pricing_option_id,
              budget: pkg.budget,
              impressions: pkg.impressions,
              cpm: quotedCpmOf(pkg),
              creatives: (
                (pkg as { creatives?: Array<{ creative_id: string; name?: string }> }).creatives ??
                []
              ).map((c) => ({ creativeId: c.creative_id, name: c.name ?? null })),
            })),
          ),
        });
        return { buy, modularRow };
      });
      if (!attempt.ok) return attempt;
      const { buy, modularRow } = attempt.data;
      if (buy.taskId && buy.taskStatus === 'submitted') {
        return {
          ok: true,
          data: buySubmitted(buy.taskId),
          task: { taskId: buy.taskId, status: 'submitted' },
        };
      }
      return { ok: true, data: createdAnswer(buy, modularRow) };
    },

    taskStatus: (taskId, call) =>
      answer(async () => {
        const modularRow = await requireSetup();
        const buy = await findBuyByTask(ctx.db, row.id, taskId);
        if (!buy || buy.buyerCustomerId !== call.customerId) {
          throw new BuyRefused('REFERENCE_NOT_FOUND', `No task ${taskId}`);
        }
        if (buy.taskStatus === 'completed') {
          return { status: 'completed', result: createdAnswer(buy, modularRow) };
        }
        if (buy.taskStatus === 'rejected' || buy.taskStatus === 'canceled') {
          return {
            status: buy.taskStatus,
            error: buy.taskError ?? {
              code: 'PRODUCT_UNAVAILABLE',
              message: 'The booking was declined',
            },
          };
        }
        return { status: 'submitted' };
      }),

    updateMediaBuy: (request, call) =>
      answer(async () => {
        const modularRow = await requireSetup();
        const buy = await findBuyById(ctx.db, row.id, request.media_buy_id);
        if (!buy || buy.buyerCustomerId !== call.customerId) {
          throw new BuyRefused('MEDIA_BUY_NOT_FOUND', `No media buy ${request.media_buy_id}`);
        }
        const changed = await flow.change(row, modularRow, buy, {
          canceled: request.canceled,
          paused: request.paused,
          key: request.idempotency_key,
          // A cancel is a cancel whatever else it carries (its packages go with it).
          ...(!request.canceled && { amend: amendOf(request) }),
        });
        const status = flow.statusOf(changed, modularRow, ctx.now());
        return buyUpdated({
          mediaBuyId: changed.id,
          status,
          validActions: ledgerValidActions(status),
          affectedPackages: changed.packages
            .filter((p) => request.packages?.some((asked) => asked.package_id === p.packageId))
            .map((p) => p.packageId),
        });
      }),

    getMediaBuys: (request, call) =>
      answer(async () => {
        const { modularRow, found } = await askedBuys(request, call);
        return buysListed(found.map((b) => buyView(b, modularRow)));
      }),

    getMediaBuyDelivery: (request, call) =>
      answer(async () => {
        const { modularRow, found } = await askedBuys(request, call);
        const records = await reports.recordsOf(found.map((b) => b.id));
        return deliveryAnswer({
          buys: found,
          ...records,
          statusOf: (buy) => flow.statusOf(buy, modularRow, ctx.now()),
          request,
          now: ctx.now(),
        });
      }),

    syncCreatives: () =>
      Promise.resolve({
        ok: false,
        error: sourceRefused(row, {
          code: 'UNSUPPORTED_FEATURE',
          message: 'This source keeps no creative library: creatives travel on the packages',
        }),
      }),

    providePerformanceFeedback: () => Promise.resolve({ ok: true, data: { success: true } }),
  };
}

function createdAnswer(buy: BuyRow, modularRow: ModularRow): CreateMediaBuyResponse {
  void modularRow;
  // The ledger stores the status it answered (Buys.statusOf), so it reads back as AdCP's.
  const status = mediaBuyStatusOf(buy.status);
  return buyCreated({
    mediaBuyId: buy.id,
    status,
    validActions: ledgerValidActions(status),
    packages: buy.packages.map((p) => ({
      package_id: p.packageId,
      product_id: shownAvailId(p.availId),
    })),
  });
}
