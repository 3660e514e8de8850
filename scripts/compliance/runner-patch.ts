import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  preparePatchedSdk,
  removePatchedSdk,
} from '../../src/modules/compliance/runner/patched-sdk.js';

/**
 * The storyboard runner and fuzzer run from a patched copy of @adcp/sdk 6.11.0 (the only
 * version in the registry), made at every run under node_modules/.cache: never the copy the
 * product runs on. The patches (three client-side A2A bugs of the 6.11.0 runner, each corrected
 * as upstream later fixed it) are the ones the product's own A2A compliance runs use
 * (src/modules/compliance/runner/patched-sdk.ts), with the pin and three 3.1 fixes of its own below; every patch must find its anchor, so a
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
const pinPatch = {
  file: 'dist/lib/testing/storyboard/runner.js',
  find: 'request = applyBrandInvariant(request, options, effectiveStep.task);',
  replace:
    'request = applyBrandInvariant(request, options, effectiveStep.task);\n' +
    `    if (process.env.${pinVariable} && request && typeof request === 'object' && !Array.isArray(request) && !('adcp_version' in request))\n` +
    `        request = { adcp_version: process.env.${pinVariable}, ...request };`,
};

/**
 * Two 6.11 runner bugs the 3.1.19 storyboards meet, each corrected as a 3.1 runner must behave;
 * neither changes a 3.0.6 run (its storyboards send dated flights and 3.0 answers carry no
 * `media_buy_status`):
 * - its create_media_buy builder keeps a sample flight's start only when it parses as a future
 *   date, so 3.1's `start_time: "asap"` became "now + 1 day", computed again on every call: an
 *   identical replay (idempotency/replay_same_payload) reached the agent with another start_time
 *   and was rightly refused IDEMPOTENCY_CONFLICT (the SDK's own seller refused it too). `asap`
 *   is sent as written.
 * - its status.monotonic invariant reads a media buy's `status`, which in 3.1 answers of
 *   create/update_media_buy is the task's status (`completed`); the buy's is `media_buy_status`.
 */
const fixes = [
  {
    file: 'dist/lib/testing/storyboard/request-builder.js',
    find: 'const startTime = sampleStart && Date.parse(sampleStart) >= now ? sampleStart : defaultStart;',
    replace:
      "const startTime = sampleStart === 'asap' || (sampleStart && Date.parse(sampleStart) >= now) ? sampleStart : defaultStart;",
  },
  {
    file: 'dist/lib/testing/storyboard/default-invariants.js',
    find: 'const id = asString(record.media_buy_id);\n    const status = asString(record.status);',
    replace:
      'const id = asString(record.media_buy_id);\n    const status = asString(record.media_buy_status ?? record.status);',
  },
  /*
   * field_contains with an object or array expectation: 3.1.19's storyboard-schema.yaml matches
   * it "as deep subsets" (the affected package carries the expected fields among its others);
   * 6.11 compares JSON strings exactly, so a complete package state (budget, context, …) or
   * another key order failed (dependency_impairment's affected_packages[*]).
   */
  {
    file: 'dist/lib/testing/storyboard/validations.js',
    find: 'const matched = resolved.some(actual => candidates.some(c => valuesMatch(actual, c)));',
    replace:
      "const subset = (a, e) => e !== null && typeof e === 'object' ? a !== null && typeof a === 'object' && Array.isArray(a) === Array.isArray(e) && (Array.isArray(e) ? e.every((x) => a.some((y) => subset(y, x))) : Object.keys(e).every((k) => k in a && subset(a[k], e[k]))) : a === e;\n" +
      '    const matched = resolved.some(actual => candidates.some(c => subset(actual, c)));',
  },
];

/** Applies one patch to the copy (once); a missing anchor stops the run. */
function applyPatch(dir: string, patch: { file: string; find: string; replace: string }): void {
  const file = join(dir, patch.file);
  const source = readFileSync(file, 'utf8');
  if (source.includes(patch.replace)) return;
  if (!source.includes(patch.find)) throw new Error(`runner patch: no anchor in ${file}`);
  writeFileSync(file, source.replace(patch.find, patch.replace));
}

/** Copies and patches the SDK; answers the patched `adcp` CLI to run. */
export async function prepareRunner(): Promise<string> {
  const dir = preparePatchedSdk(name);
  for (const patch of [pinPatch, ...fixes]) applyPatch(dir, patch);
  const cli = join(dir, 'bin', 'adcp.js');
  if (!existsSync(cli)) throw new Error(`no ${cli}`);
  return cli;
}

export function removeRunner(): void {
  removePatchedSdk(name);
}
