import { escapeHtml as e } from '../../platform/http/html.js';
import { document } from './layout.js';

/**
 * The page that sends the browser on to another origin's consent page (an OAuth authorization
 * server, a provider's login dialog): a link the forms script follows at once. A redirect after
 * a form post to another origin would break the console's form-action policy.
 */
export function continueAwayPage(args: { who: string; url: string; purpose: string }): string {
  const host = hostOf(args.url);
  return document(
    `Connect ${args.who} · Interchange console`,
    `<main id="main" class="signin"><h1>Connect ${e(args.who)}</h1>
<p>You are going to the sign-in page at <strong>${e(host)}</strong> ${e(args.purpose)}</p>
<p><a class="button" id="continue" href="${e(args.url)}" data-auto-follow="true">Continue to ${e(host)}</a></p></main>`,
    '<script src="/console/assets/console-forms.js" defer></script>',
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}
