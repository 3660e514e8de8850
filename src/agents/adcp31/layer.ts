import type { AdcpServer } from '@adcp/sdk/server';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../../platform/is-record.js';
import { type AdcpCall, runAdcpCall } from './call.js';
import { findCredentialInArgs } from './credentials.js';
import {
  credentialInArgs,
  errorAnswer,
  malformedIdempotencyKey,
  validationError,
  versionUnsupported,
} from './errors.js';
import { advertiseCreative } from './creative-capabilities.js';
import { advertiseFeedVersions, type FeedStateOf, serveGetProducts31 } from './feeds/wholesale.js';
import { isAtLeast, negotiate } from './release.js';
import { type CallerAccounts, feedEventTypes, syncAccounts31 } from './accounts/index.js';
import { advertiseMediaBuy31, advertiseReleases, shapeAnswer, type ShapeOptions } from './shape.js';
import { wrapEveryTool } from '../hosting/sdk-mcp-server.js';
import { differencesOf } from './tool-table.js';

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
 * What a release changes of each tool, and which module does it, is the release seam
 * (tool-table.ts): this layer runs its holds and restores; a handler that answers a release
 * otherwise reads `speaks31()` / `servedRelease()` and is named there.
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
  const v31 = isAtLeast(negotiated.release, '3.1');
  const call: AdcpCall = {
    tool,
    release: negotiated.release,
    ...(v31 && pushOperationOf(args)),
  };
  // What this release changes of this tool, in the seam's order (tool-table.ts).
  const differences = differencesOf(tool, negotiated.release);
  return runAdcpCall(call, async () => {
    let refused = v31 ? refusal31(args) : undefined;
    // The release's parts the 3.0 server behind would refuse, held aside (or refused) first.
    for (const { hold } of differences) {
      if (refused || !hold) continue;
      const held = hold(args);
      if ('refused' in held) refused = held.refused;
      else args = held.args;
    }
    const feeds = v31 && tool === 'get_products' ? options.feedStateOf : undefined;
    const accounts = v31 && tool === 'sync_accounts' ? options.accounts : undefined;
    let result =
      refused ??
      (await (feeds
        ? serveGetProducts31(args, run, feeds)
        : accounts
          ? syncAccounts31(accounts, args)
          : run(args)));
    // And put back in place in the answer.
    for (const { restore } of differences) if (restore) result = restore(result);
    if (tool === 'get_adcp_capabilities') {
      result = advertiseReleases(result, v31 ? options.features31 : undefined);
      if (v31) result = await advertise31(result, options);
    }
    return shapeAnswer(call, result, options);
  });
}

/** The capabilities 3.1 adds, each where this agent does what it says (shape.ts). */
async function advertise31(result: CallToolResult, options: Adcp31Options) {
  let advertised = advertiseMediaBuy31(advertiseCreative(result), options.mediaBuy31);
  if (options.mediaBuyRollups) {
    advertised = advertiseMediaBuy31(advertised, await options.mediaBuyRollups());
  }
  // Feed webhooks need sync_accounts served here and a product feed to watch.
  if (options.feedStateOf) {
    advertised = advertiseFeedVersions(advertised, options.accounts ? feedEventTypes : undefined);
  }
  return advertised;
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
