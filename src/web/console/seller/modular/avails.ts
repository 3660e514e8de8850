import type { FastifyRequest } from 'fastify';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import { type FormSpec, type FormValues, stateOf } from '../../forms/index.js';
import { first } from '../../forms/values.js';
import { page, panel, table } from '../../layout.js';
import type { UploadLimits } from '../../../../platform/uploads/gate.js';
import { discardRestOfBody } from '../../../../platform/uploads/receive.js';
import { multipartBody, readConsoleUpload } from '../../upload-forward.js';
import { commitSpec, previewPanel, rulesPanel } from './avails-preview.js';
import {
  availsPage,
  type FeedPreview,
  type FeedRules,
  modularApi,
  type ModularProduct,
  type Projection,
  sourcePage,
  sourcesApi,
} from './wire.js';

const pagePath = '/console/sources/:sourceId/avails';
const uploadFields = ['contractId', 'deliverySemantics', 'columnMapping'];

const uploadSpec = (sourceId: string): FormSpec => ({
  id: 'avails-upload',
  action: `${availsPage(sourceId)}/upload`,
  route: `POST ${sourcesApi}/:sourceId/feed/upload`,
  multipart: true,
  busy: 'Uploading the file and checking every row…',
  submit: 'Upload and preview',
  values: { contractId: 'static-avails-feed:v1', deliverySemantics: 'FULL_REPLACEMENT' },
  fields: [
    {
      name: 'contractId',
      label: 'What the file holds',
      kind: 'select',
      options: [
        { value: 'static-avails-feed:v1', label: 'Avails (static-avails-feed:v1)' },
        { value: 'wholesale-avails-pricing:v1', label: 'Avails with wholesale pricing' },
      ],
    },
    {
      name: 'deliverySemantics',
      label: 'Avails the file leaves out',
      kind: 'radio',
      options: [
        { value: 'FULL_REPLACEMENT', label: 'Take them off sale (the file is everything)' },
        { value: 'PATCH_UPSERT', label: 'Keep them on sale (the file adds and updates)' },
      ],
    },
    {
      name: 'columnMapping',
      label: 'Column mapping (optional)',
      kind: 'textarea',
      hint: 'A JSON object from a header in your file to the column it holds, e.g. {"Placement": "name", "Imps": "impressions"}; a column may be named by any header it is known by (listed below). Saved on the source for later files. Headers listed below need no mapping.',
    },
    {
      name: 'file',
      label: 'Avails file (CSV, XLSX, JSON or JSON lines)',
      kind: 'file',
      attrs:
        'accept=".csv,.xlsx,.json,.jsonl,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/json"',
    },
  ],
});

/** The preview an upload computed, for the page it renders (one request, never shared). */
const previews = new WeakMap<FastifyRequest, FeedPreview>();

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * A modular source's avails: what is on sale, a file uploaded as the API's streamed upload
 * (…/feed/upload) and its preview (every refused row by row, column and why; the rows it
 * accepted), then the commit of exactly that preview (…/feed/commit). Nothing is on sale until
 * the commit; a refusal comes back at its field with what was typed kept.
 */
export function registerModularAvails(ctx: ConsoleContext, limits: UploadLimits): void {
  ctx.page(pagePath, 'SELLER', renderAvails);

  ctx.scope.post(`${pagePath}/upload`, { schema: { hide: true } }, async (request, reply) => {
    let upload: Awaited<ReturnType<typeof readConsoleUpload>>;
    try {
      upload = await readConsoleUpload(request, limits);
    } catch (error) {
      discardRestOfBody(request, reply);
      throw error;
    }
    const withToken = { headers: request.headers, body: { csrf: upload?.fields['csrf'] } };
    if (!upload || !ctx.csrfOk(withToken)) {
      discardRestOfBody(request, reply);
      return ctx.refuseCsrf(request, reply);
    }
    const signed = await ctx.signedIn(request, reply, 'SELLER');
    if (!signed) {
      discardRestOfBody(request, reply);
      return reply;
    }
    const { sourceId } = request.params as { sourceId: string };
    const values: FormValues = Object.fromEntries(
      uploadFields.flatMap((name) =>
        upload.fields[name] !== undefined ? [[name, upload.fields[name]]] : [],
      ),
    );
    const sent = Object.fromEntries(
      Object.entries(values).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    ) as Record<string, string>;
    const answer = await ctx.apiFor(signed, request).call<FeedPreview>({
      method: 'POST',
      path: `${modularApi(sourceId)}/feed/upload`,
      raw: multipartBody(sent, upload),
    });
    discardRestOfBody(request, reply);
    const spec = uploadSpec(sourceId);
    if (answer.error) {
      return ctx.render(pagePath, signed, request, reply, answer.status, {
        state: stateOf(spec, values, answer.error),
      });
    }
    previews.set(request, answer.data);
    const { parsedAvailCount: ok, rejectedRowCount: refused } = answer.data.summary;
    const off = answer.data.commitImpact?.offSaleCount ?? 0;
    return ctx.render(pagePath, signed, request, reply, 200, {
      flash: {
        kind: 'info',
        text: `Preview below: ${ok} ${ok === 1 ? 'row' : 'rows'} accepted, ${refused} refused${off ? `; committing takes ${off} ${off === 1 ? 'avail' : 'avails'} off sale` : ''}. Nothing changes until you commit.`,
      },
      state: { formId: spec.id, values, errors: {} },
    });
  });

  ctx.apiForm({
    url: `${pagePath}/commit`,
    persona: 'SELLER',
    page: pagePath,
    spec: ({ params }) => commitSpec(params.sourceId!),
    call: (_body, { params, values }) => ({
      method: 'POST',
      path: `${modularApi(params.sourceId!)}/feed/commit`,
      body: {
        feedId: first(values.feedId),
        previewBaseline: parsed(first(values.previewBaseline)),
        revision: {
          revisionId: first(values.revisionId),
          contentDigest: first(values.contentDigest),
        },
      },
    }),
    done: (data, { params }) => ({
      to: availsPage(params.sourceId!),
      notice: 'avails-committed',
      subject: String((data as { activeAvailCount: number }).activeAvailCount),
    }),
  });
}

async function renderAvails(args: PageArgs): Promise<string> {
  const id = args.params.sourceId!;
  const [projection, products, rules] = await Promise.all([
    args.api.get<Projection>(`${modularApi(id)}/modular`),
    args.api.get<{ products: ModularProduct[] }>(`${modularApi(id)}/modular/products`, {
      limit: 50,
    }),
    args.api.get<FeedRules>(`${modularApi(id)}/feed/rules`),
  ]);
  const preview = previews.get(args.request);
  const name = projection.inventorySource.name;
  const frame = {
    ...(await args.frame(`Avails of ${name}`, '/console/sources')),
    flash: args.flash,
    back: { href: sourcePage(id), label: name },
  };
  const onSale = products.products.map((p) => {
    const price = p.pricing_options?.[0];
    return [
      `<strong>${e(p.name ?? p.product_id)}</strong><br><code>${e(p.product_id)}</code>`,
      e((p.channels ?? []).join(', ') || '—'),
      price?.fixed_price !== undefined
        ? `${price.fixed_price} ${e(price.currency ?? '')} CPM`
        : '—',
    ];
  });
  return page(
    frame,
    `${preview ? previewPanel(args, id, preview) : ''}
${panel(
  'upload-h',
  'Upload avails',
  `<p class="note">The file is checked row by row and previewed; nothing goes on sale until you commit the preview.</p>${args.form(uploadSpec(id))}${rulesPanel(rules)}`,
)}
${panel(
  'on-sale-h',
  'On sale now',
  `<p><strong id="on-sale-count">${projection.activeAvailCount}</strong> active ${projection.activeAvailCount === 1 ? 'avail' : 'avails'}.</p>
${table('Products buyers are offered', ['Product', 'Channel', 'Price'], onSale, 'Nothing on sale yet: upload a file of avails above, then commit its preview.')}`,
)}`,
  );
}
