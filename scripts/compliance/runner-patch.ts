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
 * (src/modules/compliance/runner/patched-sdk.ts); every patch must find its anchor, so a
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

/** Copies and patches the SDK; answers the patched `adcp` CLI to run. */
export async function prepareRunner(): Promise<string> {
  const dir = preparePatchedSdk(name);
  const file = join(dir, pinPatch.file);
  const source = readFileSync(file, 'utf8');
  if (!source.includes(pinPatch.replace)) {
    if (!source.includes(pinPatch.find)) throw new Error(`pin patch: no anchor in ${file}`);
    writeFileSync(file, source.replace(pinPatch.find, pinPatch.replace));
  }
  const cli = join(dir, 'bin', 'adcp.js');
  if (!existsSync(cli)) throw new Error(`no ${cli}`);
  return cli;
}

export function removeRunner(): void {
  removePatchedSdk(name);
}
