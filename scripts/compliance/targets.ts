import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSdkSeller, type SdkSeller } from '../../test/fixtures/sdk-seller.js';
import type { Protocol, Server, Target } from './server.js';
import { run31, run31Stock } from './spec31.js';

/**
 * The agents one compliance run grades: two storefronts, and each storefront's seller called
 * directly in the same run, so a storefront's miss can be told apart from its seller's own.
 *
 * - `storefront-demo`: the demo storefront over our demo seller (made by the demo seed).
 * - `demo-seller`: that demo seller directly (/adcp/demo-seller/{mcp,a2a}).
 * - `storefront-sdk`: a storefront whose only source is @adcp/sdk's own example seller
 *   (examples/hello_seller_adapter_non_guaranteed.ts over `adcp mock-server
 *   sales-non-guaranteed`), set up through the admin and seller REST API.
 * - `sdk-seller`: that example seller directly. It serves MCP only (the SDK's `serve()` mounts
 *   no A2A endpoint), so its A2A cell is "not served" and a storefront's A2A row is compared
 *   with the seller's MCP run.
 * - `storefront-social`: a storefront whose only source is @adcp/sdk's social example seller
 *   (examples/hello_seller_adapter_social.ts over `adcp mock-server sales-social`), graded on
 *   the sales_social storyboard only (what that seller is built for).
 * - `social-seller`: that social seller directly (MCP only, as above).
 * - `storefront-sdk-guaranteed`: a storefront whose only source is @adcp/sdk's guaranteed
 *   example seller (examples/hello_seller_adapter_guaranteed.ts over `adcp mock-server
 *   sales-guaranteed`: live buys go to its IO desk as tasks), opt-in (below).
 * - `sdk-guaranteed-seller`: that guaranteed seller directly (MCP only, as above), opt-in.
 */
export const targetKinds = [
  'storefront-demo',
  'demo-seller',
  'storefront-sdk',
  'sdk-seller',
  'storefront-social',
  'social-seller',
  'storefront-sdk-guaranteed',
  'sdk-guaranteed-seller',
] as const;
export type TargetKind = (typeof targetKinds)[number];
export type SellerKind = 'demo-seller' | 'sdk-seller' | 'social-seller' | 'sdk-guaranteed-seller';

/**
 * Targets run only when `--target` names them: CI's default run must not grow, so the pair over
 * the guaranteed seller is graded on demand (`--target storefront-sdk-guaranteed,
 * sdk-guaranteed-seller --only adcp_3.1.19`).
 */
const optIn: readonly TargetKind[] = ['storefront-sdk-guaranteed', 'sdk-guaranteed-seller'];
const defaultTargets = targetKinds.filter((kind) => !optIn.includes(kind));

/** The targets `--target` names (default: all but the opt-in ones); `named`: it named them. */
export function targetsOf(value: string | undefined): { targets: TargetKind[]; named: boolean } {
  if (!value) return { targets: [...defaultTargets], named: false };
  const targets = value.split(',');
  for (const target of targets) {
    if (!targetKinds.some((kind) => kind === target)) {
      throw new Error(`--target takes ${targetKinds.join(', ')} (got ${target})`);
    }
  }
  return { targets: targets as TargetKind[], named: true };
}

/** The SDK's example sellers, run as processes of their own and called directly. */
const exampleSellers: readonly TargetKind[] = [
  'sdk-seller',
  'social-seller',
  'sdk-guaranteed-seller',
];
export const isExampleSeller = (kind: TargetKind) => exampleSellers.includes(kind);

/** Which seller a storefront sells; a seller is its own. */
export const sellerOf: Record<TargetKind, SellerKind> = {
  'storefront-demo': 'demo-seller',
  'demo-seller': 'demo-seller',
  'storefront-sdk': 'sdk-seller',
  'sdk-seller': 'sdk-seller',
  'storefront-social': 'social-seller',
  'social-seller': 'social-seller',
  'storefront-sdk-guaranteed': 'sdk-guaranteed-seller',
  'sdk-guaranteed-seller': 'sdk-guaranteed-seller',
};

/** The storefront of each seller, in the order the report shows them. */
export const storefrontOf: Record<SellerKind, TargetKind> = {
  'demo-seller': 'storefront-demo',
  'sdk-seller': 'storefront-sdk',
  'social-seller': 'storefront-social',
  'sdk-guaranteed-seller': 'storefront-sdk-guaranteed',
};

export const isStorefront = (kind: TargetKind) => kind.startsWith('storefront-');

/** Example sellers run as processes of their own (not on our server). */
export const exampleOf: Partial<Record<TargetKind, 'non-guaranteed' | 'social' | 'guaranteed'>> = {
  'storefront-sdk': 'non-guaranteed',
  'sdk-seller': 'non-guaranteed',
  'storefront-social': 'social',
  'social-seller': 'social',
  'storefront-sdk-guaranteed': 'guaranteed',
  'sdk-guaranteed-seller': 'guaranteed',
};

/** Protocols an agent serves: the SDK example sellers have no A2A endpoint. */
export const serves = (kind: TargetKind, protocol: Protocol) =>
  !isExampleSeller(kind) || protocol === 'mcp';

/**
 * The storyboards a target is graded on, of those the run asks for (`named`: --target named the
 * targets). The 3.1.19 assessment (spec31.ts) grades the storefront over the SDK's example
 * seller, over MCP and A2A, and that seller directly (MCP only: it has no A2A endpoint): one
 * assessment takes minutes, and those are the runs the baseline was recorded on. The opt-in
 * guaranteed pair is graded on it too, and the social pair when --target names it (`--target
 * storefront-social,social-seller --only adcp_3.1.19`), so CI's default run does not grow.
 */
export const gradedOn = (kind: TargetKind, run: string, named: boolean) => {
  const seller = sellerOf[kind];
  // The stock CLI's run grades what the patched run's figures are compared with.
  if (run === run31Stock) return kind === 'storefront-sdk';
  if (run === run31) return seller === 'social-seller' ? named : seller !== 'demo-seller';
  return seller === 'social-seller' ? run === 'sales_social' : run !== 'sales_social';
};

export { startSdkSeller, type SdkSeller };

export async function targetOf(
  kind: TargetKind,
  protocol: Protocol,
  server: Server | undefined,
  sdk: SdkSeller | undefined,
): Promise<Target> {
  if (isExampleSeller(kind)) return { url: sdk!.url, auth: sdk!.token };
  if (!server) throw new Error(`${kind} needs a server`);
  if (kind === 'demo-seller') {
    const mcp = server.demoAgentMcpUrl ?? `${server.baseUrl}/adcp/demo-seller/mcp`;
    return { url: mcp.replace(/\/mcp$/, `/${protocol}`), auth: undefined };
  }
  const platformId =
    kind === 'storefront-demo'
      ? server.storefrontPlatformId
      : await sdkStorefront(server, sdk!, kind === 'storefront-social' ? 'social' : 'sdk');
  if (!platformId) throw new Error('the demo seed printed no listed storefront');
  return {
    url: `${server.baseUrl}/adcp/storefront-${platformId}/${protocol}`,
    auth: await storyboardBuyerKey(server),
  };
}

/** A REST call on the server as `key`, answering the envelope's data; throws on >= 300. */
export function restCaller(server: Server) {
  return async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (JSON.parse(text) as { data: Record<string, unknown> }).data;
  };
}

/** The operator the storyboards name on nearly every account they send. */
const storyboardOperator = 'pinnacle-agency.example';
const storyboardBuyers = new WeakMap<Server, Promise<string>>();

/**
 * The buyer the storyboards play, as a deployment would register that buyer agent: a BUYER
 * customer (admin) whose domain is the operator they name, terms accepted. A storefront lets a
 * buyer name only its own domain as operator (docs/security.md), so under the demo buyer's
 * domain every account they send would be refused. One per server, for every storefront run.
 *
 * Its key is a sandbox key: the storyboards play a sandbox principal. Their test kit says so
 * (test-kits/acme-outdoor.yaml: `sandbox: true`, "registered as a sandbox brand"), its live
 * counterpart exists only to be refused ("acme-outdoor-live.yaml ... sandbox: false here signals
 * that this principal represents a live/production account for the purpose of controller gating
 * tests"), and the mode gate names the principal, not the payload, as what decides ("The denial
 * here comes from the seller resolving the auth principal to a live-mode account in its
 * persisted records — not from the payload claim", comply-controller-mode-gate.yaml). Their
 * steps then send `{brand, operator}` without `sandbox` and buy what the fixtures seeded (e.g.
 * reach_buy_flow.yaml), which on a storefront only a sandbox account may (issue 70).
 */
export function storyboardBuyerKey(server: Server): Promise<string> {
  let key = storyboardBuyers.get(server);
  if (!key) {
    key = (async () => {
      const call = restCaller(server);
      const customer = await call('POST', '/api/v2/admin/customers', server.adminKey, {
        name: 'Pinnacle Agency (storyboards)',
        customerRole: 'BUYER',
        customerDomain: storyboardOperator,
      });
      const created = await call(
        'POST',
        `/api/v2/admin/customers/${String(customer['id'])}/api-keys`,
        server.adminKey,
        { name: 'storyboards (sandbox)', sandbox: true },
      );
      const buyerKey = created['key'] as string;
      await call('POST', '/api/v2/accounts/terms/accept', buyerKey);
      return buyerKey;
    })();
    storyboardBuyers.set(server, key);
  }
  return key;
}

/**
 * Storefront (b) or the guaranteed one (source `sdk`: the job's example seller) or (c) (source
 * `social`), as a publisher and the operator would make it through the REST API: a SELLER
 * customer and its key (admin), terms accepted, a storefront, the SDK example seller as its only
 * source with its bearer token, the source and storefront activated, then listed in the
 * marketplace (admin), where the demo buyer can use it. Answers its platform id.
 */
async function sdkStorefront(
  server: Server,
  sdk: SdkSeller,
  sourceId: 'sdk' | 'social',
): Promise<string> {
  const call = restCaller(server);
  const admin = server.adminKey;
  const customer = await call('POST', '/api/v2/admin/customers', admin, {
    name: 'SDK Example Publisher',
    customerRole: 'SELLER',
    customerDomain: 'sdk-example-publisher.example',
  });
  const key = (
    await call('POST', `/api/v2/admin/customers/${String(customer['id'])}/api-keys`, admin)
  )['key'] as string;
  await call('POST', '/api/v2/accounts/terms/accept', key);
  const storefront = await call('PUT', '/api/v2/storefront', key, {
    name: 'SDK Example Storefront',
    defaultCurrency: 'USD',
    mediaBuyApproval: 'auto',
    creativeApproval: 'auto',
  });
  await call('POST', '/api/v2/storefront/inventory-sources', key, {
    name: sourceId === 'social' ? 'SDK social example seller' : 'SDK example seller',
    sourceId,
    endpointUrl: sdk.url,
    protocol: 'MCP',
    authenticationType: 'API_KEY',
    auth: { type: 'bearer', token: sdk.token },
  });
  await call('PUT', `/api/v2/storefront/inventory-sources/${sourceId}`, key, { status: 'ACTIVE' });
  await call('POST', '/api/v2/storefront/activate', key);
  await call('POST', `/api/v2/admin/storefronts/${String(storefront['id'])}/marketplace`, admin, {
    action: 'list',
  });
  return storefront['platformId'] as string;
}

/**
 * creative/native_in_feed's prerequisite, met out of band as its prose states it: "The seller
 * platform supports at least one native_in_feed creative format with declared constraints:
 * title_max_chars, body_text_max_chars, main_image_sizes, and a cta_values closed enum." Its
 * creatives name `{agent_url: "https://your-platform.example.com", id: "native_in_feed"}`, "a
 * placeholder the implementer substitutes with an actual format_id" (list_native_formats); the
 * 6.11 runner substitutes nothing, so the format is seeded under that id. Its limits are the
 * storyboard's "typical content-recommendation format": "title within 80 chars", "main_image
 * width×height must be a declared pair (e.g., 1200×627 or 1080×1080)", "cta content must be a
 * value from the declared cta_values closed enum" (the spec's example list, LEARN_MORE the
 * full bundle's), body text at IAB native's mainline 90; declared as 3.1 declares a native
 * format's (core/format.json canonical_parameters, formats/canonical/native_in_feed.json), over
 * the canonical's default slots. Its pixel_tracker slots are left out: they carry no limit, a
 * 3.0 format has no such asset type, and the storefront takes them on any format.
 */
const nativeInFeed = {
  format_id: { agent_url: 'https://your-platform.example.com', id: 'native_in_feed' },
  name: 'Native in-feed (content recommendation)',
  description: 'The native_in_feed format creative/native_in_feed assumes, seeded by the harness.',
  // The canonical's default slots (title, advertiser_name, landing_page_url required).
  assets: [
    ['title', 'text', true],
    ['body_text', 'text', false],
    ['main_image', 'image', false],
    ['icon', 'image', false],
    ['cta', 'text', false],
    ['advertiser_name', 'text', true],
    ['sponsored_label', 'text', false],
    ['landing_page_url', 'url', true],
    ['display_url', 'text', false],
    ['rating', 'text', false],
    ['price', 'text', false],
  ].map(([asset_id, asset_type, required]) => ({ asset_id, asset_type, required })),
  canonical: { kind: 'native_in_feed' },
  canonical_parameters: {
    format_kind: 'native_in_feed',
    params: {
      title_max_chars: 80,
      body_text_max_chars: 90,
      main_image_sizes: [
        { width: 1200, height: 627 },
        { width: 1080, height: 1080 },
      ],
      cta_values: ['LEARN_MORE', 'SHOP_NOW', 'SIGN_UP', 'DOWNLOAD'],
    },
  },
};

/**
 * The idempotency storyboard buys the literal `test-product` at `test-pricing` and has no
 * discovery step; the storyboard schema says such hardcoded ids are "pre-seeded out of band"
 * (universal/storyboard-schema.yaml). The harness does that here, as the storyboard intends:
 * `comply_test_controller` seed_product and seed_pricing_option on a sandbox account of the
 * same buyer, over MCP (the seeded state is the buyer's on that agent, whatever the
 * protocol). With `native` (the 3.1.19 run), creative/native_in_feed's format too (above).
 * Answers what happened, for the report; an agent without the controller or its seeding
 * scenarios is left as it is (its miss is then its own).
 */
export async function seedTestProduct(
  target: Target,
  mcpUrl: string,
  native = false,
): Promise<string> {
  const client = new Client({ name: 'interchange-compliance', version: '1.0.0' });
  const headers: Record<string, string> = target.auth
    ? { authorization: `Bearer ${target.auth}` }
    : {};
  try {
    await client.connect(
      new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers } }),
    );
    const account = {
      brand: { domain: 'acmeoutdoor.example' },
      operator: 'pinnacle-agency.example',
      sandbox: true,
    };
    const seed = async (scenario: string, params: Record<string, unknown>) => {
      const result = await client.callTool({
        name: 'comply_test_controller',
        arguments: { scenario, params, account },
      });
      const content = (result.structuredContent ?? {}) as { success?: boolean };
      if (result.isError || content.success !== true) {
        throw new Error(
          `${scenario}: ${JSON.stringify(result.structuredContent ?? result.content)}`,
        );
      }
    };
    // The fixtures the 3.1.19 storyboards seed themselves (idempotency, deterministic_testing,
    // schema_validation `fixtures:`): a replay must carry an equivalent fixture, so the harness
    // seeds exactly theirs, and their own seeding is then a replay, not a divergence.
    await seed('seed_product', {
      product_id: 'test-product',
      fixture: {
        delivery_type: 'non_guaranteed',
        channels: ['display'],
        format_ids: [{ id: 'display_300x250' }],
      },
    });
    await seed('seed_pricing_option', {
      product_id: 'test-product',
      pricing_option_id: 'test-pricing',
      fixture: { pricing_model: 'cpm', currency: 'USD', floor_price: 1.0 },
    });
    // The 6.11.0 runner treats `test-pricing` as a placeholder and, with no discovery step
    // before, sends `default` instead (request-builder.js): the 3.0.6 idempotency run books it.
    await seed('seed_pricing_option', {
      product_id: 'test-product',
      pricing_option_id: 'default',
      fixture: { pricing_model: 'cpm', currency: 'USD', fixed_price: 10 },
    });
    const seeded = 'seeded test-product (pricing options test-pricing, default)';
    if (!native) return seeded;
    try {
      await seed('seed_creative_format', { format_id: 'native_in_feed', fixture: nativeInFeed });
      return `${seeded}; native_in_feed format`;
    } catch (error) {
      return `${seeded}; native_in_feed not seeded: ${(error as Error).message.slice(0, 300)}`;
    }
  } catch (error) {
    return `not seeded: ${(error as Error).message.slice(0, 300)}`;
  } finally {
    await client.close().catch(() => undefined);
  }
}
