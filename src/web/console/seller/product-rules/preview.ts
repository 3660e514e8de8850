import type { FastifyRequest } from 'fastify';
import type {
  PreviewEffect,
  PreviewProduct,
  ProductRulePreview,
} from '../../../../modules/product-rules/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import type { ApiError } from '../../api.js';
import type { ConsoleContext } from '../../context.js';
import { bodyOf, type FormSpec, type FormValues, stateOf } from '../../forms/index.js';
import { panel, postForm, table } from '../../layout.js';

/**
 * The product rules page's preview: the rule being drafted (or none) sent to
 * POST /api/v2/storefront/product-rules/preview, and the page drawn again with what buyers
 * would see, the form keeping what was typed. A plain form post (the Preview button's
 * formaction), so it works without script; the API validates the draft, and its refusals come
 * back at the fields they name.
 */
const api = '/api/v2/storefront/product-rules/preview';
export const previewAction = '/console/product-rules/preview';

/** The preview a POST computed, for the page it renders (one request, never shared). */
const previews = new WeakMap<FastifyRequest, ProductRulePreview>();
export const previewOf = (request: FastifyRequest) => previews.get(request);

export function registerProductRulesPreview(
  ctx: ConsoleContext,
  options: {
    page: string;
    spec: () => FormSpec;
    shape: (body: Record<string, unknown>) => Record<string, unknown>;
  },
): void {
  ctx.scope.post(previewAction, { schema: { hide: true } }, async (request, reply) => {
    if (!ctx.csrfOk(request)) return ctx.refuseCsrf(request, reply);
    const signed = await ctx.signedIn(request, reply, 'SELLER');
    if (!signed) return reply;
    const values = (request.body ?? {}) as FormValues;
    const spec = options.spec();
    // The rule form's Preview button sends the draft; the rules panel's button sends none.
    const drafting = values['form'] === spec.id;
    const body = drafting ? { add: [options.shape(bodyOf(spec.fields, values))] } : {};
    const answer = await ctx
      .apiFor(signed, request)
      .call<ProductRulePreview>({ method: 'POST', path: api, body });
    if (answer.error) {
      return ctx.render(
        options.page,
        signed,
        request,
        reply,
        answer.status,
        drafting
          ? { state: stateOf(spec, values, asDraftFields(answer.error)) }
          : { flash: { kind: 'error', text: answer.error.message } },
      );
    }
    previews.set(request, answer.data);
    return ctx.render(options.page, signed, request, reply, 200, {
      flash: { kind: 'info', text: summaryOf(answer.data) },
      ...(drafting && { state: { formId: spec.id, values, errors: {} } }),
    });
  });
}

/** The API names the draft's fields under `add.0.`; the form names them without. */
function asDraftFields(error: ApiError): ApiError {
  const strip = (field: string | undefined) => field?.replace(/^add\.0\.?/, '') || undefined;
  const issues = error.details?.['issues'] as Array<{ field: string; message: string }> | undefined;
  return {
    ...error,
    ...(error.field !== undefined && { field: strip(error.field) }),
    ...(issues && {
      details: {
        ...error.details,
        issues: issues.map((issue) => ({ ...issue, field: strip(issue.field) ?? '' })),
      },
    }),
  };
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function summaryOf(preview: ProductRulePreview): string {
  const saved = `${count(preview.current.products.length, 'product')} with the saved rules`;
  const shown = preview.draft
    ? `Buyers would see ${count(preview.draft.products.length, 'product')} with this rule added (${saved}).`
    : `Buyers see ${saved}.`;
  return `Preview below. ${shown} Nothing is saved yet.`;
}

/**
 * A Preview button after the form's own submit button (same fields, another action). The form's
 * button stays first, so Enter in a field still submits the form as it says.
 */
export function withPreviewButton(formHtml: string): string {
  return formHtml.replace(
    /(<div class="actions"><button type="submit"[^>]*>[^<]*<\/button>)/,
    `$1 <button type="submit" class="secondary" formaction="${previewAction}" formnovalidate>Preview the products</button>`,
  );
}

/** The rules panel's button: what buyers see under the saved rules. */
export const currentPreviewForm = (csrf: string) =>
  postForm(
    previewAction,
    csrf,
    `<button type="submit" class="secondary">Preview what buyers see now</button>`,
    'inline-form',
  );

const price = (p: PreviewProduct['prices'][number]) => {
  const money = (n: number) => `${n} ${p.currency}`;
  const parts: string[] = [];
  if (p.fixedPrice !== undefined) {
    const was =
      p.sourceFixedPrice !== undefined && p.sourceFixedPrice !== p.fixedPrice
        ? ` (source: ${money(p.sourceFixedPrice)})`
        : '';
    parts.push(`${money(p.fixedPrice)}${was}`);
  }
  if (p.floorPrice !== undefined) {
    const was =
      p.sourceFloorPrice !== undefined && p.sourceFloorPrice !== p.floorPrice
        ? ` (source: ${money(p.sourceFloorPrice)})`
        : '';
    parts.push(`floor ${money(p.floorPrice)}${was}`);
  }
  return `${p.pricingModel.toUpperCase()} ${parts.join(', ') || '—'}`;
};

const effects = (list: PreviewEffect[], none: string) =>
  list.length === 0
    ? `<span class="note">${e(none)}</span>`
    : `<ul class="effects">${list
        .map((x) => `<li>${e(x.message)}${x.rule?.draft ? ' <strong>(draft)</strong>' : ''}</li>`)
        .join('')}</ul>`;

const productCell = (p: PreviewProduct) =>
  `<strong>${e(p.name)}</strong><br><code>${e(p.productId)}</code>${
    p.components ? `<br>${e(`A package of ${count(p.components.length, 'product')}`)}` : ''
  }`;

/** The preview panel: sources asked, the rules in order, the products shown and hidden. */
export function previewPanel(preview: ProductRulePreview): string {
  const outcome = preview.draft ?? preview.current;
  const sources =
    preview.sources.length === 0
      ? '<p class="empty">No active inventory source answered: add and activate one first.</p>'
      : `<ul>${preview.sources
          .map((s) =>
            s.ok
              ? `<li>${e(s.name)} (<code>${e(s.sourceId)}</code>): ${e(count(s.productCount, 'product'))}</li>`
              : `<li>${e(s.name)} (<code>${e(s.sourceId)}</code>): not included, ${e(s.error?.message ?? 'it did not answer')}</li>`,
          )
          .join('')}</ul>`;
  const rules = !preview.rulesApply
    ? '<p class="note">This is a passthrough storefront: buyers see its first source’s products as they are, and rules are not applied.</p>'
    : outcome.rules.length === 0
      ? '<p class="note">No active rules: buyers see the products as your sources offer them.</p>'
      : `<p>Rules, in the order they apply:</p><ol>${outcome.rules
          .map(
            (r) =>
              `<li>${e(r.name)} (${e(r.kind)})${r.draft ? ' <strong>(draft)</strong>' : ''}</li>`,
          )
          .join('')}</ol>`;
  const shown = table(
    preview.draft ? 'What buyers would see with this rule' : 'What buyers see now',
    ['Product', 'Channel', 'Price', 'What the rules did'],
    outcome.products.map((p) => [
      productCell(p),
      e(p.channels.join(', ') || '—'),
      p.prices.map((x) => e(price(x))).join('<br>'),
      effects(p.effects, 'As the source offers it'),
    ]),
    'No products would be shown.',
  );
  const hidden = table(
    'Hidden from buyers',
    ['Product', 'Channel', 'Why'],
    outcome.hidden.map((p) => [
      productCell(p),
      e(p.channels.join(', ') || '—'),
      effects(p.effects, 'Hidden'),
    ]),
    'No product is hidden.',
  );
  return panel(
    'preview-h',
    'Preview: the products buyers would see',
    `<p class="note">Asked your sources at ${e(preview.fetchedAt.slice(11, 19))} UTC, as a buyer's wholesale listing. Nothing is saved until you add the rule.</p>
${sources}${rules}${shown}${hidden}`,
  );
}
