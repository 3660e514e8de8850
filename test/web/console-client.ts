import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/**
 * The console as a browser drives it, over app.inject: GETs and form POSTs with the session
 * cookie, and a signed-in seller's cookie and CSRF token.
 */
export interface Browserish {
  cookie: string;
  csrf: string;
}

export const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
export const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
export const cookiePair = (setCookie: unknown) => String(setCookie).split(';')[0]!;

export function consoleClient(app: () => FastifyInstance) {
  async function get(
    url: string,
    cookie?: string,
    on: FastifyInstance = app(),
    headers: Record<string, string> = {},
  ) {
    return on.inject({ method: 'GET', url, headers: { ...headers, ...(cookie && { cookie }) } });
  }

  async function post(
    url: string,
    values: Record<string, string>,
    cookie?: string,
    on: FastifyInstance = app(),
    headers: Record<string, string> = {},
  ) {
    return on.inject({
      method: 'POST',
      url,
      headers: {
        ...headers,
        'content-type': 'application/x-www-form-urlencoded',
        ...(cookie && { cookie }),
      },
      payload: form(values),
    });
  }

  /** A visitor's session: the sign-in page's cookie and the token its form carries. */
  async function visit(on: FastifyInstance = app()): Promise<Browserish> {
    const page = await get('/console/sign-in', undefined, on);
    expect(page.statusCode).toBe(200);
    return { cookie: cookiePair(page.headers['set-cookie']), csrf: csrfOf(page.body) };
  }

  /** Signs in with `key`; `headers` (a User-Agent) go with the sign-in POST. */
  async function signIn(
    key: string,
    on: FastifyInstance = app(),
    headers: Record<string, string> = {},
  ): Promise<Browserish> {
    const visitor = await visit(on);
    const res = await post(
      '/console/sign-in',
      { csrf: visitor.csrf, apiKey: key },
      visitor.cookie,
      on,
      headers,
    );
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/console');
    const cookie = cookiePair(res.headers['set-cookie']);
    const home = await get('/console', cookie, on);
    expect(home.statusCode).toBe(200);
    return { cookie, csrf: csrfOf(home.body) };
  }

  return { get, post, visit, signIn };
}
