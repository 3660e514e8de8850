import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenFake } from '../listen.js';
import { createMetaState, type FakeMetaOptions, type FakeToken, type MetaState } from './state.js';
import { metaSocialRoute } from './social.js';
import { metaCatalogRoute } from './catalogs.js';
import { json, metaAdsRoute } from './ads.js';

/*
 * A fake Meta over a real socket, written from Meta's public documentation, so the Meta adapter
 * runs as it would in production (its base URLs are configuration):
 * - the Login dialog (GET /{version}/dialog/oauth) and its redirect back with `code` and
 *   `state`, or `error=access_denied&error_reason=user_denied` when the person refuses
 *   (developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow);
 * - /oauth/access_token: the code exchanged once for a short-lived token, and
 *   grant_type=fb_exchange_token for a long-lived one, refused for an expired token
 *   (…/facebook-login/guides/access-tokens/get-long-lived);
 * - the Graph API with the token as a bearer: /me/adaccounts and /me/accounts with cursor
 *   paging, POST /{id} to change status, GET /{id}, GET /{campaign-id}/insights?level=adset,
 *   DELETE /me/permissions (…/marketing-api/reference/ad-account/…, …/marketing-api/insights);
 * - a token is its person's: /me/adaccounts lists the ad accounts that person has access to
 *   (the User "adaccounts" edge; `consentAccounts` at their login), and an ad account of someone
 *   else, or an object in one, answers as an unknown object does (code 100, subcode 33: "does not
 *   exist, cannot be loaded due to missing permissions, or does not support this operation");
 * - campaigns, ad sets, ad creatives and ads, made and listed: meta-ads.ts;
 * - a call held before it is handled until the test lets it go (holdNext: a slow Meta);
 * - errors as Meta's error object: 190 OAuthException for a bad, expired or revoked token,
 *   100 for a missing parameter, injected throttles (code 17) and 500s
 *   (…/graph-api/guides/error-handling, …/marketing-api/overview/rate-limiting);
 * - GET /me/permissions: the permissions the person granted at the dialog (`scope`), and
 *   declined ones (…/graph-api/reference/user/permissions);
 * - Custom Audiences, pixels and the Conversions API: meta-social.ts; product catalogs, their
 *   items and feeds: meta-catalogs.ts.
 */

export interface FakeMeta {
  /** Origin of the fake; the Graph API is under /v21.0. */
  url: string;
  apiUrl: string;
  authorizeUrl: string;
  state: MetaState;
  close(): Promise<void>;
}

const version = 'v21.0';

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const graphError = (code: number, message: string, type = 'OAuthException', subcode?: number) => ({
  error: {
    message,
    type,
    code,
    ...(subcode && { error_subcode: subcode }),
    fbtrace_id: 'AfakeTrace',
  },
});

async function formOf(req: IncomingMessage, url: URL): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const form: Record<string, string> = Object.fromEntries(url.searchParams);
  for (const [k, v] of new URLSearchParams(body)) form[k] = v;
  return form;
}

export async function startFakeMeta(options: FakeMetaOptions): Promise<FakeMeta> {
  const state = createMetaState(options);
  const { url, close } = await listenFake(
    (req, res) => handle(state, req, res),
    (res) => send(res, 500, graphError(1, 'An unknown error occurred', 'OAuthException')),
  );
  return {
    url,
    apiUrl: `${url}/${version}`,
    authorizeUrl: `${url}/${version}/dialog/oauth`,
    state,
    close,
  };
}

async function handle(state: MetaState, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://fake');
  const path = url.pathname.replace(`/${version}`, '');
  const form = await formOf(req, url);
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  state.calls.push({ method: req.method ?? 'GET', path, grant: form.grant_type ?? null });

  if (path === '/dialog/oauth') return dialog(state, url, res);
  if (path === '/oauth/access_token') return accessToken(state, form, res);

  await state.heldBefore(`${req.method ?? 'GET'} ${path}`);
  const failure = state.takeFailure(`${req.method ?? 'GET'} ${path}`);
  if (failure) return send(res, failure.status, { error: failure.error }, failure.headers);
  const token = state.live(bearer ?? form.access_token);
  if (!token) {
    return send(
      res,
      400,
      graphError(
        190,
        'Error validating access token: the session is invalid.',
        'OAuthException',
        460,
      ),
    );
  }
  const self = `http://${req.headers.host ?? 'fake'}${url.pathname}`;
  return graph(state, req.method ?? 'GET', path, form, res, self, token);
}

function dialog(state: MetaState, url: URL, res: ServerResponse) {
  const q = url.searchParams;
  const redirectUri = q.get('redirect_uri') ?? '';
  const allowed = state.options.redirectUris;
  if (
    q.get('client_id') !== state.options.clientId ||
    !redirectUri ||
    (allowed && !allowed.includes(redirectUri))
  ) {
    res.writeHead(400, { 'content-type': 'text/html' });
    return res.end(
      "<p>URL blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.</p>",
    );
  }
  const back = new URL(redirectUri);
  if (state.consent === 'deny') {
    back.searchParams.set('error', 'access_denied');
    back.searchParams.set('error_code', '200');
    back.searchParams.set('error_description', 'Permissions error');
    back.searchParams.set('error_reason', 'user_denied');
  } else {
    const asked = (q.get('scope') ?? '').split(',').filter(Boolean);
    const granted = asked.filter((s) => !state.declined.has(s));
    const accounts = state.consentAccounts && [...state.consentAccounts];
    back.searchParams.set('code', state.issueCode(redirectUri, granted, accounts));
  }
  back.searchParams.set('state', q.get('state') ?? '');
  res.writeHead(302, { location: back.toString() });
  res.end();
}

function accessToken(state: MetaState, form: Record<string, string>, res: ServerResponse) {
  if (
    form.client_id !== state.options.clientId ||
    form.client_secret !== state.options.clientSecret
  ) {
    return send(res, 400, graphError(101, 'Error validating client secret.'));
  }
  if (form.grant_type === 'fb_exchange_token') {
    if (!state.live(form.fb_exchange_token)) {
      return send(
        res,
        400,
        graphError(
          190,
          'Error validating access token: Session has expired.',
          'OAuthException',
          463,
        ),
      );
    }
    const short = state.live(form.fb_exchange_token)!;
    const token = state.issueToken('long', state.longLivedSeconds, short.scopes, short.accounts);
    return send(res, 200, {
      access_token: token,
      token_type: 'bearer',
      expires_in: state.longLivedSeconds,
    });
  }
  const code = state.codes.get(form.code ?? '');
  if (!code || code.used || code.redirectUri !== form.redirect_uri) {
    return send(
      res,
      400,
      graphError(100, 'This authorization code has been used.', 'OAuthException', 36009),
    );
  }
  code.used = true;
  return send(res, 200, {
    access_token: state.issueToken('short', 7200, code.scopes, code.accounts),
    token_type: 'bearer',
    expires_in: 7200,
  });
}

function page<T>(items: T[], url: Record<string, string>, self: string) {
  const limit = Number(url.limit ?? 25);
  const after = Number(url.after ?? 0);
  const slice = items.slice(after, after + limit);
  const more = after + limit < items.length;
  return {
    data: slice,
    paging: {
      cursors: { before: String(after), after: String(after + slice.length) },
      ...(more && { next: `${self}?limit=${limit}&after=${after + limit}` }),
    },
  };
}

function graph(
  state: MetaState,
  method: string,
  path: string,
  form: Record<string, string>,
  res: ServerResponse,
  self: string,
  token: FakeToken,
) {
  const paged = (items: unknown[]) => page(items, form, self);
  // Another person's ad account, or an object in one, is as good as absent to this token.
  const [, id] = /^\/(act_\d+|\d+\w*)(?:\/|$)/.exec(path) ?? [];
  const owner = id?.startsWith('act_') ? id : state.objects.get(id ?? '')?.account;
  if (owner?.startsWith('act_') && !state.reaches(token, owner)) {
    const message =
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, ` +
      'cannot be loaded due to missing permissions, or does not support this operation';
    return send(res, 400, graphError(100, message, 'GraphMethodException', 33));
  }
  const call = { state, method, path, form, res, send, graphError, page: paged };
  if (metaAdsRoute(call) || metaSocialRoute(call) || metaCatalogRoute(call, token.scopes)) return;
  if (method === 'GET' && path === '/me/permissions') {
    const asked = ['ads_management', 'ads_read', 'business_management', 'catalog_management'];
    return send(
      res,
      200,
      paged([
        ...token.scopes.map((permission) => ({ permission, status: 'granted' })),
        ...asked
          .filter((p) => !token.scopes.includes(p))
          .map((permission) => ({ permission, status: 'declined' })),
      ]),
    );
  }
  if (method === 'GET' && path === '/me/adaccounts')
    return send(
      res,
      200,
      page(
        state.adAccounts.filter((a) => state.reaches(token, a.id)),
        form,
        self,
      ),
    );
  if (method === 'GET' && path === '/me/accounts')
    return send(res, 200, page(state.pages, form, self));
  if (method === 'DELETE' && path === '/me/permissions') {
    state.revokeAll();
    return send(res, 200, { success: true });
  }
  const insights = /^\/(\d+\w*)\/insights$/.exec(path);
  if (insights && method === 'GET') {
    const campaign = state.objects.get(insights[1]!);
    if (!campaign)
      return send(
        res,
        400,
        graphError(100, 'Unsupported get request.', 'GraphMethodException', 33),
      );
    const rows = state
      .ofKind('adset')
      .filter((a) => a.fields.campaign_id === campaign.id)
      .flatMap((a) => {
        const f = state.insights.get(a.id);
        return f
          ? [
              {
                adset_id: a.id,
                impressions: String(f.impressions),
                clicks: String(f.clicks),
                spend: f.spend.toFixed(2),
                date_start: '2026-01-01',
                date_stop: '2026-12-31',
              },
            ]
          : [];
      });
    return send(res, 200, page(rows, form, self));
  }
  const node = /^\/(act_\d+|\d+\w*)$/.exec(path);
  if (node) {
    const account = state.adAccounts.find((a) => a.id === node[1]);
    if (account && method === 'GET') return send(res, 200, account);
    const object = state.objects.get(node[1]!);
    if (!object)
      return send(res, 400, graphError(100, 'Unsupported request.', 'GraphMethodException', 33));
    if (method === 'POST') {
      if (form.status) object.fields.status = form.status;
      // An ad set's budget and flight change in place ("Ad Set" reference, Updating).
      if (object.kind === 'adset') {
        for (const field of ['lifetime_budget', 'start_time', 'end_time'] as const) {
          if (form[field] !== undefined) object.fields[field] = json(form[field], field);
        }
      }
      return send(res, 200, { success: true });
    }
    return send(res, 200, {
      id: object.id,
      ...object.fields,
      effective_status: object.fields.status,
    });
  }
  return send(res, 400, graphError(100, 'Unknown path components', 'OAuthException', 2500));
}
