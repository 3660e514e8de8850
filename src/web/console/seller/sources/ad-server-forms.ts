import type { FastifyReply, FastifyRequest } from 'fastify';
import { slugify } from '../../../../platform/slug.js';
import type { UploadLimits } from '../../../../platform/uploads/gate.js';
import { discardRestOfBody } from '../../../../platform/uploads/receive.js';
import { type ApiError, seg } from '../../api.js';
import { type ConsoleContext, type PageArgs, withNotice } from '../../context.js';
import {
  bodyOf,
  type FieldSpec,
  type FormSpec,
  type FormValues,
  stateOf,
} from '../../forms/index.js';
import { panel } from '../../layout.js';
import { seeOther } from '../../responses.js';
import { readConsoleUpload } from '../../upload-forward.js';
import { readKeyFile } from './ad-server-key.js';
import { sourcePage, sourcesApi } from '../modular/wire.js';
import {
  adServers,
  type AdServerType,
  adServerTypes,
} from '../../../../source-kinds/ad-server/descriptor.js';

/*
 * Connecting an ad server from the console (docs/console.md, "Ad-server sources"): one form per
 * ad server, each the body of the API's PUT …/{sourceId}/ad-server (to connect) or PUT
 * …/{sourceId}/adapter-config (to change the credentials of one connected, keeping its products
 * and sync history). The API validates, seals the secrets and tests the connection; a refusal
 * comes back at the field it names. Ad Manager's service-account key is a JSON file: the form is
 * multipart, and its file is read here (bounded) into the body's serviceAccountKey.
 */

export type { AdServerType };

const slugOf = (type: AdServerType) => adServers[type].slug;
const nameOf = (type: AdServerType) => adServers[type].name;

const connectRoute = `PUT ${sourcesApi}/:sourceId/ad-server`;
const rotateRoute = `PUT ${sourcesApi}/:sourceId/adapter-config`;
const secret = (name: string, label: string, hint?: string): FieldSpec => ({
  name,
  label,
  kind: 'password',
  attrs: 'autocomplete="off"',
  ...(hint && { hint }),
});

/** The ad server's own fields: its account, its credentials (write-only), its defaults. */
const ownFields: Record<AdServerType, FieldSpec[]> = {
  google_ad_manager: [
    {
      name: 'networkCode',
      label: 'Network code',
      hint: 'The digits in your Ad Manager URL (admanager.google.com/12345678).',
      attrs: 'inputmode="numeric" autocomplete="off"',
    },
  ],
  freewheel: [
    { name: 'environment', label: 'Environment', kind: 'select' },
    { name: 'clientId', label: 'Client id', attrs: 'autocomplete="off"' },
    secret('clientSecret', 'Client secret'),
    { name: 'username', label: 'Legacy API user name', attrs: 'autocomplete="off"' },
    secret('password', 'Legacy API password'),
    secret('apiToken', 'Pre-minted token', 'For testing only: it lasts seven days.'),
    { name: 'defaultAdvertiserId', label: 'Advertiser orders are placed under (optional)' },
    { name: 'executionCurrency', label: 'Currency of placement prices (optional)' },
  ],
  springserve: [
    { name: 'email', label: 'API user’s email', kind: 'email', attrs: 'autocomplete="off"' },
    secret('password', 'API user’s password'),
    secret('apiToken', 'Pre-minted API token', 'Used when no email and password are given.'),
    {
      name: 'defaultDemandPartnerId',
      label: 'Demand partner campaigns are placed under (optional)',
      kind: 'number',
    },
    { name: 'rateCurrency', label: 'Currency of rates (optional)' },
  ],
};

/** The key file, last in its form (the console reads the fields before it, then the file). */
const keyFileField = (connected: boolean): FieldSpec => ({
  name: 'file',
  label: 'Service account key (JSON file)',
  kind: 'file',
  local: true,
  attrs: 'accept="application/json,.json"',
  hint: connected
    ? 'Choose a new key file to replace the one stored; leave empty to keep it.'
    : 'The JSON key of a Google service account added as an API user in Ad Manager. It is sealed at rest and never shown again. Left empty, the source acts as this instance’s own service account, if it has one.',
});

const createFields = (type: AdServerType): FieldSpec[] => [
  { name: 'type', label: 'Ad server', kind: 'hidden' },
  { name: 'name', label: 'Name' },
  {
    name: 'sourceId',
    label: 'Source id (optional)',
    local: true,
    hint: 'Lowercase letters, digits, - and _; made from the name when left empty.',
  },
  ...ownFields[type],
  {
    name: 'publisherDomain',
    label: 'Domain the inventory is on (optional)',
    hint: 'Left empty, your storefront’s publisher domain.',
  },
  {
    name: 'rateCard.defaultCpm',
    label: 'CPM of products made from placements (optional)',
    kind: 'number',
  },
  { name: 'rateCard.currency', label: 'Currency of that CPM (optional)' },
  ...(type === 'google_ad_manager' ? [keyFileField(false)] : []),
];

/** The form on /console/sources/new that connects an ad server of `type`. */
export const connectSpec = (type: AdServerType): FormSpec => ({
  id: `connect-${slugOf(type)}`,
  action: `/console/sources/new-ad-server/${slugOf(type)}`,
  route: connectRoute,
  fields: createFields(type),
  submit: `Connect ${nameOf(type)}`,
  values: { type },
  busy: `Saving and testing the connection to ${nameOf(type)}…`,
  ...(type === 'google_ad_manager' && { multipart: true }),
});

/** The form on a connected source's page that changes its credentials (and account). */
export const rotateSpec = (
  sourceId: string,
  type: AdServerType,
  values?: Record<string, unknown>,
): FormSpec => ({
  id: 'ad-server-rotate',
  action: `${sourcePage(sourceId)}/ad-server-${slugOf(type)}`,
  route: rotateRoute,
  fields: [
    { name: 'type', label: 'Ad server', kind: 'hidden' },
    ...ownFields[type],
    ...(type === 'google_ad_manager' ? [keyFileField(true)] : []),
  ],
  submit: 'Save and test the connection',
  values: { ...values, type },
  intro:
    '<p class="note">Secrets are never shown again: enter one only to replace it. Products, orders and sync history stay as they are.</p>',
  busy: 'Saving and testing the connection…',
  ...(type === 'google_ad_manager' && { multipart: true }),
});

/** The id a new source is saved under: the one typed, else one made from its name. */
const sourceIdOf = (values: FormValues, type: AdServerType) => {
  const typed = String(values['sourceId'] ?? '').trim();
  return typed || slugify(String(values['name'] ?? ''), 64) || slugOf(type);
};

/** The panel beside the other kinds' forms on /console/sources/new. */
export function adServerCreatePanel(args: PageArgs): string {
  const forms = adServerTypes
    .map(
      (type) =>
        `<details class="ad-server"${args.state?.formId === connectSpec(type).id ? ' open' : ''}><summary>${nameOf(type)}</summary>${args.form(connectSpec(type))}</details>`,
    )
    .join('');
  return panel(
    'add-ad-server-h',
    'Your own ad server (Google Ad Manager, FreeWheel, SpringServe)',
    `<p class="note">The storefront sells the inventory your ad server holds: it is synced into products, and each buy you approve is placed as an order there. The connection is tested as soon as it is saved.</p>${forms}`,
  );
}

interface Connected {
  sourceId: string;
  provisioningStatus: string;
}

const doneOf = (data: unknown) => {
  const c = data as Connected;
  const ok = c.provisioningStatus === 'active';
  return {
    to: sourcePage(c.sourceId),
    notice: ok ? ('ad-server-connected' as const) : ('ad-server-not-connected' as const),
    subject: c.sourceId,
  };
};

/** The key's refusals (serviceAccountKey.private_key, …) are the file field's. */
const toFileField = (error: ApiError): ApiError => {
  const issues = error.details?.['issues'] as Array<{ field: string; message: string }> | undefined;
  const moved = (field: string | undefined) =>
    field?.startsWith('serviceAccountKey') ? 'file' : field;
  return {
    ...error,
    ...(error.field !== undefined && { field: moved(error.field) }),
    ...(issues && {
      details: {
        ...error.details,
        issues: issues.map((i) => ({ ...i, field: moved(i.field) ?? i.field })),
      },
    }),
  };
};

export function registerAdServerForms(ctx: ConsoleContext, limits: UploadLimits): void {
  for (const type of adServerTypes.filter((t) => t !== 'google_ad_manager')) {
    ctx.apiForm({
      url: `/console/sources/new-ad-server/${slugOf(type)}`,
      persona: 'SELLER',
      page: '/console/sources/new',
      spec: () => connectSpec(type),
      call: (body, { values }) => ({
        method: 'PUT',
        path: `${sourcesApi}/${seg(sourceIdOf(values, type))}/ad-server`,
        body,
      }),
      done: doneOf,
    });
    ctx.apiForm({
      url: `/console/sources/:sourceId/ad-server-${slugOf(type)}`,
      persona: 'SELLER',
      page: '/console/sources/:sourceId',
      spec: ({ params }) => rotateSpec(params['sourceId'] ?? '', type),
      done: doneOf,
    });
  }

  // Ad Manager's forms carry the key file: multipart, read here.
  const gamPost = async (
    request: FastifyRequest,
    reply: FastifyReply,
    mode: 'connect' | 'rotate',
  ) => {
    let upload: Awaited<ReturnType<typeof readConsoleUpload>>;
    try {
      upload = await readConsoleUpload(request, limits);
    } catch (error) {
      discardRestOfBody(request, reply);
      throw error;
    }
    // A multipart body is not parsed into request.body: the token read from its fields is.
    request.body = { csrf: upload?.fields['csrf'] };
    if (!upload || !ctx.csrfOk(request)) {
      discardRestOfBody(request, reply);
      return ctx.refuseCsrf(request, reply);
    }
    const signed = await ctx.signedIn(request, reply, 'SELLER');
    if (!signed) {
      discardRestOfBody(request, reply);
      return reply;
    }
    const values: FormValues = upload.fields;
    const params = (request.params ?? {}) as Record<string, string>;
    const sourceId =
      mode === 'connect' ? sourceIdOf(values, 'google_ad_manager') : (params['sourceId'] ?? '');
    const spec =
      mode === 'connect'
        ? connectSpec('google_ad_manager')
        : rotateSpec(sourceId, 'google_ad_manager');
    const page = mode === 'connect' ? '/console/sources/new' : '/console/sources/:sourceId';
    const key = await readKeyFile(upload);
    discardRestOfBody(request, reply);
    const refuse = (status: number, error: ApiError) =>
      ctx.render(page, signed, request, reply, status, {
        state: stateOf(spec, values, toFileField(error)),
      });
    if (!key.ok)
      return refuse(400, { code: 'VALIDATION_ERROR', message: key.message, field: 'file' });
    const body = {
      ...bodyOf(spec.fields, values),
      ...(key.value && { serviceAccountKey: key.value }),
    };
    const answer = await ctx.apiFor(signed, request).call({
      method: 'PUT',
      path: `${sourcesApi}/${seg(sourceId)}/${mode === 'connect' ? 'ad-server' : 'adapter-config'}`,
      body,
    });
    if (answer.error) return refuse(answer.status, answer.error);
    const done = doneOf(answer.data);
    return seeOther(reply, withNotice(done.to, done.notice, done.subject));
  };
  ctx.scope.post('/console/sources/new-ad-server/gam', { schema: { hide: true } }, (req, reply) =>
    gamPost(req, reply, 'connect'),
  );
  ctx.scope.post(
    `/console/sources/:sourceId/ad-server-${slugOf('google_ad_manager')}`,
    { schema: { hide: true } },
    (req, reply) => gamPost(req, reply, 'rotate'),
  );
}
