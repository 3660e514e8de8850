import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import process from 'node:process';
import * as browsers from './browser.js';

/*
 * Opens one page on loopback in the browser test/support/browser.ts finds, and prints what it
 * used and what it read, as one line of JSON. Run by test/web/browser-without-system-chromium.test.ts
 * in a mount namespace that hides the system Chromium, as on a fresh machine.
 */
const server = createServer((_request, response) => {
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.end('<!doctype html><title>probe</title><h1>Interchange console</h1>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo; // listen(0) on TCP: always an AddressInfo
const browser = await browsers.launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const heading = await page.textContent('h1');
  process.stdout.write(
    `${JSON.stringify({ executable: await browsers.browserExecutable(), heading })}\n`,
  );
} finally {
  await browser.close();
  server.close();
}
