import type { AdcpCustomToolConfig } from '@adcp/sdk/server';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AdcpError } from '../schemas/envelope.js';
import { accountRef, type AccountRef } from '../schemas/tasks.js';
import { errorAnswer, validationError } from '../errors.js';
import { answer, readRequest } from '../tasks/request.js';
import { renderPreview, type ManifestAsset, type PreviewCatalog } from './render.js';

/** The caller's side of preview_creative: the catalogs it synced, per account. */
export interface CallerCatalogs {
  /** The caller's catalog `catalogId` on the account `account` names; undefined if none. */
  find(account: AccountRef, catalogId: string): Promise<PreviewCatalog | undefined>;
}

/** How long a preview is said to hold (expires_at). */
const previewTtlMs = 24 * 60 * 60 * 1000;

/** Items rendered when the request names no item_limit, and at most. */
const defaultItems = 5;
const maxItems = 20;

const asset = z
  .object({
    asset_type: z.string().max(64).optional(),
    url: z.string().max(4096).optional(),
    url_type: z.string().max(64).optional(),
    content: z.string().max(10_000).optional(),
    width: z.number().nonnegative().optional(),
    height: z.number().nonnegative().optional(),
    catalog_id: z.string().min(1).max(256).optional(),
    content_id_type: z.string().max(64).optional(),
    items: z.array(z.record(z.string(), z.unknown())).max(maxItems).optional(),
  })
  .loose();

/** creative/preview-creative-request.json, the single mode (the others are refused). */
const previewRequest = z
  .object({
    request_type: z.enum(['single', 'batch', 'variant']),
    creative_manifest: z
      .object({
        format_id: z.object({ agent_url: z.string().max(2048), id: z.string().max(256) }).loose(),
        assets: z.record(z.string().max(128), asset).refine((a) => Object.keys(a).length <= 64, {
          message: 'at most 64 assets',
        }),
      })
      .loose()
      .optional(),
    inputs: z
      .array(
        z
          .object({
            name: z.string().min(1).max(256),
            macros: z.record(z.string().max(64), z.string().max(2048)).optional(),
          })
          .loose(),
      )
      .min(1)
      .max(10)
      .optional(),
    item_limit: z.number().int().min(1).optional(),
    output_format: z.enum(['url', 'html', 'both']).optional(),
    // The 3.1.19 sales_social storyboard asks `format: html`: read as output_format.
    format: z.string().max(16).optional(),
    account: accountRef.optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
type PreviewRequest = z.infer<typeof previewRequest>;

const unsupported = (field: string, message: string): AdcpError => ({
  code: 'UNSUPPORTED_FEATURE',
  message,
  field,
  recovery: 'correctable',
});

/**
 * The catalog the manifest binds: a catalog asset's inline items, or the items of the catalog
 * it names that the caller synced on that account; an AdcpError when it names one unknown.
 */
async function boundCatalog(
  catalogs: CallerCatalogs,
  request: PreviewRequest,
  assets: ReadonlyArray<[string, ManifestAsset & z.infer<typeof asset>]>,
): Promise<PreviewCatalog | AdcpError | undefined> {
  const found = assets.find(([, a]) => a.asset_type === 'catalog');
  if (!found) return undefined;
  const [name, catalog] = found;
  const contentIdType = catalog.content_id_type;
  const base = { catalogId: catalog.catalog_id ?? name, ...(contentIdType && { contentIdType }) };
  if (catalog.items && catalog.items.length > 0) return { ...base, items: catalog.items };
  const field = `creative_manifest.assets.${name}.catalog_id`;
  if (!catalog.catalog_id)
    return validationError(field, 'A catalog asset names a catalog_id or carries items');
  if (!request.account)
    return validationError('account', 'Name the account the catalog was synced on');
  const synced = await catalogs.find(request.account, catalog.catalog_id);
  if (!synced || synced.items.length === 0) {
    return {
      code: 'REFERENCE_NOT_FOUND',
      message: `No items of catalog ${catalog.catalog_id} were synced on this account through this storefront (sync_catalogs with inline items)`,
      field,
      recovery: 'correctable',
    };
  }
  return synced;
}

/**
 * preview_creative (AdCP 3.1, single mode): the manifest rendered as HTML by the agent itself,
 * one preview per input set, bound to a catalog's items when it carries a catalog asset, every
 * macro value percent-encoded into URLs (substitute.ts). Batch and variant modes are refused.
 */
export async function previewCreative(
  catalogs: CallerCatalogs,
  args: unknown,
): Promise<CallToolResult> {
  const read = readRequest(previewRequest, args);
  if (!read.ok) return read.answer;
  const { request } = read;
  if (request.request_type !== 'single') {
    const message = `preview_creative answers request_type single only (got ${request.request_type})`;
    return errorAnswer(unsupported('request_type', message), request.context);
  }
  const manifest = request.creative_manifest;
  if (!manifest) {
    const error = validationError(
      'creative_manifest',
      'A single preview needs its creative_manifest',
    );
    return errorAnswer(error, request.context);
  }
  const assets = Object.entries(manifest.assets);
  const bound = await boundCatalog(catalogs, request, assets);
  if (bound && 'code' in bound) return errorAnswer(bound, request.context);
  const itemLimit = Math.min(request.item_limit ?? defaultItems, maxItems);
  const inputs = request.inputs ?? [{ name: 'Default' }];
  const outputFormat = outputFormatOf(request);
  const previews = inputs.map((input, index) => {
    const html = renderPreview(
      manifest.format_id.id,
      assets,
      new Map(Object.entries(input.macros ?? {})),
      bound && { catalog: bound, itemLimit },
    );
    return {
      preview_id: `preview_${index + 1}`,
      renders: [
        {
          render_id: `render_${index + 1}_primary`,
          output_format: outputFormat,
          ...(outputFormat !== 'html' && { preview_url: pageUrl(html) }),
          ...(outputFormat !== 'url' && { preview_html: html }),
          role: 'primary',
        },
      ],
      input: { name: input.name, ...(input.macros && { macros: input.macros }) },
    };
  });
  // 3.0.6 requires expires_at (3.1 made it optional): the HTML is rendered from the catalog as
  // synced now, so a buyer renders it again after a day rather than trusting an old sample.
  const expiresAt = new Date(Date.now() + previewTtlMs).toISOString();
  return answer({ response_type: 'single', previews, expires_at: expiresAt }, request.context);
}

/** What the buyer asked for (output_format, its alias `format`), the spec's default url. */
function outputFormatOf(request: PreviewRequest): 'url' | 'html' | 'both' {
  const asked = request.output_format ?? request.format;
  return asked === 'html' || asked === 'both' ? asked : 'url';
}

/**
 * The preview as a page at a URL: the agent hosts no preview pages, so the URL carries the page
 * itself (a `data:` URL an iframe embeds), valid as long as the HTML is.
 */
function pageUrl(html: string): string {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Preview</title></head><body>${html}</body></html>`;
  return `data:text/html;charset=utf-8;base64,${Buffer.from(page, 'utf8').toString('base64')}`;
}

/** Arguments reach the handler whole: it reads them with its own schema (as tasks/tools.ts). */
const wholeArguments = z.object({}).loose();

/** preview_creative as a custom tool of @adcp/sdk's server (it routes none to a sales platform). */
export function previewToolsOver(
  catalogs: CallerCatalogs,
): Record<string, AdcpCustomToolConfig<typeof wholeArguments>> {
  return {
    preview_creative: {
      title: 'Preview creative',
      description:
        'Renders a creative manifest as HTML; a catalog-driven template is bound to the items of ' +
        'the catalog you synced here (at most 20), each value percent-encoded into its URLs.',
      inputSchema: wholeArguments,
      annotations: { readOnlyHint: true },
      handler: (args: unknown) => previewCreative(catalogs, args),
    },
  };
}
