import type { FastifyRequest } from 'fastify';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { seg } from '../api.js';
import type { ConsoleContext, FormPost, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { page, panel, statusBadge, table, when } from '../layout.js';
import { campaignUrl } from './campaigns.js';
import type { Campaign, Creative, Format, UploadedAsset } from './wire.js';

const base = '/api/v2/buyer/campaigns';
const creativesUrl = (campaignId: string) => `${campaignUrl(campaignId)}/creatives`;

/** Upload types the asset route takes (it checks the bytes against the type itself). */
export const uploadTypes = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'video/mp4',
  'video/webm',
  'audio/mpeg',
  'audio/mp4',
  'audio/wav',
  'audio/ogg',
];

const creativeFields = (formats: Format[]): FieldSpec[] => [
  { name: 'name', label: 'Name' },
  {
    name: 'format_id',
    label: 'Format',
    kind: 'select',
    options: formats
      .filter((f) => f.format.format_id)
      .map((f) => ({
        value: `${f.format.format_id!.agent_url}|${f.format.format_id!.id}`,
        label: `${String(f.format.name ?? f.format.format_id!.id)} — ${f.salesAgentName}`,
      })),
  },
  {
    name: 'file',
    label: 'Image, video or audio file',
    kind: 'file',
    local: true,
    hint: 'Uploaded as soon as you pick it; the preview shows below.',
    attrs: `accept="${uploadTypes.join(',')}" data-upload="true"`,
  },
  { name: 'assets.0.asset_id', label: 'Uploaded asset', kind: 'hidden' },
  { name: 'assets.0.filename', label: 'Uploaded file name', kind: 'hidden' },
  {
    name: 'linked_assets.0.url',
    label: 'Or an image URL hosted elsewhere',
    kind: 'url',
    hint: 'Used instead of an upload (never fetched by this console).',
  },
  { name: 'url_assets.0.url', label: 'Click-through URL', kind: 'url' },
];

const creativeSpec = (campaignId: string, formats: Format[] = []): FormSpec => ({
  id: 'creative',
  action: `${creativesUrl(campaignId)}/new`,
  route: `POST ${base}/:campaignId/creatives/create`,
  fields: creativeFields(formats),
  submit: 'Add the creative',
  idempotent: true,
  busy: 'Saving the creative and sending it to the sellers…',
});

const deleteSpec = (campaignId: string, creativeId: string): FormSpec => ({
  id: `delete-${creativeId}`,
  action: `${creativesUrl(campaignId)}/${seg(creativeId)}/delete`,
  route: `DELETE ${base}/:campaignId/creatives/:creativeId`,
  fields: [],
  submit: 'Delete',
  danger: true,
  className: 'inline-form',
});

/**
 * A campaign's creatives: each with its preview and where it was sent, and a new one from an
 * uploaded file (the page script uploads it as the API's asset upload, then the form names it).
 */
export function registerCreativePages(ctx: ConsoleContext, assetMaxBytes: number): void {
  ctx.page('/console/campaigns/:campaignId/creatives', 'BUYER', renderCreatives);
  ctx.apiForm({
    url: '/console/campaigns/:campaignId/creatives/new',
    persona: 'BUYER',
    page: '/console/campaigns/:campaignId/creatives',
    spec: ({ params }) => creativeSpec(params.campaignId!),
    shape: (body) => {
      const out: Record<string, unknown> = { ...body };
      if (typeof body.format_id === 'string') {
        const at = body.format_id.lastIndexOf('|');
        out.format_id = {
          agent_url: body.format_id.slice(0, at),
          id: body.format_id.slice(at + 1),
        };
      }
      const clicks = body.url_assets as Array<Record<string, unknown>> | undefined;
      if (clicks?.[0]) out.url_assets = [{ asset_id: 'click_url', ...clicks[0] }];
      const linked = body.linked_assets as Array<Record<string, unknown>> | undefined;
      if (linked?.[0]) out.linked_assets = [{ asset_type: 'IMAGE', ...linked[0] }];
      return out;
    },
    done: (data, { params }) => ({
      to: creativesUrl(params.campaignId!),
      notice: 'creative-created',
      subject: (data as { name: string }).name,
    }),
  });
  ctx.apiForm({
    url: '/console/campaigns/:campaignId/creatives/:creativeId/delete',
    persona: 'BUYER',
    page: '/console/campaigns/:campaignId/creatives',
    spec: ({ params }) => deleteSpec(params.campaignId!, params.creativeId!),
    noBody: true,
    done: (_data, { params }) => ({
      to: creativesUrl(params.campaignId!),
      notice: 'creative-deleted',
      subject: '',
    }),
  });

  // The file upload behind the creative form: the page script sends the file as the body, with
  // the session's token in a header; it becomes POST /api/v2/buyer/creative-assets as it is.
  ctx.scope.register(async (upload) => {
    upload.addContentTypeParser(
      uploadTypes,
      { parseAs: 'buffer', bodyLimit: assetMaxBytes },
      (_request, body, done) => done(null, body),
    );
    upload.post('/console/creative-assets', { schema: { hide: true } }, async (request, reply) => {
      if (!ctx.csrfOk(withToken(request))) {
        return reply.status(403).send({ error: 'This upload did not come from this console.' });
      }
      const signed = await ctx.signedIn(request, reply, 'BUYER');
      if (!signed) return reply;
      const filename = String((request.query as { filename?: string }).filename ?? 'upload');
      const answer = await ctx.apiFor(signed, request).call<UploadedAsset>({
        method: 'POST',
        path: '/api/v2/buyer/creative-assets',
        query: { filename: filename.slice(0, 255) },
        raw: {
          bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          contentType: String(request.headers['content-type'] ?? '').split(';')[0]!,
        },
      });
      if (answer.error) return reply.status(answer.status).send({ error: answer.error.message });
      return reply.header('Cache-Control', 'no-store').send({
        assetId: answer.data.asset_id,
        filename,
        previewUrl: ownPath(answer.data.public_url),
        type: answer.data.asset_type,
      });
    });
  });
}

/** The upload's token travels in a header (its body is the file). */
function withToken(request: FastifyRequest): FormPost {
  const token = request.headers['x-csrf-token'];
  return { headers: request.headers, body: { csrf: token } };
}

/** A link to one of our own signed asset URLs as a path (the page loads nothing elsewhere). */
export function ownPath(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, 'http://own.invalid');
    return parsed.pathname.startsWith('/assets/')
      ? `${parsed.pathname}${parsed.search}`
      : undefined;
  } catch {
    return undefined;
  }
}

async function renderCreatives(args: PageArgs): Promise<string> {
  const id = args.params.campaignId!;
  const [{ campaign }, creatives, formats] = await Promise.all([
    args.api.get<{ campaign: Campaign }>(`${base}/${seg(id)}`),
    args.api.get<{ manifests: Creative[] }>(`${base}/${seg(id)}/creatives`),
    args.api.get<{ items: Format[] }>('/api/v2/buyer/formats', { limit: 250 }),
  ]);
  const frame = {
    ...(await args.frame(`Creatives of ${campaign.name}`, '/console/campaigns')),
    flash: args.flash,
    back: { href: campaignUrl(id), label: campaign.name },
  };
  const rows = creatives.manifests.map((c) => {
    const preview = ownPath(c.preview_url);
    return [
      preview && (c.primary_asset_type ?? 'IMAGE') === 'IMAGE'
        ? `<img class="thumb" src="${e(preview)}" alt="Preview of ${e(c.name)}">`
        : '<span class="note">no preview</span>',
      `<strong>${e(c.name)}</strong><br><code>${e(c.creative_id)}</code>`,
      e(c.format_id?.id ?? '—'),
      c.platform_links.length
        ? c.platform_links
            .map(
              (l) =>
                `${e(l.agent_name)}: ${statusBadge(l.status, l.status === 'synced' ? 'good' : 'bad')}${l.reason ? ` <span class="note">${e(l.reason)}</span>` : ''}`,
            )
            .join('<br>')
        : c.sync_status.synced
          ? 'sent'
          : 'not sent yet (sent with the media buys)',
      when(c.created_at),
      args.form(deleteSpec(id, c.creative_id)),
    ];
  });
  return page(
    frame,
    `${panel(
      'creatives-h',
      'Creatives',
      table(
        'Creatives',
        ['Preview', 'Creative', 'Format', 'Sellers', 'Added', ''],
        rows,
        'No creatives yet: add the banner, video or audio the sellers should run.',
      ),
    )}
${panel(
  'new-creative-h',
  'Add a creative',
  `${formats.items.length === 0 ? '<p class="note">No seller has described its formats yet; the format list fills once the storefronts answer.</p>' : ''}${args.form(creativeSpec(id, formats.items))}
<figure class="upload-preview" hidden><img alt="Preview of the uploaded file"><figcaption role="status" aria-live="polite"></figcaption></figure>`,
)}`,
  );
}
