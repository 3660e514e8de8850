import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  preparePatchedSdk,
  removePatchedSdk,
} from '../../../src/modules/compliance/runner/patched-sdk.js';
import type { RunnerPatch } from '../stock/citations.js';
import { challengeEchoPatch, sinceFilterPatch } from './receiver-patch.js';
import { grading31Patches } from './grading31-patch.js';
import { grammar31Patches } from './grammar31-patch.js';
import { webhookAssertPatches } from './webhook-assert-patch.js';

/**
 * The storyboard runner and fuzzer run from a patched copy of @adcp/sdk 6.11.0 (the only
 * version in the registry), made at every run under node_modules/.cache: never the copy the
 * product runs on. The patches (three client-side A2A bugs of the 6.11.0 runner, each corrected
 * as upstream later fixed it) are the ones the product's own A2A compliance runs use
 * (src/modules/compliance/runner/patched-sdk.ts), with the pin and the 3.1 fixes of its own below; every patch must find its anchor, so a
 * different SDK version stops the run instead of silently grading with an unpatched runner.
 */
const name = `${process.pid}-cli`;

/** The environment variable that makes the copy's runner pin every request (see pinPatch). */
export const pinVariable = 'INTERCHANGE_ADCP_PIN';

/**
 * The 6.11 runner predates 3.1 and sends no `adcp_version`, so every request it makes is a 3.0
 * request, which a storefront rightly answers as 3.0. A 3.1 buyer pins every call; with
 * INTERCHANGE_ADCP_PIN set, the copy's runner does the same: after it has built a step's
 * request (from the storyboard's own YAML), it adds `adcp_version` unless the step sets one
 * itself (version-negotiation sends an unsupported pin on purpose). Unset, nothing changes, so
 * the 3.0.6 runs are graded exactly as before.
 */
const pinPatch: RunnerPatch = {
  cites: [
    {
      file: 'schemas/protocol/get-adcp-capabilities-response.json',
      quote: 'buyers SHOULD declare `adcp_version` (release-precision string) on each request',
    },
  ],
  file: 'dist/lib/testing/storyboard/runner.js',
  find: 'request = applyBrandInvariant(request, options, effectiveStep.task);',
  replace:
    'request = applyBrandInvariant(request, options, effectiveStep.task);\n' +
    `    if (process.env.${pinVariable} && request && typeof request === 'object' && !Array.isArray(request) && !('adcp_version' in request))\n` +
    `        request = { adcp_version: process.env.${pinVariable}, ...request };`,
};

/**
 * Three 6.11 runner bugs the 3.1.19 storyboards meet, each corrected as a 3.1 runner must behave;
 * neither changes a 3.0.6 run (its storyboards send dated flights and 3.0 answers carry no
 * `media_buy_status`):
 * - its create_media_buy builder keeps a sample flight's start only when it parses as a future
 *   date, so 3.1's `start_time: "asap"` became "now + 1 day", computed again on every call: an
 *   identical replay (idempotency/replay_same_payload) reached the agent with another start_time
 *   and was rightly refused IDEMPOTENCY_CONFLICT (the SDK's own seller refused it too). `asap`
 *   is sent as written.
 * - its status.monotonic invariant reads a media buy's `status`, which in 3.1 answers of
 *   create/update_media_buy is the task's status (`completed`); the buy's is `media_buy_status`.
 * - a step with `auth: {type: api_key, from_test_kit: true}` (the vendor-metric steps) is sent
 *   raw with the test kit's key, and its CLI loads no test kit, so the request went out with no
 *   credential at all (our agent rightly answered "No credential"). The key the step means is the
 *   buyer's valid one: with no test kit, it is the run's own `--auth` bearer.
 */
const fixes: RunnerPatch[] = [
  {
    cites: [
      {
        file: 'schemas/core/start-timing.json',
        quote: "Campaign start timing: 'asap' or ISO 8601 date-time",
      },
      {
        file: 'compliance/universal/idempotency.yaml',
        quote:
          'The buyer retries with the same idempotency_key and the same payload. The seller MUST return the same response',
      },
    ],
    file: 'dist/lib/testing/storyboard/request-builder.js',
    find: 'const startTime = sampleStart && Date.parse(sampleStart) >= now ? sampleStart : defaultStart;',
    replace:
      "const startTime = sampleStart === 'asap' || (sampleStart && Date.parse(sampleStart) >= now) ? sampleStart : defaultStart;",
  },
  {
    cites: [
      {
        file: 'schemas/media-buy/create-media-buy-response.json',
        quote: 'Buyers consuming 3.1+ responses MUST prefer `media_buy_status` when present',
      },
    ],
    file: 'dist/lib/testing/storyboard/default-invariants.js',
    find: 'const id = asString(record.media_buy_id);\n    const status = asString(record.status);',
    replace:
      'const id = asString(record.media_buy_id);\n    const status = asString(record.media_buy_status ?? record.status);',
  },
  {
    cites: [
      {
        file: 'compliance/universal/storyboard-schema.yaml',
        quote: "Positive credential checks SHOULD use the runner's normal transport auth",
      },
      {
        limitation:
          "the vendor-metric steps are positive checks (a valid goal booked) written with `from_test_kit: true`; the kit's key is `demo-acme-outdoor-v1`, a Bearer the kit says agents SHOULD accept by its `demo-<kit>-` prefix. A storefront accepts only its buyers' own keys (a prefix anyone can send would be a key for everyone), so the run's own buyer key stands in for the kit's",
      },
    ],
    file: 'dist/lib/testing/storyboard/runner.js',
    find: 'value = options.test_kit?.auth?.api_key;',
    replace:
      "value = options.test_kit?.auth?.api_key ?? (options.auth?.type === 'bearer' ? options.auth.token : undefined);",
  },
  /*
   * field_contains with an object or array expectation: 3.1.19's storyboard-schema.yaml matches
   * it "as deep subsets" (the affected package carries the expected fields among its others);
   * 6.11 compares JSON strings exactly, so a complete package state (budget, context, …) or
   * another key order failed (dependency_impairment's affected_packages[*]). Only in the pinned
   * (3.1) run: 3.0.6 runs are graded exactly as before.
   */
  {
    cites: [
      {
        file: 'compliance/universal/storyboard-schema.yaml',
        quote:
          '"field_contains" (wildcard-aware membership check; `path` may use `[*]` segments and passes when any resolved value matches `value` or one of `allowed_values`; object/array expectations are matched as deep subsets)',
      },
    ],
    file: 'dist/lib/testing/storyboard/validations.js',
    find: 'const matched = resolved.some(actual => candidates.some(c => valuesMatch(actual, c)));',
    replace:
      "const subset = (a, e) => e !== null && typeof e === 'object' ? a !== null && typeof a === 'object' && Array.isArray(a) === Array.isArray(e) && (Array.isArray(e) ? e.every((x) => a.some((y) => subset(y, x))) : Object.keys(e).every((k) => k in a && subset(a[k], e[k]))) : a === e;\n" +
      `    const matched = resolved.some(actual => candidates.some(c => process.env.${pinVariable} ? subset(actual, c) : valuesMatch(actual, c)));`,
  },
];

/**
 * Two more places where the 6.11 runner cannot run 3.1's storyboards as written, each fixed only
 * for the pinned (3.1) run or for 3.1 grammar, so a 3.0.6 run is graded exactly as before:
 * - its client validates every request against its own 3.0 zod schemas before sending, so a valid
 *   3.1 request never reached the agent (native_in_feed's `pixel_tracker` assets:
 *   "Request validation failed for sync_creatives", the SDK's own seller never got it either).
 *   Under the pin the runner does not validate what it sends with 3.0's schemas; the agent
 *   under test judges a 3.1 request. A request still carrying the `$build_assets_from_format`
 *   directive, which 6.11 cannot expand, fails before it is sent, as the spec tells a runner;
 * - it evaluates a phase's `skip_if` only in its `test_kit.` form and runs the phase otherwise,
 *   while 3.1's storyboards gate phases on what earlier steps captured (`context.bills_through_adcp
 *   != false`, `context.supports_evaluator != true || !context.build_capability_id`,
 *   `!context.proposal_id_2 || …`; storyboard-schema.yaml: "phase is skipped when the expression
 *   evaluates to true"). An expression naming `context.` is evaluated here (clauses joined by
 *   `||`: a reference, `!reference`, or `==` / `!=` between references and literals; anything
 *   else runs the phase, as the runner does) and a skipped phase's steps are reported skipped,
 *   `not_applicable`, with the expression, rather than dropped;
 * - it evaluates no phase-level `requires_capability` (storyboard-schema.yaml: "the same field is
 *   also legal on a phase; phase-level gates skip only that phase"): a phase gated on a capability
 *   the agent declares otherwise ran (evaluator_auth's phases on `creative.supports_evaluator`
 *   `equals: true`, on a storefront that declares false). Pinned run only, a phase's gate is
 *   evaluated as the storyboard-level one is (`equals` with the capability absent runs, as 6.11
 *   does; `present` and `contains` as the schema says) and an unmet phase is skipped the same way.
 */
const pinnedValidationPatch: RunnerPatch = {
  cites: [
    {
      file: 'compliance/universal/storyboard-schema.yaml',
      quote:
        'schema_ref: string (path to request schema, e.g., "creative/list-creative-formats-request.json" or "media-buy/get-products-request.json")',
    },
    {
      file: 'compliance/universal/storyboard-schema.yaml',
      quote:
        'If any required slot cannot be populated, the runner MUST fail the step before transport with `unresolved_substitution` rather than sending the directive or an incomplete manifest.',
    },
  ],
  file: 'dist/lib/core/SingleAgentClient.js',
  find: 'if (!options?.skipIdempotencyAutoInject) {\n            this.validateRequest(taskType, normalizedParams);',
  replace:
    // storyboard-schema.yaml: a runner that cannot expand the directive "MUST fail the step before
    // transport with unresolved_substitution rather than sending the directive"; 6.11 cannot.
    `if (process.env.${pinVariable} && JSON.stringify(normalizedParams ?? null).includes('"$build_assets_from_format"')) {\n` +
    `            throw new Error('unresolved_substitution: this runner cannot expand $build_assets_from_format');\n` +
    `        }\n` +
    `        if (!options?.skipIdempotencyAutoInject && !process.env.${pinVariable}) {\n            this.validateRequest(taskType, normalizedParams);`,
};

const contextSkipFunction = `function interchangeCapabilityGate(phase, profile) {
    const gate = phase.requires_capability;
    const caps = profile?.raw_capabilities;
    if (!process.env.${pinVariable} || !gate || typeof gate.path !== 'string' || caps === undefined) return undefined;
    let actual = caps;
    for (const segment of gate.path.split('.')) actual = actual != null && typeof actual === 'object' ? actual[segment] : undefined;
    const declared = JSON.stringify(actual) ?? 'nothing';
    if ('present' in gate) return (actual !== undefined) === gate.present ? undefined : 'requires_capability ' + gate.path + ' present: ' + gate.present + ' is not met (agent declared ' + declared + ')';
    if ('contains' in gate) return Array.isArray(actual) && actual.some((v) => JSON.stringify(v) === JSON.stringify(gate.contains)) ? undefined : 'requires_capability ' + gate.path + ' contains ' + JSON.stringify(gate.contains) + ' is not met (agent declared ' + declared + ')';
    if ('equals' in gate) return actual === undefined || JSON.stringify(actual) === JSON.stringify(gate.equals) ? undefined : 'requires_capability ' + gate.path + ' === ' + JSON.stringify(gate.equals) + ' is not met (agent declared ' + declared + ')';
    return undefined;
}
function interchangeContextSkip(phase, context, options) {
    const expr = typeof phase.skip_if === 'string' ? phase.skip_if.trim() : '';
    if (!/\\bcontext\\./.test(expr)) return undefined;
    const ref = (token) => {
        const m = /^(context|test_kit)\\.([A-Za-z0-9_.]+)$/.exec(token);
        if (!m) return { ok: false };
        let value = m[1] === 'context' ? context : options.test_kit;
        for (const segment of m[2].split('.')) value = value != null && typeof value === 'object' ? value[segment] : undefined;
        return { ok: true, value };
    };
    const operand = (token) => {
        if (token === 'true' || token === 'false') return { ok: true, value: token === 'true' };
        if (token === 'null') return { ok: true, value: null };
        if (/^-?\\d+(\\.\\d+)?$/.test(token)) return { ok: true, value: Number(token) };
        const quoted = /^'([^']*)'$|^"([^"]*)"$/.exec(token);
        return quoted ? { ok: true, value: quoted[1] ?? quoted[2] } : ref(token);
    };
    let holds = false;
    for (const clause of expr.split('||').map(c => c.trim())) {
        const compare = /^(\\S+)\\s*(==|!=)\\s*(\\S+)$/.exec(clause);
        let truth;
        if (compare) {
            const left = operand(compare[1]);
            const right = operand(compare[3]);
            if (!left.ok || !right.ok) return undefined;
            truth = (left.value === right.value) === (compare[2] === '==');
        } else {
            const negated = clause.startsWith('!');
            const target = ref(negated ? clause.slice(1).trim() : clause);
            if (!target.ok) return undefined;
            truth = negated ? !target.value : Boolean(target.value);
        }
        holds = holds || truth;
    }
    return holds ? 'skip_if ' + expr + ' holds' : undefined;
}
function shouldSkipPhase(phase, options) {`;

const contextSkipGate = `const interchangeSkip = interchangeCapabilityGate(phase, profile) ?? interchangeContextSkip(phase, context, options);
        if (interchangeSkip) {
            const gated = phase.steps.map(step => ({ storyboard_id: storyboard.id, step_id: step.id, phase_id: phase.id, title: step.title, task: step.task, passed: true, skipped: true, skip_reason: 'not_applicable', skip: { reason: 'not_applicable', detail: 'Phase skipped: ' + interchangeSkip + '.' }, duration_ms: 0, validations: [], context, extraction: { path: 'none' } }));
            phaseResults.push({ phase_id: phase.id, phase_title: phase.title, passed: true, steps: gated, duration_ms: 0 });
            skippedCount += gated.length;
            continue;
        }
        if (shouldSkipPhase(phase, options)) {`;

const contextSkipCites = [
  {
    file: 'compliance/universal/storyboard-schema.yaml',
    quote: 'skip_if: string (expression — phase is skipped when the expression evaluates to true,',
  },
  {
    file: 'compliance/universal/storyboard-schema.yaml',
    quote: 'The same field is also legal on a phase; phase-level gates skip only that phase',
  },
];
const contextSkipPatches: RunnerPatch[] = [
  {
    cites: contextSkipCites,
    file: 'dist/lib/testing/storyboard/runner.js',
    find: 'function shouldSkipPhase(phase, options) {',
    replace: contextSkipFunction,
  },
  {
    cites: contextSkipCites,
    file: 'dist/lib/testing/storyboard/runner.js',
    find: 'if (shouldSkipPhase(phase, options)) {',
    replace: contextSkipGate,
  },
];

/** Applies one patch to the copy (once); a missing anchor stops the run. */
function applyPatch(dir: string, patch: RunnerPatch): void {
  const file = join(dir, patch.file);
  const source = readFileSync(file, 'utf8');
  if (source.includes(patch.replace)) return;
  if (!source.includes(patch.find)) throw new Error(`runner patch: no anchor in ${file}`);
  writeFileSync(
    file,
    source.replace(patch.find, () => patch.replace),
  );
}

/** Every patch of the runner's copy, in the order applied, each with its reasons. */
export function runnerPatches(): RunnerPatch[] {
  const {
    specSchemaPatch,
    keyOrderPatch,
    unchangedSchemaPatch,
    advisoryErrorsPatch,
    capabilityMatcherPatch,
    pinnedProfilePatch,
    creativeEdgesPatch,
  } = grading31Patches(pinVariable);
  return [
    pinPatch,
    ...fixes,
    pinnedValidationPatch,
    ...contextSkipPatches,
    ...grammar31Patches(pinVariable),
    unchangedSchemaPatch,
    specSchemaPatch,
    keyOrderPatch,
    advisoryErrorsPatch,
    capabilityMatcherPatch,
    pinnedProfilePatch,
    challengeEchoPatch(pinVariable),
    // After specSchemaPatch: the payload check reads the spec's schemas through its loader.
    ...webhookAssertPatches(pinVariable),
    sinceFilterPatch,
    creativeEdgesPatch,
  ];
}

/** Copies and patches the SDK; answers the patched `adcp` CLI to run. */
export async function prepareRunner(): Promise<string> {
  const dir = preparePatchedSdk(name);
  for (const patch of runnerPatches()) applyPatch(dir, patch);
  const cli = join(dir, 'bin', 'adcp.js');
  if (!existsSync(cli)) throw new Error(`no ${cli}`);
  return cli;
}

export function removeRunner(): void {
  removePatchedSdk(name);
}
