import type { SourceAnswer, SourceCall } from '../../modules/inventory-sources/index.js';
import type { AdServerKindParts, ConnectionRow } from '../../modules/ad-servers/index.js';
import type { StoredSourceRow } from '../../modules/inventory-sources/index.js';
import { isRecord } from '../../platform/is-record.js';

/**
 * An ad-server source's part in sandbox accounts (issue 70, item 2), as a spreadsheet's
 * (source-kinds/modular/sandbox.ts): its testController takes a sandbox buyer's seed_product and
 * seed_pricing_option as a sandbox product over its network's placements
 * (modules/ad-servers/sandbox/), listed to that buyer's sandbox accounts only under the seeded
 * id; a sandbox buy of it books an order and line items in the connected network, marked as
 * that buyer's sandbox buy and never approved there, after the storefront operator's approval
 * like every ad-server buy. simulate_delivery / simulate_budget_spend write the delivery the
 * report import would, force_media_buy_status sets the order's status. A live call never
 * reaches one: it is refused FORBIDDEN here, and a live buy naming a seeded id is PRODUCT_NOT_FOUND.
 */
export function adServerSandboxOf(
  sandbox: NonNullable<AdServerKindParts['sandbox']>,
  row: StoredSourceRow,
  connectionOf: () => Promise<ConnectionRow | undefined>,
) {
  const live = async () => {
    const connection = await connectionOf();
    return connection?.provisioningStatus === 'active' ? connection : undefined;
  };
  const isSandbox = (call: SourceCall): call is SourceCall & { customerId: number } =>
    call.customerId !== null && call.sandbox === true;

  return {
    /** The source's comply_test_controller, for the storefront's sandbox buyers only. */
    async testController(
      request: Record<string, unknown>,
      call: SourceCall,
    ): Promise<SourceAnswer<Record<string, unknown>>> {
      const answer = (data: Record<string, unknown>) => ({ ok: true as const, data });
      if (!isSandbox(call)) {
        const detail = 'comply_test_controller serves sandbox accounts only';
        return answer({ success: false, error: 'FORBIDDEN', error_detail: detail });
      }
      const scenario = String(request['scenario']);
      const params = isRecord(request['params']) ? request['params'] : {};
      if (
        scenario === 'simulate_delivery' ||
        scenario === 'simulate_budget_spend' ||
        scenario === 'force_media_buy_status'
      ) {
        return answer(await sandbox.onBuy(row.id, call.customerId, scenario, params));
      }
      if (scenario !== 'seed_product' && scenario !== 'seed_pricing_option') {
        const detail = `an ad-server source seeds products and pricing, and simulates on its sandbox buys only`;
        return answer({ success: false, error: 'UNKNOWN_SCENARIO', error_detail: detail });
      }
      const connection = await live();
      if (!connection) {
        const detail = `source ${row.sourceId} is not connected to its ad server`;
        return answer({ success: false, error: 'SERVICE_UNAVAILABLE', error_detail: detail });
      }
      return answer(await sandbox.seed(connection, call.customerId, request));
    },

    /** The buyer's seeded products, on a sandbox account's call; else none. */
    async productsFor(connection: ConnectionRow, call: SourceCall) {
      return isSandbox(call) ? sandbox.products(connection, call.customerId) : [];
    },

    /** What a sandbox account's buy may book besides the source's products; a live buy: nothing. */
    async bookingFor(connection: ConnectionRow, call: SourceCall) {
      return isSandbox(call) ? { sandbox: await sandbox.booking(connection, call.customerId) } : {};
    },
  };
}
