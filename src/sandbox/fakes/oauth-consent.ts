import type { ServerResponse } from 'node:http';

/*
 * The consent page of a fake provider's OAuth 2.0 authorization-code app (RFC 6749 4.1.1-4.1.2):
 * a request from an unknown client, without `response_type=code`, with another scope than the
 * provider's or a redirect URI not registered is refused on the page itself; otherwise the user's
 * answer goes back to the redirect URI, a code on approval or `error=access_denied`, with the
 * caller's `state`. What each provider adds to the redirect is its own.
 */
export interface ConsentRules {
  clientId: string;
  /** The app's registered redirect URIs; any when omitted. */
  redirectUris?: readonly string[];
  /** The one scope the provider's page takes, exactly; not checked when omitted. */
  scope?: string;
  /** The page's words for a request it refuses. */
  refusal: string;
  approves: boolean;
  /** The redirect's parameters on approval: the code issued, and what else the provider adds. */
  approved: (redirectUri: string, query: URLSearchParams) => Record<string, string>;
  /** What the redirect carries beside `error=access_denied`. */
  denied?: Record<string, string>;
}

export function answerConsent(rules: ConsentRules, url: URL, res: ServerResponse) {
  const q = url.searchParams;
  const redirectUri = q.get('redirect_uri') ?? '';
  if (
    q.get('client_id') !== rules.clientId ||
    q.get('response_type') !== 'code' ||
    (rules.scope !== undefined && q.get('scope') !== rules.scope) ||
    !redirectUri ||
    (rules.redirectUris && !rules.redirectUris.includes(redirectUri))
  ) {
    res.writeHead(400, { 'content-type': 'text/html' });
    return res.end(`<p>${rules.refusal}</p>`);
  }
  const back = new URL(redirectUri);
  const params = rules.approves
    ? rules.approved(redirectUri, q)
    : { error: 'access_denied', ...rules.denied };
  for (const [name, value] of Object.entries(params)) back.searchParams.set(name, value);
  back.searchParams.set('state', q.get('state') ?? '');
  res.writeHead(302, { location: back.toString() });
  res.end();
}
