import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { root } from './processes.js';
import { pinVariable } from './patches/runner-patch.js';
import { requiredToolsOf } from './storyboard-tools.js';

/**
 * The AdCP 3.1.19 run of `npm run compliance`: the runner's capability-driven assessment (what a
 * registry grades a compliance badge on: the universal storyboards, and the bundle of every
 * specialism the agent declares with the scenarios each requires), read from the spec's own
 * files in shared/reference/adcp-3.1/compliance/ (ADCP_COMPLIANCE_DIR points the runner's
 * compliance cache there instead of its bundled 3.0.6 copy) and sent as a 3.1 buyer sends it,
 * every request pinned `adcp_version: "3.1"` (runner-patch.ts). Nothing of the spec's files is
 * copied or edited.
 */
export const run31 = 'adcp_3.1.19';

/**
 * The same assessment, run by the stock 6.11 CLI a buyer installs (node_modules/@adcp/sdk's `adcp`,
 * unpatched) behind a proxy that only adds the buyer's pin (stock/pin-proxy.ts): what a buyer without
 * our runner patches measures. On demand (`--only adcp_3.1.19_stock`), storefronts only.
 */
export const run31Stock = 'adcp_3.1.19_stock';

/** The pin the 3.1 run sends on every request a step does not pin itself. */
export const pin31 = '3.1';

/** The stock CLI of the installed @adcp/sdk. */
export const stockCli = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('@adcp/sdk/package.json')), 'bin', 'adcp.js');

/** Where the spec's 3.1.19 compliance files are: shared/ beside the repository (as CI lays it). */
export function spec31Dir(): string {
  const dir = join(root, '..', 'shared', 'reference', 'adcp-3.1', 'compliance');
  const alt = join(root, '..', '..', 'shared', 'reference', 'adcp-3.1', 'compliance');
  for (const candidate of [dir, alt]) {
    if (existsSync(join(candidate, 'index.json'))) return candidate;
  }
  throw new Error(`no AdCP 3.1.19 compliance files at ${dir} (shared/ must lie beside the repo)`);
}

/** How long the runner may take over the whole 3.1 assessment (its own default is 120 s). */
export const assessmentSeconds = 840;

/**
 * The runner's arguments and environment for a run: the 3.1 run names no storyboard (the
 * runner then picks them from the agent's capabilities), and gets the time a whole assessment
 * takes on a loaded 2-core machine.
 */
export function runnerInvocation(run: string): { positional: string[]; env?: NodeJS.ProcessEnv } {
  if (run !== run31 && run !== run31Stock) return { positional: [run] };
  const env: NodeJS.ProcessEnv = { ...process.env, ADCP_COMPLIANCE_DIR: spec31Dir() };
  // The stock CLI is not told to pin (it cannot): the proxy in front of the agent does.
  if (run === run31Stock) delete env[pinVariable];
  else env[pinVariable] = pin31;
  return { positional: ['--timeout', String(assessmentSeconds)], env };
}

// Skips the spec allows: the storyboard does not apply to what the agent declares, or the
// runner was not given what a step needs (a test kit's contract, a live side effect, OAuth).
const allowedSkips = new Set([
  'not_applicable',
  'no_phases',
  'missing_tool',
  'unsatisfied_contract',
  'missing_test_kit_contract',
  'live_side_effect_opt_in_required',
  'rate_abuse_opt_out',
  'oauth_not_advertised',
  'probe_skipped',
  'grader_skipped',
  // storyboard-schema.yaml's `requires` gate: the run lacks what the storyboard needs (multi_agent)
  'requirement_unmet',
  // a storyboard gated on a capability the agent declares it does not have
  'capability_unsupported',
]);

// Storyboards (the runner's `storyboard/phase` prefix) whose capability issue 49 has not built.
const openItems: [RegExp, string][] = [
  [/^(wholesale_feed|notification_config)/, 'not built yet: issue 49 item 6 (wholesale feed)'],
  [/governance/, 'not built yet: issue 49 item 5 (governance)'],
  [/^(canonical_format|.*property_list)/, 'not built yet: issue 49 item 7 (formats, lists)'],
  [/^stale_response/, 'not built yet: issue 49 item 9 (force_upstream_unavailable)'],
  // Listed under no track by the runner (runs.ts untrackedFailures). The API key phase "is
  // skipped" when no test kit gives a key (universal/security.yaml: `skip_if:
  // "!test_kit.auth.api_key"`, "Declare `auth.api_key` or `auth.basic` in the test-kit"), and the
  // 6.11 CLI loads none into an assessment; a static-key agent "does NOT need to advertise RFC
  // 9728 protected-resource metadata", so no path is left to contribute.
  [
    /^security_baseline/,
    'runner limitation: the 6.11 CLI loads no test kit into the assessment, so security.yaml\'s API key phase (`skip_if: "!test_kit.auth.api_key"`) is skipped and only OAuth discovery, which a static-key agent "does NOT need to advertise", could contribute auth_mechanism_verified (the unauthenticated probe passes)',
  ],
  // universal/signed-requests.yaml: "Agents that do not advertise support are not tested against
  // this storyboard — absence of advertisement is not a failure"; a storefront declares no
  // `request_signing` (it verifies no RFC 9421 signatures), and 6.11 sends every vector anyway.
  [
    /^signed_requests/,
    'spec-allowed, runner limitation: signed-requests.yaml applies only to an agent advertising `request_signing.supported: true` ("absence of advertisement is not a failure"); a storefront declares no request signing, and the 6.11 runner sends its vectors anyway (to paths the agent does not serve: 404)',
  ],
  // comply-controller-mode-gate.yaml: the live principal's key is the live test kit's
  // (acme-outdoor-live), which the CLI does not load; and "an optional result here does not
  // indicate non-conformance".
  [
    /^comply_controller_mode_gate/,
    'runner limitation: the step must be sent as the live test kit\'s principal (comply-controller-mode-gate.yaml `auth: {type: api_key, from_test_kit: true}`, test_kit acme-outdoor-live), which the 6.11 CLI does not load, so it goes out with the run\'s own sandbox key (runner-patch.ts stands it in for a kit key), whose controller call rightly passes the gate and finds no such creative (NOT_FOUND); the phase is `optional: true` ("an optional result here does not indicate non-conformance")',
  ],
];

/**
 * Tools no storefront offers (src/agents: a storefront builds no creatives). A storyboard whose
 * `required_tools` names one does not apply to a storefront (storyboard-schema.yaml); the 6.11
 * runner picks storyboards by declared protocol and does not read `required_tools`.
 */
const neverOffered = new Set(['build_creative']);

/** A miss that is the storefront's seller answering it too late (or not at all) for its budget. */
export const timedOut = /did not answer \S+ within \d+ ms|is unavailable \(/;

/** Why a storefront misses a 3.1.19 step, one line for the baseline. */
export function why31(step: string, message: string): string {
  const reason = /^\[([a-z_]+)\]/.exec(message)?.[1];
  const text = message.slice(0, 220);
  if (reason && allowedSkips.has(reason)) return `spec-allowed skip: ${text}`;
  if (reason === 'prerequisite_failed') return `follows an earlier miss: ${text}`;
  if (reason === 'missing_test_controller' || reason === 'controller_seeding_failed') {
    return `not built yet: issue 49 item 9 (test controller): ${text}`;
  }
  if (timedOut.test(message)) {
    return `timing: the example seller answered the storefront late on a loaded machine: ${text}`;
  }
  const absent = requiredToolsOf(spec31Dir(), step).filter((tool) => neverOffered.has(tool));
  if (absent.length > 0) {
    return `spec-allowed, runner limitation: the storyboard requires ${absent.join(', ')} (its required_tools), which a storefront does not offer, so it does not apply; the 6.11 runner grades its steps anyway: ${text}`;
  }
  const open = openItems.find(([pattern]) => pattern.test(step));
  return `${open ? open[1] : 'ours, open: issue 49 item 8'}: ${text}`;
}
