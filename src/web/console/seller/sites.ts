import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { page, panel, table, when } from '../layout.js';

/*
 * The seller's sites (issue 71, items 3 and 4): where each sells, whom it reaches and what it is
 * about, through the property-profiles routes the REST API serves. Every product of a site, of
 * any source kind, is ranked with its profile where it says none of its own.
 */

const base = '/api/v2/storefront/property-profiles';
const at = '/console/sites';

interface Profile {
  publisherDomain: string;
  countries: string[];
  audience: string | null;
  content: string | null;
  updatedAt: string;
}

const profileFields: FieldSpec[] = [
  {
    name: 'countries',
    label: 'Countries it sells in',
    kind: 'list',
    empty: 'omit',
    hint: 'Codes or names (GB, United Kingdom, DACH), one per line or split by commas; empty: not said.',
  },
  {
    name: 'audience',
    label: 'Whom it reaches',
    kind: 'textarea',
    empty: 'null',
    hint: 'In your words: "motoring enthusiasts, men 35-54".',
  },
  {
    name: 'content',
    label: 'What it is about',
    kind: 'textarea',
    empty: 'null',
    hint: 'In your words: "car reviews, road tests".',
  },
];

/** The add form: the site's domain first (it is the route's, not the body's). */
const addSpec = (): FormSpec => ({
  id: 'add-site',
  action: `${at}/add`,
  route: `PUT ${base}/:domain`,
  fields: [
    { name: 'domain', label: 'Site (publisher domain)', hint: 'As your products name it.' },
    ...profileFields,
  ],
  submit: 'Save the site',
});

const editSpec = (domain: string, profile?: Profile): FormSpec => ({
  id: `edit-${domain}`,
  action: `${at}/${encodeURIComponent(domain)}/edit`,
  route: `PUT ${base}/:domain`,
  fields: profileFields,
  submit: 'Save the site',
  values: profile,
});

const deleteSpec = (domain: string): FormSpec => ({
  id: `delete-${domain}`,
  action: `${at}/${encodeURIComponent(domain)}/delete`,
  route: `DELETE ${base}/:domain`,
  fields: [],
  submit: 'Delete',
  danger: true,
  className: 'inline-form',
});

/** The sites page and its add, edit and delete forms. */
export function registerSitesPage(ctx: ConsoleContext): void {
  ctx.page(at, 'SELLER', renderSites);
  const saved = (data: unknown) => ({
    to: `${at}#sites-h`,
    notice: 'site-saved' as const,
    // The PUT route's answer, the saved profile (propertyProfileSchema).
    subject: (data as Profile).publisherDomain,
  });
  ctx.apiForm({
    url: `${at}/add`,
    persona: 'SELLER',
    page: at,
    spec: addSpec,
    shape: ({ domain: _domain, ...body }) => body,
    call: (body, { values }) => ({
      method: 'PUT',
      path: `${base}/${encodeURIComponent(String(values['domain'] ?? '').trim() || '-')}`,
      body,
    }),
    done: saved,
  });
  ctx.apiForm({
    url: `${at}/:domain/edit`,
    persona: 'SELLER',
    page: at,
    spec: ({ params }) => editSpec(params.domain!),
    done: saved,
  });
  ctx.apiForm({
    url: `${at}/:domain/delete`,
    persona: 'SELLER',
    page: at,
    spec: ({ params }) => deleteSpec(params.domain!),
    noBody: true,
    done: () => ({ to: `${at}#sites-h`, notice: 'site-deleted', subject: '' }),
  });
}

async function renderSites(args: PageArgs): Promise<string> {
  const profiles = await args.api.get<{ items: Profile[] }>(base);
  const frame = { ...(await args.frame('Sites', at)), flash: args.flash };
  const refused = args.state?.formId;
  const rows = profiles.items.map((p) => [
    `<strong>${e(p.publisherDomain)}</strong>`,
    e(p.countries.join(', ') || '—'),
    e(p.audience ?? '—'),
    e(p.content ?? '—'),
    when(p.updatedAt),
    `<details${refused === `edit-${p.publisherDomain}` ? ' open' : ''}><summary>Edit</summary>${args.form(editSpec(p.publisherDomain, p))}</details>${args.form(deleteSpec(p.publisherDomain))}`,
  ]);
  const list = table(
    'Your sites',
    ['Site', 'Countries', 'Audience', 'Content', 'Changed', ''],
    rows,
    'No sites described: products are ranked by what they say themselves.',
  );
  return page(
    frame,
    `${panel(
      'sites-h',
      'Sites',
      '<p>What you say of a site is read for every product of it, from any source, where the product does not say it itself: a buyer asking for a country leaves out a site that sells only elsewhere, and a brief for its audience finds its rate-card lines.</p>' +
        list,
    )}
${panel('add-site-h', 'Describe a site', args.form(addSpec()))}`,
  );
}
