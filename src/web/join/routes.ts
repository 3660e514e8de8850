import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../../platform/errors.js';
import type { OutboundFetch } from '../../platform/outbound/index.js';
import { findUnstorableInput } from '../../platform/storable-input.js';
import {
  invalidContext,
  type JoinLinksService,
  signupBody,
  slugSchema,
} from '../../modules/join-links/index.js';
import { type Language, messages, offeredLanguages, pickLanguage } from './i18n.js';
import { createLogoProxy } from './logo-proxy.js';
import {
  type FieldErrors,
  type FormValues,
  renderForm,
  renderInvalid,
  renderResult,
} from './render.js';

// The page runs no script and loads nothing from elsewhere; the policy makes that a guarantee.
const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; " +
  "base-uri 'none'; frame-ancestors 'none'";

const formFields = ['name', 'email', 'brandDomain', 'company', 'country'] as const;

/** The co-branded /join/{slug} signup page (server-rendered, works without JavaScript). */
export function registerJoinPages(
  app: FastifyInstance,
  deps: { joinLinks: JoinLinksService; fetch: OutboundFetch },
): void {
  const logoFor = createLogoProxy(deps.fetch);

  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    const html = (reply: FastifyReply, status: number, page: string) =>
      reply
        .status(status)
        .header('Content-Security-Policy', contentSecurityPolicy)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Referrer-Policy', 'no-referrer')
        .type('text/html; charset=utf-8')
        .send(page);

    async function frameFor(request: FastifyRequest, slug: string) {
      const context = await deps.joinLinks.context(slug);
      const languages = offeredLanguages(context.supportedLanguages);
      const asked = (request.query as { lang?: string }).lang;
      const lang: Language =
        asked && languages.includes(asked as Language)
          ? (asked as Language)
          : pickLanguage(request.headers['accept-language'], context.supportedLanguages);
      return { context, lang, languages };
    }

    scope.get('/join/:slug', { schema: { hide: true } }, async (request, reply) => {
      const slug = (request.params as { slug: string }).slug;
      if (!slugSchema.safeParse(slug).success) return html(reply, 404, invalidPage(slug));
      const frame = await frameFor(request, slug);
      if (!frame.context.valid) return html(reply, 404, renderInvalid(frame));
      return html(reply, 200, renderForm(frame));
    });

    scope.post('/join/:slug', { schema: { hide: true } }, async (request, reply) => {
      const slug = (request.params as { slug: string }).slug;
      if (!slugSchema.safeParse(slug).success) return html(reply, 404, invalidPage(slug));
      const frame = await frameFor(request, slug);
      if (!frame.context.valid) return html(reply, 410, renderInvalid(frame));
      const form = (request.body ?? {}) as Record<string, string>;
      const values: FormValues = Object.fromEntries(
        formFields.map((f) => [f, typeof form[f] === 'string' ? form[f] : '']),
      );
      const t = messages[frame.lang];
      const parsed = signupBody.safeParse({
        name: values.name,
        email: values.email,
        brandDomain: values.brandDomain,
        ...(values.company ? { company: values.company } : {}),
        ...(values.country ? { country: values.country.toUpperCase() } : {}),
        acceptTerms: form.acceptTerms === 'on',
      });
      // The API validator's rule, here too: input the database cannot store is refused.
      const unstorable = findUnstorableInput(values);
      if (!parsed.success || unstorable) {
        const errors: FieldErrors = {};
        if (unstorable) errors[unstorable.path[0] as keyof FormValues] = unstorable.problem;
        for (const issue of parsed.success ? [] : parsed.error.issues) {
          const key = issue.path[0] as keyof FieldErrors;
          const blank = key !== 'acceptTerms' && !values[key as keyof FormValues];
          errors[key] ??= blank || key === 'acceptTerms' ? t.required : issue.message;
        }
        return html(reply, 400, renderForm(frame, values, errors));
      }
      try {
        const result = await deps.joinLinks.signup(slug, parsed.data);
        reply.header('Cache-Control', 'no-store');
        return html(reply, 201, renderResult(frame, result));
      } catch (error) {
        if (isAppError(error) && error.field === 'email') {
          return html(reply, 409, renderForm(frame, values, { email: t.duplicate }));
        }
        if (isAppError(error) && (error.kind === 'conflict' || error.kind === 'not_found')) {
          return html(reply, 410, renderInvalid(frame));
        }
        throw error;
      }
    });

    scope.get('/join/:slug/logo', { schema: { hide: true } }, async (request, reply) => {
      const slug = (request.params as { slug: string }).slug;
      const context = slugSchema.safeParse(slug).success
        ? await deps.joinLinks.context(slug)
        : null;
      const logo = context?.logoUrl ? await logoFor(context.logoUrl) : null;
      if (!logo) return reply.status(404).type('text/plain').send('no logo');
      return reply
        .header('Cache-Control', 'public, max-age=600')
        .header('Content-Security-Policy', "default-src 'none'")
        .header('X-Content-Type-Options', 'nosniff')
        .type(logo.type)
        .send(logo.body);
    });
  });
}

function invalidPage(slug: string): string {
  return renderInvalid({ lang: 'en', languages: ['en'], context: invalidContext(slug) });
}
