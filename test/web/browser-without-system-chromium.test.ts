import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { afterAll, describe, expect, it } from 'vitest';
import { systemChromium } from '../support/browser.js';

/*
 * Issue 73: `npm test` on a fresh machine, where Debian's chromium is not installed. The probe
 * runs in a private mount namespace where the system Chromium is hidden (bound over by
 * /dev/null), with CHROMIUM_PATH unset and a temporary directory of its own, so the browser it
 * opens a page in can only be the one npm installed. Needs root and unshare, as CI has; without
 * them the test fails saying so rather than pass untested.
 */
const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'ix-no-chromium-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hide = [
  'set -e',
  'for f in /usr/bin/chromium /usr/bin/chromium-browser /usr/lib/chromium/chromium; do',
  '  if [ -e "$f" ]; then mount --bind /dev/null "$f"; fi',
  'done',
  'exec "$@"',
].join('\n');

describe('the browser tests on a machine without a system Chromium', { timeout: 120_000 }, () => {
  it('open a page in the Chromium npm installed', () => {
    expect(process.getuid?.(), 'the mount namespace needs root (CI runs as root)').toBe(0);
    const env: Record<string, string | undefined> = { ...process.env, TMPDIR: scratch };
    delete env['CHROMIUM_PATH'];
    const run = spawnSync(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        hide,
        'sh',
        process.execPath,
        '--import',
        'tsx',
        'test/support/browser-probe.ts',
      ],
      { cwd: root, env, encoding: 'utf8', timeout: 100_000 },
    );
    expect(run.error, String(run.error)).toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    const probe = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      executable: string;
      heading: string;
    };
    expect(probe.heading).toBe('Interchange console');
    // Not the system one, which the namespace hid.
    expect(probe.executable.startsWith(scratch)).toBe(true);
    expect(probe.executable).not.toBe(systemChromium());
  });
});
