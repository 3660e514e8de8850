import process from 'node:process';
import { browserExecutable } from './browser.js';

/**
 * Vitest's global set-up: finds the browser once for the run (test/support/browser.ts), so that
 * when it is the npm one, it is unpacked once and not by several workers at the same time. The
 * workers inherit CHROMIUM_PATH. Not finding one fails no test here: only a browser test fails,
 * with the reason.
 */
export async function setup(): Promise<void> {
  try {
    process.env['CHROMIUM_PATH'] = await browserExecutable();
  } catch {
    // launchBrowser() says why, in the test that needs it.
  }
}
