import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CustomerPrincipal } from '../../platform/principal.js';
import {
  type ApiAnswer,
  type ApiCall,
  type ApiError,
  ApiFailure,
  type ConsoleApi,
  seg,
} from './api.js';
import {
  bodyOf,
  type FormSpec,
  type FormState,
  type FormValues,
  renderForm,
  type RouteSchemas,
  stateOf,
} from './forms/index.js';
import { continueAwayPage } from './continue-away.js';
import { type Flash, type Frame, notFoundPage, type Persona } from './layout.js';
import { type notices, noticeText } from './notices.js';
import { sendPage as html, seeOther as redirect } from './responses.js';
import type { ConsoleSession } from './session/cookies.js';

export interface Signed {
  principal: CustomerPrincipal;
  session: ConsoleSession;
  /** The server-side session record's public id (the sessions list marks it). */
  sessionId: string;
  persona: Persona;
}

/** What a CSRF check reads of a request: its cookie header and the form's token in its body. */
export type FormPost = Pick<FastifyRequest, 'headers' | 'body'>;

/** What a page is drawn from: who is signed in, the API as them, and the request. */
export interface PageArgs {
  signed: Signed;
  api: ConsoleApi;
  request: FastifyRequest;
  params: Record<string, string>;
  query: Record<string, string>;
  csrf: string;
  flash?: Flash | undefined;
  /** A submitted form that came back refused, with what was typed. */
  state?: FormState | undefined;
  /** Renders a form with this session's token and, when it is the refused one, its errors. */
  form: (spec: FormSpec) => string;
  /** The page frame (title, navigation) for this persona. */
  frame: (title: string, current: string) => Promise<Frame>;
}

export type PageRender = (args: PageArgs) => Promise<string>;

type Notice = keyof typeof notices;

export interface FormContext {
  params: Record<string, string>;
  values: FormValues;
  signed: Signed;
  api: ConsoleApi;
}

export interface ApiFormOptions {
  /** The console URL the form posts to (with the page's :params). */
  url: string;
  persona: Persona | 'ANY';
  /** The page (pattern) re-rendered with the errors when the API refuses. */
  page: string;
  /** The form as its page draws it (its id, fields and API route). */
  spec: (args: { params: Record<string, string> }) => FormSpec;
  /** Adjusts the body built from the fields (adds ids the page knows). */
  shape?: (body: Record<string, unknown>, ctx: FormContext) => Record<string, unknown>;
  /** The whole API call, when it is not simply the spec's route with the body. */
  call?: (body: Record<string, unknown>, ctx: FormContext) => ApiCall | Promise<ApiCall>;
  /** Where to go after success, and what to say there. */
  done: (
    data: unknown,
    ctx: { params: Record<string, string>; values: FormValues },
  ) => { to: string; notice: Notice; subject: string };
  /**
   * After success the browser leaves the console for another origin's consent page (a
   * provider's login dialog): the answer's absolute URL, who it is and why; `done` is not used.
   */
  away?: (
    data: unknown,
  ) => { who: string; url: string; purpose: string; setCookie?: string | undefined } | undefined;
  /** An action without a body (activate, disable): the route has none, the fields are empty. */
  noBody?: boolean;
  /** Renames what a refusal names to the form's fields (a report's rows → its text field). */
  refusal?: (error: ApiError) => ApiError;
}

export interface ConsoleContext {
  scope: FastifyInstance;
  schemas: RouteSchemas;
  /** Registers a GET page for a persona. */
  page(path: string, persona: Persona | 'ANY', render: PageRender): void;
  /** Registers a form POST answered by an API route (see ApiFormOptions). */
  apiForm(options: ApiFormOptions): void;
  /** The signed-in caller of this persona, or undefined after a redirect was sent. */
  signedIn(
    request: FastifyRequest,
    reply: FastifyReply,
    persona?: Persona,
  ): Promise<Signed | undefined>;
  /** Whether the form's token (`body.csrf`) matches the session cookie's (`headers.cookie`). */
  csrfOk(request: FormPost): boolean;
  refuseCsrf(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  apiFor(signed: Signed, request: FastifyRequest): ConsoleApi;
  /** Renders the page registered at `path` (pattern) for a request, with a flash or form state. */
  render(
    path: string,
    signed: Signed,
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra?: { flash?: Flash; state?: FormState },
  ): Promise<FastifyReply>;
}

export interface ContextDeps {
  scope: FastifyInstance;
  schemas: RouteSchemas;
  signedIn: ConsoleContext['signedIn'];
  csrfOk: ConsoleContext['csrfOk'];
  refuseCsrf: ConsoleContext['refuseCsrf'];
  apiFor: ConsoleContext['apiFor'];
  frameOf: (signed: Signed, api: ConsoleApi, title: string, current: string) => Promise<Frame>;
}

/**
 * The console's routing kit: pages are GET routes drawn for one persona; forms post back here
 * with the session's CSRF token and become a request to the API route they stand for.
 */
export function consoleContext(deps: ContextDeps): ConsoleContext {
  const { scope } = deps;
  const pages = new Map<string, { persona: Persona | 'ANY'; render: PageRender }>();

  const argsFor = (
    signed: Signed,
    request: FastifyRequest,
    extra: { flash?: Flash | undefined; state?: FormState | undefined },
  ): PageArgs => {
    const api = deps.apiFor(signed, request);
    const csrf = signed.session.csrf;
    return {
      signed,
      api,
      request,
      params: (request.params ?? {}) as Record<string, string>,
      query: stringsOf(request.query),
      csrf,
      flash: extra.flash,
      state: extra.state,
      form: (spec) => renderForm(spec, csrf, deps.schemas, extra.state),
      frame: (title, current) => deps.frameOf(signed, api, title, current),
    };
  };

  const render: ConsoleContext['render'] = async (path, signed, request, reply, status, extra) => {
    const entry = pages.get(path);
    if (!entry) throw new Error(`no console page ${path}`);
    const args = argsFor(signed, request, extra ?? {});
    try {
      return html(reply, status, await entry.render(args));
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      // Another customer's object, or one that is gone: the API said 404, so does the page.
      const frame = await args.frame(error.status === 404 ? 'Not found' : 'Refused', path);
      return html(reply, error.status, notFoundPage(frame, error.error.message));
    }
  };

  return {
    scope,
    schemas: deps.schemas,
    signedIn: deps.signedIn,
    csrfOk: deps.csrfOk,
    refuseCsrf: deps.refuseCsrf,
    apiFor: deps.apiFor,
    render,
    page(path, persona, pageRender) {
      pages.set(path, { persona, render: pageRender });
      scope.get(path, { schema: { hide: true } }, async (request, reply) => {
        const signed = await deps.signedIn(request, reply, personaOf(persona));
        if (!signed) return reply;
        const query = request.query as { notice?: string; subject?: string };
        const text = noticeText(query.notice, query.subject);
        return render(path, signed, request, reply, 200, {
          ...(text && { flash: { kind: 'info', text } }),
        });
      });
    },
    apiForm(options) {
      scope.post(options.url, { schema: { hide: true } }, async (request, reply) => {
        if (!deps.csrfOk(request)) return deps.refuseCsrf(request, reply);
        const signed = await deps.signedIn(request, reply, personaOf(options.persona));
        if (!signed) return reply;
        const params = (request.params ?? {}) as Record<string, string>;
        const values = (request.body ?? {}) as FormValues;
        const spec = options.spec({ params });
        const api = deps.apiFor(signed, request);
        const [method, route] = spec.route.split(' ') as [ApiCall['method'], string];
        const ctx: FormContext = { params, values, signed, api };
        const built = options.noBody ? {} : bodyOf(spec.fields, values);
        const body = options.shape ? options.shape(built, ctx) : built;
        let call: ApiCall;
        try {
          call = options.call
            ? await options.call(body, ctx)
            : { method, path: fillPath(route, params), ...(!options.noBody && { body }) };
        } catch (error) {
          // A read the call needed was refused (another customer's id): the page says so.
          if (!(error instanceof ApiFailure)) throw error;
          return render(options.page, signed, request, reply, error.status, {
            flash: { kind: 'error', text: error.error.message },
          });
        }
        const idem = typeof values.idem === 'string' ? values.idem : undefined;
        if (idem && /^[0-9a-f-]{36}$/.test(idem)) call.idempotencyKey = `console-${idem}`;
        const answer: ApiAnswer = await api.call(call);
        if (!answer.error) {
          const away = options.away?.(answer.data);
          if (away) {
            if (away.setCookie) reply.header('Set-Cookie', away.setCookie);
            return html(reply, 200, continueAwayPage(away));
          }
          const done = options.done(answer.data, { params, values });
          return redirect(reply, withNotice(done.to, done.notice, done.subject));
        }
        // A form of fields comes back with them; a button (activate, delete) may not be on the
        // page any more, so its refusal is said at the top of the page.
        const refused = options.refusal ? options.refusal(answer.error) : answer.error;
        return render(
          options.page,
          signed,
          request,
          reply,
          answer.status,
          spec.fields.length > 0
            ? { state: stateOf(spec, values, refused) }
            : { flash: { kind: 'error', text: refused.message } },
        );
      });
    },
  };
}

/** `to` with the notice in its query (before any #fragment). */
export function withNotice(to: string, notice: string, subject: string): string {
  const [path, hash] = to.split('#') as [string, string | undefined];
  const query = new URLSearchParams({ notice, subject });
  return `${path}${path.includes('?') ? '&' : '?'}${query}${hash ? `#${hash}` : ''}`;
}

const personaOf = (persona: Persona | 'ANY') => (persona === 'ANY' ? undefined : persona);

/** A route's :params filled from the console URL's params (encoded). */
export function fillPath(route: string, params: Record<string, string>): string {
  return route.replace(/:([A-Za-z]+)/g, (_m, name: string) => seg(params[name] ?? ''));
}

function stringsOf(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof query !== 'object' || query === null) return out;
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}
