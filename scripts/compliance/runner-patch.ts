import { existsSync } from 'node:fs';
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

/** Copies and patches the SDK; answers the patched `adcp` CLI to run. */
export async function prepareRunner(): Promise<string> {
  const cli = join(preparePatchedSdk(name), 'bin', 'adcp.js');
  if (!existsSync(cli)) throw new Error(`no ${cli}`);
  return cli;
}

export function removeRunner(): void {
  removePatchedSdk(name);
}
