import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';
import { type Browser, chromium } from 'playwright-core';

/**
 * The one place the suite finds its browser (issue 73), in this order:
 * 1. `CHROMIUM_PATH`, when set;
 * 2. a system Chromium: `chromium` or `chromium-browser` on PATH (Debian's package, what CI
 *    installs);
 * 3. the Chromium that `npm install` brings from the npm registry (@sparticuz/chromium, a
 *    headless build that needs only libc, libgcc and libexpat; unpacked into the temporary
 *    directory on first use, about 5 s).
 * None of them: the error says how to get one. A browser test never skips for want of a browser.
 */
export async function browserExecutable(): Promise<string> {
  const chosen = process.env['CHROMIUM_PATH'];
  if (chosen) return chosen;
  const system = systemChromium();
  if (system) return system;
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return await packaged.executablePath();
  } catch (error) {
    throw new Error(
      'No Chromium for the browser tests: none on PATH (chromium, chromium-browser), no ' +
        'CHROMIUM_PATH, and the npm one (@sparticuz/chromium) did not unpack ' +
        `(${(error as Error).message}). Run \`npm install\` again, or \`apt-get install chromium\`, ` +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
}

/** A Chromium on PATH, or undefined. */
export function systemChromium(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of ['chromium', 'chromium-browser']) {
      const path = join(dir, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Chromium headless, with the flags this closed network needs to start quietly (playwright
 * gives it a fresh profile dir). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: await browserExecutable(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
