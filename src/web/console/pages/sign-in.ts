import { escapeHtml as e } from '../../../platform/http/html.js';
import { document, type Flash, flashHtml } from '../layout.js';

/**
 * The sign-in form: an organisation's API key, posted with the visitor session's CSRF token. A
 * seller's key opens the storefront console, a buyer's the buyer console.
 */
export function renderSignIn(csrf: string, flash?: Flash): string {
  return document(
    'Sign in · Interchange console',
    `<main id="main" class="signin"><h1>Interchange console</h1>
<p>Sign in with your organisation's API key: a seller key opens your storefront's console, a
buyer key your advertisers and campaigns. It is kept encrypted in a session cookie
that expires after eight hours, and is never shown again. Signing out, or ending the session
from the Sessions page, ends it on the server: a copy of the cookie stops working too.</p>
${flashHtml(flash)}
<form method="post" action="/console/sign-in">
<input type="hidden" name="csrf" value="${e(csrf)}">
<div class="field"><label for="apiKey">API key</label>
<input id="apiKey" name="apiKey" type="password" required autocomplete="off" spellcheck="false"></div>
<button type="submit">Sign in</button></form></main>`,
  );
}

/** A refused form of a signed-in seller: the message, and the way back. */
export function renderRefused(text: string): string {
  return document(
    'Refused · Interchange console',
    `<main id="main" class="signin"><h1>Request refused</h1>
${flashHtml({ kind: 'error', text })}
<p><a href="/console">Back to the console</a></p></main>`,
  );
}
