import type { ToolHandler } from '../../hosting/sdk-mcp-server.js';
import { speaks31 } from '../../adcp31/index.js';
import { isRecord } from '../../../platform/is-record.js';
import type { StorefrontOffer } from '../../../sources/offer.js';

/**
 * Every scenario the storefront's test controller can serve (controller.ts: the SDK's controller
 * with our adapters, and ownScenarios), list_scenarios aside. A 3.1 caller's
 * get_adcp_capabilities names those this storefront serves: 3.1 makes
 * `compliance_testing.scenarios` an open list that SHOULD name every canonical scenario an agent
 * implements, and storyboards are gated on it (create_media_buy_async on
 * `force_create_media_buy_arm`).
 */
export const sandboxScenarios = [
  'seed_product',
  'seed_pricing_option',
  'seed_media_buy',
  'seed_creative',
  'seed_creative_format',
  'seed_account',
  'seed_measurement_catalog',
  'force_create_media_buy_arm',
  'force_get_products_arm',
  'force_task_completion',
  'force_media_buy_status',
  'force_creative_status',
  'force_creative_purge',
  'force_account_status',
  'simulate_delivery',
  'simulate_budget_spend',
  'force_upstream_unavailable',
  'query_provenance_audit_observations',
] as const;

/**
 * The served scenarios a 3.0 caller's get_adcp_capabilities names: AdCP 3.0's
 * compliance_testing.scenarios is an enum of force_* and simulate_* state scenarios, so seeding
 * and forced arms are discovered through comply_test_controller's list_scenarios instead (a
 * value outside the enum fails the capabilities schema, capability_discovery storyboard).
 */
export const advertisedSandboxScenarios = [
  'force_media_buy_status',
  'force_creative_status',
  'force_account_status',
  'simulate_delivery',
  'simulate_budget_spend',
] as const;

/** What the storefront sells, as far as its test scenarios need (sources/offer.ts). */
export type ScenarioOffer = Pick<StorefrontOffer, 'products' | 'buys'>;

/**
 * The scenarios that act on what a storefront sells: a product to seed or whose discovery to
 * force needs a storefront that offers get_products; a buy to seed, force or simulate needs one
 * that offers create_media_buy. A storefront whose sources sell neither (a sales-social seller
 * alone) serves none of them (issue 70 item 4: the controller offers only what its sources can
 * honour).
 */
const needs: Readonly<Partial<Record<string, keyof ScenarioOffer>>> = {
  seed_product: 'products',
  seed_pricing_option: 'products',
  force_get_products_arm: 'products',
  seed_media_buy: 'buys',
  force_create_media_buy_arm: 'buys',
  force_media_buy_status: 'buys',
  simulate_delivery: 'buys',
  simulate_budget_spend: 'buys',
};

/** Whether a storefront that sells `offer` serves `scenario` (every other scenario: yes). */
export function servesScenario(offer: ScenarioOffer | undefined, scenario: unknown): boolean {
  const need = typeof scenario === 'string' ? needs[scenario] : undefined;
  return !need || !offer || offer[need];
}

/** Why `scenario` is not served here, for the UNKNOWN_SCENARIO answer; undefined: it is. */
export function unservedScenario(
  offer: ScenarioOffer | undefined,
  scenario: unknown,
): string | undefined {
  if (servesScenario(offer, scenario)) return undefined;
  const what = needs[scenario as string] === 'products' ? 'sells no products' : 'takes no buys';
  return `${String(scenario)} is not served: this storefront ${what} (its sources sell neither guaranteed nor non-guaranteed media), so there is nothing to seed or act on`;
}

/**
 * get_adcp_capabilities naming every scenario this storefront serves to a 3.1 caller; a 3.0
 * caller's answer is the SDK's, untouched. The SDK's answer object may be shared: copied, never
 * changed.
 */
export function declaringScenarios31(
  handler: ToolHandler,
  offer: ScenarioOffer | undefined,
): ToolHandler {
  return async (input, extra) => {
    const result = await handler(input, extra);
    const content = result.structuredContent;
    if (!speaks31() || result.isError === true || !isRecord(content)) return result;
    if (!isRecord(content['compliance_testing'])) return result;
    const scenarios = sandboxScenarios.filter((s) => servesScenario(offer, s));
    const structuredContent = {
      ...content,
      compliance_testing: { ...content['compliance_testing'], scenarios },
    };
    return { ...result, structuredContent };
  };
}
