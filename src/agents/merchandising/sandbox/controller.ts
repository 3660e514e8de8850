import {
  isSandboxOrMockAccount,
  toMcpResponse,
  type AccountStore,
  type AdcpServer,
} from '@adcp/sdk/server';
import type { AccountReference } from '@adcp/sdk/types';
import type { AccountMeta } from '../adcp.js';
import {
  createComplyController,
  TestControllerError,
  type ComplyControllerConfig,
  type SeedFixtureCache,
} from '@adcp/sdk/testing';
import { z } from 'zod';
import { agentRequest } from '../caller.js';
import { callsWithSandboxKey } from '../accounts/sandbox-credential.js';
import type { MerchandisingDeps } from '../deps.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { seedMediaBuy } from './fixtures/seed-buy.js';
import { routeSeed } from './fixtures/seed-route.js';
import { routeBuyScenario } from './fixtures/buy-route.js';
import { asAnswer, withInterchangeNote, withOwnScenarios } from './controller-answers.js';
import { seedAccount, type SeedAccountBook } from './fixtures/seed-account.js';
import { forceCreativePurge, forceCreativeStatus, seedCreative } from './creative-states.js';
import { sandboxBuyOf, stateAdapters } from './states.js';
import { deliverOnBookPart } from './simulated/book-delivery.js';
import { forceUpstreamUnavailable } from './upstream.js';
import { seedMeasurementCatalog } from './simulated/measurement-catalog.js';
import { queryAuditObservations } from './simulated/audit-query.js';
import {
  forceGetProductsArm,
  forcedProductsAnswer,
  forceTaskCompletion,
  type SandboxTasks,
} from './forced-tasks.js';
import { wrapEveryTool } from '../../hosting/sdk-mcp-server.js';
import { isRecord } from '../../../platform/is-record.js';
import {
  declaringScenarios31,
  type ScenarioOffer,
  servesScenario,
  unservedScenario,
} from './scenarios.js';

/** The storefront agent's own account store (platform.ts), as the gate resolves with it. */
type AccountResolver = Pick<AccountStore<AccountMeta>, 'resolve'>;

type SandboxController = ReturnType<typeof createComplyController> & {
  /** The same gate the SDK's controller admits a call through. */
  admits: (input: Record<string, unknown>) => Promise<boolean>;
  deps: MerchandisingDeps;
  /** Where seed_account records the caller's sandbox accounts (list_accounts reads them). */
  book: SeedAccountBook | undefined;
  /** The tasks the caller forced (get_products' submitted arm), for force_task_completion. */
  tasks: SandboxTasks | undefined;
  /** The id of the account a reference names for the caller, as every tool resolves it. */
  accountIdOf: (ref: unknown) => Promise<string | undefined>;
  /** What the storefront sells: the scenarios on products and buys need it (scenarios.ts). */
  offer: ScenarioOffer | undefined;
};

/**
 * The scenarios AdCP 3.1 added that the SDK's controller (6.11) does not dispatch, and those
 * whose 3.1 parameters it refuses or drops (force_creative_status: `suspended`, `reason_code`):
 * ours. force_creative_purge is 3.1's alone.
 */
const ownScenarios: Record<
  string,
  (
    deps: MerchandisingDeps,
    params: Record<string, unknown>,
    book: SeedAccountBook | undefined,
  ) => Promise<Record<string, unknown>>
> = {
  seed_account: seedAccount,
  force_creative_status: forceCreativeStatus,
  force_creative_purge: forceCreativePurge,
  force_upstream_unavailable: forceUpstreamUnavailable,
  force_get_products_arm: forceGetProductsArm,
  seed_measurement_catalog: seedMeasurementCatalog,
  query_provenance_audit_observations: queryAuditObservations,
};

/**
 * `server` with the storefront's comply_test_controller registered on it (MCP and A2A): the
 * SDK's, with the scenarios it does not know (ownScenarios) answered in front of it, through the
 * same gate, and named in its list_scenarios answer; get_products on a sandbox account answers
 * a forced submitted arm when one is pending (forced-tasks.ts), recorded as the caller's task;
 * a 3.1 caller's get_adcp_capabilities names every scenario served (declaringScenarios31).
 */
export function withSandboxController<S extends AdcpServer>(
  server: S,
  controller: SandboxController,
): S {
  controller.register(server);
  wrapEveryTool(server, (tool, handler) => {
    if (tool === 'get_adcp_capabilities') return declaringScenarios31(handler, controller.offer);
    if (tool === 'get_products') {
      return async (input, extra) => {
        const request = input as Record<string, unknown>;
        const { deps, tasks, accountIdOf } = controller;
        const forced = (await admitted(controller, { account: request['account'] }))
          ? await forcedProductsAnswer(deps, tasks, request, accountIdOf)
          : undefined;
        return forced ?? handler(input, extra);
      };
    }
    if (tool !== 'comply_test_controller') return handler;
    return async (input, extra) => {
      const request = input as Record<string, unknown>;
      const scenario = request['scenario'];
      const unserved = unservedScenario(controller.offer, scenario);
      if (unserved) return toMcpResponse(refusal(request, 'UNKNOWN_SCENARIO', unserved));
      const own = typeof scenario === 'string' ? ownScenarios[scenario] : undefined;
      if (own) return toMcpResponse(await ownScenario(controller, own, request));
      // A product's seed goes where the product will be sold (seed-route.ts), once admitted; a
      // scenario on a buy a source holds goes to that source (buy-route.ts).
      const isAdmitted = await admitted(controller, request);
      const atSource = isAdmitted
        ? await routeBuyScenario(controller.deps, controller.book, request)
        : undefined;
      if (atSource) return toMcpResponse(asAnswer(atSource));
      const routing = isAdmitted
        ? await routeSeed(controller.deps, request).catch(() => undefined)
        : undefined;
      if (routing?.forwarded) return toMcpResponse(asAnswer(routing.forwarded));
      const answer = await handler(input, extra);
      if (routing?.note) return withInterchangeNote(answer, routing.note);
      return scenario === 'list_scenarios'
        ? withOwnScenarios(answer, Object.keys(ownScenarios), (listed) =>
            servesScenario(controller.offer, listed),
          )
        : answer;
    };
  });
  return server;
}

/** Whether the controller's gate admits `input` (a gate that throws admits nothing). */
async function admitted(controller: SandboxController, input: Record<string, unknown>) {
  try {
    return await controller.admits(input);
  } catch {
    return false;
  }
}

/** The request's context, echoed as the SDK's controller echoes it. */
function echoOf(input: Record<string, unknown>) {
  const context = input['context'];
  return typeof context === 'object' && context !== null ? { context } : {};
}

/** A controller refusal (`success: false`), shaped as the SDK's controller shapes its own. */
function refusal(input: Record<string, unknown>, error: string, detail: string) {
  return { success: false, error, error_detail: detail, ...echoOf(input) } as Parameters<
    typeof toMcpResponse
  >[0];
}

/** An own scenario's answer, as the SDK's controller shapes its own (context echoed). */
async function ownScenario(
  controller: SandboxController,
  run: (typeof ownScenarios)[string],
  input: Record<string, unknown>,
): Promise<Parameters<typeof toMcpResponse>[0]> {
  const refuse = (error: string, detail: string) => refusal(input, error, detail);
  if (!(await admitted(controller, input)))
    return refuse('FORBIDDEN', 'comply_test_controller serves sandbox accounts only');
  const params = input['params'];
  try {
    const answer = await run(
      controller.deps,
      typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {},
      controller.book,
    );
    return { ...answer, ...echoOf(input) } as Parameters<typeof toMcpResponse>[0];
  } catch (error) {
    if (error instanceof TestControllerError) return refuse(error.code, error.message);
    return refuse('INTERNAL_ERROR', 'An unexpected error occurred in the test controller');
  }
}

/**
 * `comply_test_controller` for sandbox accounts only (the gate resolves the caller's account as
 * every tool does, and admits it only when it resolves as sandbox; list_scenarios is open, as in
 * the SDK): seeding products, pricing options, creative formats and media buys (seed-buy.ts) into the caller's
 * sandbox inventory on this storefront, and sandbox accounts (seed-account.ts), forcing the submitted arm, simulating delivery of a buy
 * placed on it, and (ownScenarios) forcing its upstream unavailable. A bare `{sandbox: true}`
 * (what the storyboards send on their negative steps) names the caller's own sandbox on this
 * storefront; a reference to a live account is FORBIDDEN. Seeds' replay check is the caller's
 * own (Sandbox.seedCache): another buyer's fixture under the same id is another fixture.
 */
export function sandboxController(
  deps: MerchandisingDeps,
  accounts: AccountResolver,
  book?: SeedAccountBook,
  tasks?: SandboxTasks,
  offer?: ScenarioOffer,
): SandboxController {
  const admits = async (input: Record<string, unknown>) => {
    if (input['scenario'] === 'list_scenarios') return true;
    const context = input['context'] as { account?: unknown } | undefined;
    const ref = input['account'] ?? context?.account;
    // `{sandbox: true}` naming no account: the caller's own sandbox on this storefront, which a
    // sandbox key always has (accounts/sandbox-credential.ts) and a live key only once it holds
    // a sandbox account here (synced with `sandbox: true`, or seeded). A live key with live
    // accounts only is refused (comply-controller-mode-gate.yaml: "the seller resolving the auth
    // principal to a live-mode account in its persisted records" answers FORBIDDEN).
    if (isBareSandboxAssertion(ref)) return callsWithSandboxKey() || holdsSandboxAccount(book);
    // seed_account makes the sandbox account it names (a live id is refused by seedAccount).
    if (seedsNamedAccount(input, ref)) return true;
    // Anything else names an account, admitted only when it is a sandbox account by its stored
    // record (accounts/store.ts): `sandbox: true` beside an account id is the caller's
    // assertion, which grants nothing (comply-test-controller-request.json).
    const account = await accounts.resolve(ref as AccountReference | undefined, {
      toolName: 'comply_test_controller',
    });
    return account != null && isSandboxOrMockAccount(account);
  };
  const controller = createComplyController({
    ...adapters(deps, book, tasks),
    seedCache: callerSeedCache(deps),
    // Storyboards commonly send the account at the top level rather than in `context`. The
    // release fields are kept for the 3.1 layer to negotiate (adcp31/layer.ts): the MCP SDK strips
    // what the shape does not name before any wrapper sees the call, so a 3.1 caller's controller
    // answers would otherwise go out in 3.0's envelope, without `status`.
    inputSchema: {
      adcp_version: z.unknown().optional(),
      adcp_major_version: z.unknown().optional(),
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
    sandboxGate: admits,
  });
  const accountIdOf = async (ref: unknown) =>
    (await accounts.resolve(ref as AccountReference | undefined, { toolName: 'get_products' }))?.id;
  return { ...controller, admits, deps, book, tasks, accountIdOf, offer };
}

/** `{sandbox: true}` and nothing else: the caller asserting its own sandbox, naming no account. */
function isBareSandboxAssertion(ref: unknown): boolean {
  if (typeof ref !== 'object' || ref === null) return false;
  const fields = Object.keys(ref);
  return fields.length === 1 && (ref as { sandbox?: unknown }).sandbox === true;
}

/** seed_account naming, as its account, the very account it seeds (`{sandbox, account_id}`). */
function seedsNamedAccount(input: Record<string, unknown>, ref: unknown): boolean {
  if (input['scenario'] !== 'seed_account' || !isRecord(ref) || !isRecord(input['params'])) {
    return false;
  }
  const seeded = input['params']['account_id'];
  return typeof seeded === 'string' && ref['account_id'] === seeded && ref['sandbox'] === true;
}

/** Whether the caller holds a sandbox account on this storefront, by the stored records. */
async function holdsSandboxAccount(book: SeedAccountBook | undefined): Promise<boolean> {
  if (!book) return false;
  const { storefront, principal } = agentRequest();
  return book.hasSandboxAccount({
    storefrontId: storefront.id,
    buyerCustomerId: principal.customerId,
  });
}

/** The SDK's seed replay cache, kept per caller's sandbox (storefront and buyer). */
function callerSeedCache(deps: MerchandisingDeps): SeedFixtureCache {
  const cache = () => {
    const { storefront, principal } = agentRequest();
    return deps.sandbox.seedCache(sandboxScope(storefront.id, principal.customerId));
  };
  return {
    get: (key) => cache().get(key),
    set: (key, value) => cache().set(key, value),
    has: (key) => cache().has(key),
  };
}

function adapters(
  deps: MerchandisingDeps,
  book: SeedAccountBook | undefined,
  tasks?: SandboxTasks,
): ComplyControllerConfig {
  const states = stateAdapters(deps, book);
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
      creative: (params) => seedCreative(deps, params),
      creative_format: ({ format_id, fixture }) =>
        deps.sandbox.seedFormat(scope().scope, format_id, fixture),
    },
    force: {
      ...states.force,
      create_media_buy_arm: ({ arm, task_id }) => {
        if (arm !== 'submitted') {
          throw new TestControllerError('INVALID_PARAMS', 'Only the submitted arm is supported');
        }
        deps.sandbox.forceSubmitted(scope().scope, { taskId: task_id });
        return { success: true, forced: { arm, ...(task_id && { task_id }) } };
      },
      task_completion: (params) => forceTaskCompletion(tasks, params),
    },
    simulate: {
      ...states.simulate,
      delivery: async (params) =>
        deliverOnBookPart(deps, await sandboxBuyOf(deps, params.media_buy_id), params),
    },
  };
}
