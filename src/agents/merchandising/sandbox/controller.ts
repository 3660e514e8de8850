import { isSandboxOrMockAccount, type AccountStore, type AdcpServer } from '@adcp/sdk/server';
import type { AccountReference } from '@adcp/sdk/types';
import type { AccountMeta } from '../adcp.js';
import {
  createComplyController,
  TestControllerError,
  type ComplyControllerConfig,
} from '@adcp/sdk/testing';
import { z } from 'zod';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { sandboxSourceId } from './sandbox.js';
import { seedMediaBuy } from './seed-buy.js';

/** Every scenario the controller below serves (its list_scenarios answers them all). */
export const sandboxScenarios = [
  'seed_product',
  'seed_pricing_option',
  'seed_media_buy',
  'force_create_media_buy_arm',
  'simulate_delivery',
] as const;

/**
 * The served scenarios get_adcp_capabilities may name: AdCP 3.0's
 * compliance_testing.scenarios is an enum of force_* and simulate_* state scenarios, so seeding
 * and forced arms are discovered through comply_test_controller's list_scenarios instead (a
 * value outside the enum fails the capabilities schema, capability_discovery storyboard).
 */
export const advertisedSandboxScenarios = ['simulate_delivery'] as const;

/** The storefront agent's own account store (platform.ts), as the gate resolves with it. */
type AccountResolver = Pick<AccountStore<AccountMeta>, 'resolve'>;

type SandboxController = ReturnType<typeof createComplyController>;

/** `server` with the storefront's comply_test_controller registered on it (MCP and A2A). */
export function withSandboxController<S extends AdcpServer>(
  server: S,
  controller: SandboxController,
): S {
  controller.register(server);
  return server;
}

/**
 * `comply_test_controller` for sandbox accounts only (the gate resolves the caller's account as
 * every tool does, and admits it only when it resolves as sandbox; list_scenarios is open, as in
 * the SDK): seeding products, pricing options and media buys (seed-buy.ts) into the caller's
 * sandbox inventory on this storefront, forcing the submitted arm, and simulating delivery of
 * a buy placed on it.
 */
export function sandboxController(
  deps: MerchandisingDeps,
  accounts: AccountResolver,
): SandboxController {
  return createComplyController({
    ...adapters(deps),
    // Storyboards commonly send the account at the top level rather than in `context`.
    inputSchema: {
      account: z
        .object({
          account_id: z.string().min(1).optional(),
          brand: z.unknown().optional(),
          operator: z.string().optional(),
          sandbox: z.boolean().optional(),
        })
        .strict()
        .optional(),
    },
    sandboxGate: async (input) => {
      if (input['scenario'] === 'list_scenarios') return true;
      const context = input['context'] as { account?: unknown } | undefined;
      const ref = input['account'] ?? context?.account;
      // The input schema above admits only an account reference's fields.
      const account = await accounts.resolve(ref as AccountReference | undefined, {
        toolName: 'comply_test_controller',
      });
      return account != null && isSandboxOrMockAccount(account);
    },
  });
}

function adapters(deps: MerchandisingDeps): ComplyControllerConfig {
  const scope = () => {
    const { storefront, principal } = agentRequest();
    return { scope: sandboxScope(storefront.id, principal.customerId), storefront, principal };
  };
  return {
    seed: {
      product: ({ product_id, fixture }) =>
        deps.sandbox.seedProduct(scope().scope, product_id, fixture),
      pricing_option: ({ product_id, pricing_option_id, fixture }) =>
        deps.sandbox.seedPricingOption(scope().scope, product_id, pricing_option_id, fixture),
      media_buy: ({ media_buy_id, fixture }) => seedMediaBuy(deps, media_buy_id, fixture),
    },
    force: {
      create_media_buy_arm: ({ arm, task_id }) => {
        if (arm !== 'submitted') {
          throw new TestControllerError('INVALID_PARAMS', 'Only the submitted arm is supported');
        }
        deps.sandbox.forceSubmitted(scope().scope, { taskId: task_id });
        return { success: true, forced: { arm, ...(task_id && { task_id }) } };
      },
    },
    simulate: {
      delivery: async (params) => {
        const { scope: key, storefront, principal } = scope();
        const row = await deps.mediaBuys.findRecord(storefront.id, params.media_buy_id);
        const leg =
          row?.buyerCustomerId === principal.customerId
            ? row.forwardResult?.find((l) => l.sourceId === sandboxSourceId)
            : undefined;
        if (!leg?.upstreamMediaBuyId) {
          throw new TestControllerError('NOT_FOUND', `No sandbox media buy ${params.media_buy_id}`);
        }
        deps.sandbox.simulateDelivery(key, leg.upstreamMediaBuyId, {
          impressions: params.impressions,
          clicks: params.clicks,
          reported_spend: params.reported_spend,
        });
        return {
          success: true,
          simulated: {
            media_buy_id: params.media_buy_id,
            ...(params.impressions !== undefined && { impressions: params.impressions }),
            ...(params.clicks !== undefined && { clicks: params.clicks }),
            ...(params.reported_spend !== undefined && { reported_spend: params.reported_spend }),
          },
        };
      },
    },
  };
}
