import type { AdcpServer } from '@adcp/sdk/server';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../platform/is-record.js';
import { type AdcpCall, runAdcpCall } from './call.js';
import { findCredentialInArgs } from './credentials.js';
import { fieldsFor30 } from './product-fields.js';
import { vendorGoalsFor30 } from './held/vendor-metric-goals.js';
import { canonicalCreativesFor30 } from './held/canonical-creatives.js';
import { productPartsRestored } from './held/product-parts.js';
import { listedPixelTrackers, pixelTrackersFor30 } from './pixel-trackers.js';
import { listedCreativeStatus, statusFiltersFor30 } from './held/creative-status.js';
import {
  credentialInArgs,
  errorAnswer,
  malformedIdempotencyKey,
  validationError,
  versionUnsupported,
} from './errors.js';
import { advertiseCreative } from './creative-capabilities.js';
import { advertiseFeedVersions, type FeedStateOf, serveGetProducts31 } from './feeds/wholesale.js';
import { negotiate } from './release.js';
import { type CallerAccounts, feedEventTypes, syncAccounts31 } from './accounts/index.js';
import { advertiseMediaBuy31, advertiseReleases, shapeAnswer, type ShapeOptions } from './shape.js';
import { wrapEveryTool } from './tool-table.js';

/** The tasks whose packages may carry creatives inline. */
const inlineTools = new Set(['create_media_buy', 'update_media_buy']);

/** The tasks whose answers state creatives' statuses (held/creative-status.ts). */
const creativeStatusTools = new Set(['list_creatives', 'sync_creatives']);

/** AdCP's pattern for every task's idempotency_key (reads included from 3.1 on). */
const idempotencyKeyPattern = /^[A-Za-z0-9_.:-]{16,255}$/;

export interface Adcp31Options extends ShapeOptions {
  /** The storefront's wholesale feed state (feeds/wholesale.ts); no feed versioning without it. */
  feedStateOf?: FeedStateOf;
  /** A 3.1 caller's sync_accounts with notification configs (accounts/); the SDK's without it. */
  accounts?: CallerAccounts;
  /**
   * media_buy capability fields that follow what the agent sells to this caller (3.1's rollups
   * of its products: `supported_optimization_metrics`, `vendor_metric_optimization`), declared
   * to 3.1 callers only, where get_products is offered.
   */
  mediaBuyRollups?: () => Promise<Record<string, unknown>>;
}

/**
 * AdCP 3.1 on a server @adcp/sdk 6.11.0 built for 3.0, around every tool it serves (MCP and A2A):
 *
 * - a request without `adcp_version` is a 3.0 request: handed to the SDK untouched and its answer
 *   returned as is, get_adcp_capabilities included (see below);
 * - a pinned request is negotiated (release.ts): another major answers VERSION_UNSUPPORTED,
 *   anything else is served in the highest supported release at or below the pin, under an
 *   AdcpCall context (call.ts) every handler can read, its answer echoing that release;
 * - a 3.1 request meets 3.1's runtime rules first (no credentials in arguments, a well-formed
 *   idempotency_key on reads) and its answer gets 3.1's envelope (shape.ts).
 *
 * Later 3.1 work (actions, health, governance, feed versions…) reads `speaks31()` in its
 * handlers, or adds a rule here when it concerns every tool alike.
 */
export function withAdcp31<S extends AdcpServer>(server: S, options: Adcp31Options): S {
  const tools = new Set<string>();
  // Feed versions only where get_products is offered (a social-only storefront has none).
  const served = (): Adcp31Options =>
    tools.has('get_products')
      ? options
      : {
          inFlightMaxSeconds: options.inFlightMaxSeconds,
          ...(options.accounts && { accounts: options.accounts }),
        };
  wrapEveryTool(server, (tool, handler) => {
    tools.add(tool);
    return (args, extra) => {
      const input = isRecord(args) ? args : {};
      return serve(tool, input, (request) => handler(request, extra), served());
    };
  });
  return server;
}

function serve(
  tool: string,
  args: Record<string, unknown>,
  run: (args: Record<string, unknown>) => CallToolResult | Promise<CallToolResult>,
  options: Adcp31Options,
): CallToolResult | Promise<CallToolResult> {
  const negotiated = negotiate(args);
  if (negotiated.kind === 'served' && !negotiated.pinned) {
    // The 3.0 hot path: no context, no copy, and today's answer byte for byte, capabilities
    // included. `adcp.supported_versions` is told only to a pinned caller: @adcp/sdk 6.11's own
    // client reads it from an unpinned answer and then treats the agent as a 3.1 seller, which
    // changed how a 3.0 buyer's client handled this storefront (status-sync.test.ts).
    return run(args);
  }
  if (negotiated.kind === 'unsupported') {
    return errorAnswer(
      versionUnsupported(negotiated.claimed, negotiated.adcpVersion),
      args['context'],
    );
  }
  if (negotiated.kind === 'malformed') {
    return errorAnswer(validationError(negotiated.field, negotiated.message), args['context']);
  }
  const call: AdcpCall = {
    tool,
    release: negotiated.release,
    ...(negotiated.release === '3.1' && pushOperationOf(args)),
  };
  return runAdcpCall(call, async () => {
    let refused = call.release === '3.1' ? refusal31(args) : undefined;
    // 3.1's product field names, which the 3.0 server behind would refuse (product-fields.ts).
    if (!refused && call.release === '3.1' && tool === 'get_products') {
      const narrowed = fieldsFor30(args);
      if ('refused' in narrowed) refused = narrowed.refused;
      else args = narrowed.args;
    }
    // 3.1's pixel_tracker assets, which the 3.0 server behind would refuse (pixel-trackers.ts).
    if (!refused && call.release === '3.1' && tool === 'sync_creatives') {
      const held = pixelTrackersFor30(args);
      if ('refused' in held) refused = held.refused;
      else args = held.args;
    }
    // 3.1's suspended creative status as a filter, which it would refuse (held/creative-status.ts).
    if (!refused && call.release === '3.1' && tool === 'list_creatives') {
      args = statusFiltersFor30(args);
    }
    // 3.1's vendor_metric goals, which the 3.0 server behind would refuse (held/vendor-metric-goals.ts).
    if (!refused && call.release === '3.1' && tool === 'create_media_buy') {
      args = vendorGoalsFor30(args);
    }
    // 3.1's canonical inline creatives, which it would refuse too (held/canonical-creatives.ts).
    if (!refused && call.release === '3.1' && inlineTools.has(tool)) {
      const held = canonicalCreativesFor30(args);
      if ('refused' in held) refused = held.refused;
      else args = held.args;
    }
    const feeds =
      call.release === '3.1' && tool === 'get_products' ? options.feedStateOf : undefined;
    const accounts =
      call.release === '3.1' && tool === 'sync_accounts' ? options.accounts : undefined;
    let result =
      refused ??
      (await (feeds
        ? serveGetProducts31(args, run, feeds)
        : accounts
          ? syncAccounts31(accounts, args)
          : run(args)));
    if (call.release === '3.1' && tool === 'list_creatives') result = listedPixelTrackers(result);
    if (call.release === '3.1' && creativeStatusTools.has(tool)) {
      result = listedCreativeStatus(result);
    }
    // 3.1's product parts the 3.0 server behind would refuse, back in place (held/product-parts.ts).
    if (call.release === '3.1' && tool === 'get_products') result = productPartsRestored(result);
    if (tool === 'get_adcp_capabilities') {
      result = advertiseReleases(result, call.release === '3.1' ? options.features31 : undefined);
      if (call.release === '3.1') result = advertiseCreative(result);
      if (call.release === '3.1') result = advertiseMediaBuy31(result, options.mediaBuy31);
      if (call.release === '3.1' && options.mediaBuyRollups) {
        result = advertiseMediaBuy31(result, await options.mediaBuyRollups());
      }
      if (call.release === '3.1' && options.feedStateOf) {
        // Feed webhooks need sync_accounts served here and a product feed to watch.
        result = advertiseFeedVersions(result, options.accounts ? feedEventTypes : undefined);
      }
    }
    return shapeAnswer(call, result, options);
  });
}

/** The push config's `operation_id` a 3.1 request names, for its webhooks to echo. */
function pushOperationOf(args: Record<string, unknown>): { pushOperationId?: string } {
  const config = args['push_notification_config'];
  const id = isRecord(config) ? config['operation_id'] : undefined;
  return typeof id === 'string' && id.length > 0 ? { pushOperationId: id } : {};
}

/** What AdCP 3.1 refuses before any tool runs, or undefined. */
function refusal31(args: Record<string, unknown>): CallToolResult | undefined {
  const credential = findCredentialInArgs(args);
  if (credential !== undefined) {
    // The context is echoed unless the credential sits in it: echoing would send it back.
    const inContext = credential === 'context' || /^context[.[]/.test(credential);
    const context = inContext ? undefined : args['context'];
    return errorAnswer(credentialInArgs(credential), context);
  }
  const key = args['idempotency_key'];
  if (key !== undefined && (typeof key !== 'string' || !idempotencyKeyPattern.test(key))) {
    return errorAnswer(malformedIdempotencyKey(), args['context']);
  }
  return undefined;
}
