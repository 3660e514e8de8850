import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { canonicalCreativesFor30 } from './held/canonical-creatives.js';
import { listedCreativeStatus, statusFiltersFor30 } from './held/creative-status.js';
import { productPartsRestored } from './held/product-parts.js';
import { vendorGoalsFor30 } from './held/vendor-metric-goals.js';
import { listedPixelTrackers, pixelTrackersFor30 } from './pixel-trackers.js';
import { fieldsFor30 } from './product-fields.js';
import { isAtLeast, type Release, supportedReleases } from './release.js';

/*
 * The release seam: every storefront-agent tool × every AdCP release after 3.0 → what a caller
 * of that release gets that one of the release before does not, and the modules that shape it
 * (paths under src/agents/). The negotiated release is an ambient flag (call.ts: `speaks31()`,
 * `servedRelease()`), invisible in signatures; this is where it is visible. Read by:
 * - the 3.1 layer (layer.ts), which runs each difference's `hold` on the request before the
 *   3.0 server behind sees it and its `restore` on the answer, for every release up to the one
 *   served;
 * - tools/list and the A2A card (hosting/tool-schemas/), which publish each tool's request schema
 *   of the caller's release (`since`, `request`);
 * - test/agents/release-seam.test.ts, which fails when a module reads the release and is not
 *   named here, a named module is gone, or a tool the agents register has no row.
 *
 * Adding 3.2 (GA 3.2.1) when its bundle is at hand: add '3.2' to `supportedReleases`
 * (release.ts); vendor its request schemas (scripts/adcp-request-schemas.ts); give each tool that
 * changes a `changes['3.2']` entry here and a row to each new tool (its compact lifecycle tools,
 * `since: '3.2'`); every `speaks31()` already holds for a 3.2 caller (3.1's rules carry on), so
 * what 3.2 changes of 3.1's behaviour is a `servedRelease()` test named in that tool's 3.2 row.
 */

/** A 3.1 request as the 3.0 server behind takes it, or its refusal (the layer answers that). */
export type RequestHold = (
  args: Record<string, unknown>,
) => { args: Record<string, unknown> } | { refused: CallToolResult };

/** One way a release's caller is served differently from the release before. */
export interface Difference {
  readonly what: string;
  /** The modules that shape it, relative to src/agents/. */
  readonly by: readonly string[];
  /** Run by the layer on the request, before the tool (and the SDK's 3.0 checks) see it. */
  readonly hold?: RequestHold;
  /** Run by the layer on the answer, after the tool, before the release's envelope. */
  readonly restore?: (result: CallToolResult) => CallToolResult;
}

export interface ToolRow {
  /** The release whose spec defines the tool: a later one's tool is offered to every caller. */
  readonly since: Release;
  /** The request schema when the release's manifest names none (tasks_get is core/'s). */
  readonly request?: string;
  readonly changes: Readonly<Partial<Record<Exclude<Release, '3.0'>, readonly Difference[]>>>;
}

const kept = (adapt: (args: Record<string, unknown>) => Record<string, unknown>): RequestHold => {
  return (args) => ({ args: adapt(args) });
};

const inlineCreatives31: Difference = {
  what: "canonical inline creatives (format_kind) held past the 3.0 server, fitted to the package's chosen format options",
  by: [
    'adcp31/held/canonical-creatives.ts',
    'merchandising/platform.ts',
    'merchandising/buys/inline-creatives.ts',
  ],
  hold: canonicalCreativesFor30,
};
const buyStatus31: Difference = {
  what: "the buy's status as media_buy_status; the top-level status is the task's",
  by: ['adcp31/shape.ts'],
};
const governance31: Difference = {
  what: "the account's governance agent asked before money moves (GOVERNANCE_DENIED)",
  by: ['adcp31/governance/gate.ts'],
};
const caps31: Difference = {
  what: "a frequency cap only where its source vouches for it (a 3.0 caller's goes to an agent to judge)",
  by: ['merchandising/buys/frequency-caps.ts'],
};
const provenance31: Difference = {
  what: "creatives held to their package's product provenance policy on any account (3.0: sandbox only)",
  by: ['merchandising/creatives/provenance/package.ts'],
};

/** What every tool's 3.1 caller gets (the envelope and the runtime rules of every request). */
export const everyTool: Readonly<Partial<Record<Exclude<Release, '3.0'>, readonly Difference[]>>> =
  {
    '3.1': [
      {
        what: 'adcp_version negotiated (downshift, VERSION_UNSUPPORTED) and echoed',
        by: ['adcp31/release.ts', 'adcp31/layer.ts', 'adcp31/shape.ts'],
      },
      {
        what: 'status on every answer, errors[] beside adcp_error, 3.1 error codes, IDEMPOTENCY_IN_FLIGHT',
        by: ['adcp31/shape.ts', 'adcp31/errors.ts', 'hosting/reclaiming-idempotency.ts'],
      },
      {
        what: 'CREDENTIAL_IN_ARGS; a well-formed idempotency_key on reads too',
        by: ['adcp31/layer.ts', 'adcp31/credentials.ts'],
      },
      {
        what: 'AUTH_MISSING / AUTH_INVALID on a refused key',
        by: ['merchandising/hosting/host.ts', 'adcp31/transport.ts'],
      },
      {
        what: 'tools/list (with _meta.adcp_version) and the A2A card publish the request schemas of 3.1.19',
        by: ['hosting/tool-schemas/published.ts', 'hosting/tool-schemas/spec-files.ts'],
      },
      {
        what: 'push_notification_config.operation_id echoed by every webhook of the call',
        by: [
          'adcp31/layer.ts',
          'merchandising/buys/create/create.ts',
          'merchandising/buys/settle/task-notifications.ts',
        ],
      },
    ],
  };

// structure: listing-only (one row per tool, the seam itself)
export const toolTable: Readonly<Record<string, ToolRow>> = {
  get_adcp_capabilities: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: 'supported_versions; media_buy features, buying_modes, propagation_surfaces, frequency_capping; governance-aware-seller',
          by: ['adcp31/layer.ts', 'adcp31/shape.ts'],
        },
        {
          what: 'the creative block (bills_through_adcp, supports_evaluator)',
          by: ['adcp31/creative-capabilities.ts'],
        },
        { what: 'wholesale feed versioning and feed webhooks', by: ['adcp31/feeds/wholesale.ts'] },
        {
          what: 'rollups of the products: supported_optimization_metrics, vendor_metric_optimization',
          by: ['merchandising/hosting/capability-rollups.ts'],
        },
        {
          what: 'compliance_testing.scenarios naming every scenario this storefront serves',
          by: ['merchandising/sandbox/scenarios.ts'],
        },
      ],
    },
  },
  get_products: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: "3.1's product field names narrowed to 3.0's for the server behind",
          by: ['adcp31/product-fields.ts'],
          hold: fieldsFor30,
        },
        {
          what: 'product parts 3.0.6 refuses held aside for the 3.0 server, then restored',
          by: ['adcp31/held/product-parts.ts'],
          restore: productPartsRestored,
        },
        {
          what: 'cache_scope, wholesale_feed_version, `unchanged` answers',
          by: [
            'adcp31/layer.ts',
            'adcp31/feeds/wholesale.ts',
            'merchandising/products/feed/state.ts',
          ],
        },
        {
          what: 'property lists narrow the sources; allowed_actions, format_options, FORMAT_DECLARATION_DIVERGENT',
          by: ['merchandising/platform.ts'],
        },
        {
          what: "3.1's filters (metrics, placement types, vendor metrics, currencies) applied by the storefront; products checked by 3.1's schema",
          by: ['merchandising/products/composition.ts', 'merchandising/products/product-check.ts'],
        },
        {
          what: 'STALE_RESPONSE from mirrored sources and a forced upstream outage',
          by: ['merchandising/products/feed/stale-sources.ts', 'merchandising/sandbox/upstream.ts'],
        },
      ],
    },
  },
  list_creative_formats: {
    since: '3.0',
    changes: {
      '3.1': [
        { what: "3.1's names of the values 3.1 renamed", by: ['merchandising/creatives/lists.ts'] },
      ],
    },
  },
  create_media_buy: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: 'vendor_metric goals held past the 3.0 server',
          by: ['adcp31/held/vendor-metric-goals.ts', 'merchandising/platform.ts'],
          hold: kept(vendorGoalsFor30),
        },
        inlineCreatives31,
        {
          what: "a past start refused; format_option_refs narrow the source; each package's context echoed",
          by: [
            'merchandising/buys/workflow/create-steps.ts',
            'merchandising/buys/create/created-response.ts',
          ],
        },
        {
          what: 'the quoted packages described by their sources in the buyer’s release (and those naming a property list, which is checked)',
          by: ['merchandising/buys/describe/packages.ts'],
        },
        buyStatus31,
        governance31,
        caps31,
        provenance31,
      ],
    },
  },
  update_media_buy: {
    since: '3.0',
    changes: {
      '3.1': [
        inlineCreatives31,
        {
          what: 'ACTION_NOT_ALLOWED, affected_packages, format selectors refused, inline creatives replaced',
          by: [
            'merchandising/buys/update/update.ts',
            'merchandising/buys/update/inline.ts',
            'merchandising/buys/update/affected-packages.ts',
          ],
        },
        buyStatus31,
        governance31,
        caps31,
        provenance31,
      ],
    },
  },
  get_media_buys: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: 'health and impairments[], available_actions[], creative_approvals[], context',
          by: ['merchandising/buys/reads/reads.ts', 'merchandising/buys/reads/actions31.ts'],
        },
      ],
    },
  },
  get_media_buy_delivery: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: 'buy-level totals and the rates computed from them',
          by: ['merchandising/buys/delivery/delivery.ts'],
        },
      ],
    },
  },
  sync_creatives: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: 'pixel_tracker assets held past the 3.0 server',
          by: ['adcp31/pixel-trackers.ts', 'merchandising/platform.ts'],
          hold: pixelTrackersFor30,
        },
        {
          what: "3.1's creative statuses (suspended) in the answer",
          by: ['adcp31/held/creative-status.ts', 'merchandising/creatives/sync.ts'],
          restore: listedCreativeStatus,
        },
        {
          what: 'format limits and provenance checked on any account',
          by: ['merchandising/creatives/sync.ts', 'merchandising/creatives/provenance/gate.ts'],
        },
      ],
    },
  },
  list_creatives: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: "3.1's status filters held past the 3.0 server",
          by: ['adcp31/held/creative-status.ts'],
          hold: kept(statusFiltersFor30),
        },
        {
          what: 'pixel_tracker assets listed',
          by: ['adcp31/pixel-trackers.ts'],
          restore: listedPixelTrackers,
        },
        {
          what: "3.1's creative statuses; include_purged tombstones",
          by: ['adcp31/held/creative-status.ts', 'merchandising/creatives/lists.ts'],
          restore: listedCreativeStatus,
        },
      ],
    },
  },
  list_accounts: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: 'notification_configs read back as applied',
          by: ['adcp31/accounts/list-accounts.ts'],
        },
      ],
    },
  },
  sync_accounts: {
    since: '3.0',
    changes: {
      '3.1': [
        {
          what: 'served by the storefront: notification_configs kept, challenged, signed webhooks',
          by: ['adcp31/layer.ts', 'adcp31/accounts/sync-accounts.ts'],
        },
      ],
    },
  },
  get_task_status: { since: '3.1', changes: {} },
  list_tasks: { since: '3.1', changes: {} },
  tasks_get: { since: '3.0', request: 'core/tasks-get-request.json', changes: {} },
  // The SDK's MCP-side name of tasks_get (A2A's `tasks/get` is protocol plumbing, not a skill).
  'tasks/get': { since: '3.0', request: 'core/tasks-get-request.json', changes: {} },
  provide_performance_feedback: { since: '3.0', changes: {} },
  preview_creative: { since: '3.0', changes: {} },
  get_account_financials: { since: '3.0', changes: {} },
  sync_governance: { since: '3.0', changes: {} },
  sync_audiences: { since: '3.0', changes: {} },
  sync_catalogs: { since: '3.0', changes: {} },
  sync_event_sources: { since: '3.0', changes: {} },
  log_event: { since: '3.0', changes: {} },
  comply_test_controller: { since: '3.0', changes: {} },
};

/**
 * What a caller served `release` gets of `tool` beyond 3.0, in release order: every tool's
 * differences and this tool's, of each release after 3.0 up to the one served.
 */
export function differencesOf(tool: string, release: Release): readonly Difference[] {
  return supportedReleases
    .filter((r): r is Exclude<Release, '3.0'> => r !== '3.0' && isAtLeast(release, r))
    .flatMap((r) => [...(everyTool[r] ?? []), ...(toolTable[tool]?.changes[r] ?? [])]);
}
