import type { ReadinessService } from '../../../modules/readiness/index.js';
import type { StorefrontView } from '../../../modules/storefronts/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import { type Language, offeredLanguages, pickLanguage } from '../../join/i18n.js';
import { renderForm as renderJoinForm } from '../../join/render.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { page, panel, statusBadge, when } from '../layout.js';
import { fixLinkOf } from './readiness-links.js';

type Readiness = Awaited<ReturnType<ReadinessService['forSeller']>>;
const route = 'PUT /api/v2/storefront';

export const profileFields: FieldSpec[] = [
  { name: 'name', label: 'Storefront name', hint: 'What buyers see; the join page shows it too.' },
  { name: 'description', label: 'Description', kind: 'textarea', empty: 'null' },
  {
    name: 'publisherDomain',
    label: 'Publisher domain',
    empty: 'null',
    hint: 'The domain whose inventory you sell, e.g. news.example.',
  },
  {
    name: 'operatorDomain',
    label: 'Operator domain',
    empty: 'null',
    hint: 'Your own domain as the storefront’s operator.',
  },
  { name: 'website', label: 'Website', kind: 'url', empty: 'null' },
  { name: 'channels', label: 'Channels you sell', kind: 'checkboxes', empty: 'empty' },
  {
    name: 'acceptedCountries',
    label: 'Countries briefs may come from',
    kind: 'list',
    empty: 'null',
    hint: 'Two-letter codes, one per line or separated by commas (US, FR). Empty: not confirmed.',
  },
  { name: 'storefrontType', label: 'How products are made', kind: 'radio' },
  {
    name: 'mediaBuyApproval',
    label: 'Media buys',
    kind: 'radio',
    options: [
      { value: 'manual', label: 'I approve each media buy' },
      { value: 'auto', label: 'Approve automatically' },
    ],
  },
  {
    name: 'overdeliveryBilling',
    label: 'Delivery you confirm past a buy’s budget',
    kind: 'radio',
    options: [
      {
        value: 'not_billed',
        label: 'Not billed: the budget is the ceiling (as IO terms usually read)',
      },
      { value: 'billed', label: 'Billed: the buyer pays for the excess' },
    ],
  },
  {
    name: 'creativeApproval',
    label: 'Creatives',
    kind: 'radio',
    options: [
      { value: 'manual', label: 'I review each creative' },
      { value: 'auto', label: 'Approve automatically' },
    ],
  },
  {
    name: 'maxProducts',
    label: 'Answer size (products per answer)',
    kind: 'number',
    empty: 'null',
    hint: 'How many products one answer to a brief shows, best match first; buyers page to the rest. Wins over any posture. Empty: the posture decides.',
  },
  { name: 'demandContactName', label: 'Contact name for buyers', empty: 'null' },
  { name: 'demandContactEmail', label: 'Contact email for buyers', kind: 'email', empty: 'null' },
];

export const brandingFields: FieldSpec[] = [
  { name: 'brandName', label: 'Brand name', empty: 'null' },
  {
    name: 'logoUrl',
    label: 'Logo URL',
    kind: 'url',
    empty: 'null',
    hint: 'An https image; the join page fetches it through this server, never from the browser.',
  },
  { name: 'logoBackground', label: 'Logo background', kind: 'select', empty: 'null' },
  {
    name: 'brandColors.primary',
    label: 'Primary colour',
    hint: '#RRGGBB. The join page header and buttons; text on it turns black or white for contrast.',
    attrs: 'data-preview="primary" autocomplete="off"',
  },
  {
    name: 'brandColors.accent',
    label: 'Accent colour',
    hint: '#RRGGBB. Focus outlines.',
    attrs: 'data-preview="accent" autocomplete="off"',
  },
  { name: 'brandColors.secondary', label: 'Secondary colour', hint: '#RRGGBB.' },
];

export const businessFields: FieldSpec[] = [
  {
    name: 'businessProfile.agentPersonality',
    label: 'Voice and merchandising guidance',
    kind: 'textarea',
    hint: 'How your Merchandising Agent talks to buyers and what it stresses.',
  },
  {
    name: 'businessProfile.publisherDomains',
    label: 'Publisher domains the agent may sell',
    kind: 'list',
    hint: 'One per line. Left empty, the authorised domains are unknown (never "all domains").',
  },
  {
    name: 'businessProfile.agentName',
    label: 'Agent name (deprecated)',
    hint: 'Kept for older clients; buyers see the storefront name.',
  },
];

export const currencyFields: FieldSpec[] = [
  {
    name: 'defaultCurrency',
    label: 'Settlement currency',
    empty: 'null',
    hint: 'The ISO 4217 code you settle in, e.g. USD or EUR. Going live needs it confirmed.',
    attrs: 'autocomplete="off" size="4"',
  },
  {
    name: 'paymentCurrencies',
    label: 'Currencies you are paid in',
    kind: 'list',
    empty: 'empty',
    hint: 'Empty: the settlement currency.',
  },
  {
    name: 'supportedLanguages',
    label: 'Languages',
    kind: 'list',
    hint: 'Language tags (en, fr, de-CH): the join page offers these.',
  },
];

const forms = {
  profile: { fields: profileFields, submit: 'Save the profile' },
  branding: { fields: brandingFields, submit: 'Save the branding' },
  business: { fields: businessFields, submit: 'Save the business profile' },
  currency: { fields: currencyFields, submit: 'Confirm currency and languages' },
} as const;
type FormId = keyof typeof forms;

const specOf = (id: FormId, values?: StorefrontView): FormSpec => ({
  id,
  action: `/console/storefront/${id}`,
  route,
  fields: [...forms[id].fields],
  submit: forms[id].submit,
  values,
});

/** The going-live controls: each a form with no fields, answered by its API route. */
const controls = {
  activate: { route: 'POST /api/v2/storefront/activate', label: 'Go live', body: undefined },
  deactivate: {
    route: 'POST /api/v2/storefront/deactivate',
    label: 'Take offline',
    body: undefined,
  },
  pause: { route, label: 'Pause intake', body: { isPaused: true } },
  resume: { route, label: 'Resume intake', body: { isPaused: false } },
} as const;
type Control = keyof typeof controls;

const controlSpec = (id: Control): FormSpec => ({
  id: `control-${id}`,
  action: `/console/storefront/${id}`,
  route: controls[id].route,
  fields: [],
  submit: controls[id].label,
  danger: id === 'deactivate' || id === 'pause',
  className: 'inline-form',
});

/**
 * The storefront's setup: profile, branding (with the join page as it will look), business
 * profile, currency and languages, and going live with readiness's blockers, each linked to
 * the page that fixes it.
 */
export function registerStorefrontPage(ctx: ConsoleContext): void {
  ctx.page('/console/storefront', 'SELLER', renderStorefront);
  for (const id of Object.keys(forms) as FormId[]) {
    ctx.apiForm({
      url: `/console/storefront/${id}`,
      persona: 'SELLER',
      page: '/console/storefront',
      spec: () => specOf(id),
      // A cleared group clears the stored object (the API replaces it whole).
      shape: (body) =>
        id === 'branding'
          ? { ...body, brandColors: body.brandColors ?? null }
          : id === 'business'
            ? { businessProfile: body.businessProfile ?? null }
            : body,
      done: () => ({ to: `/console/storefront#${id}`, notice: 'storefront-saved', subject: '' }),
    });
  }
  for (const id of Object.keys(controls) as Control[]) {
    const control = controls[id];
    ctx.apiForm({
      url: `/console/storefront/${id}`,
      persona: 'SELLER',
      page: '/console/storefront',
      spec: () => controlSpec(id),
      noBody: control.body === undefined,
      shape: () => ({ ...control.body }),
      done: () => ({ to: '/console/storefront#go-live', notice: `storefront-${id}`, subject: '' }),
    });
  }

  // The join page as buyers will see it, drawn by the join page's own renderer.
  ctx.scope.get(
    '/console/storefront/join-preview',
    { schema: { hide: true } },
    async (request, reply) => {
      const signed = await ctx.signedIn(request, reply, 'SELLER');
      if (!signed) return reply;
      const sf = await ctx.apiFor(signed, request).get<StorefrontView>('/api/v2/storefront');
      const q = request.query as Record<string, string | undefined>;
      const colour = (v: string | undefined, saved: string | undefined) =>
        v !== undefined ? (/^#[0-9a-fA-F]{6}$/.test(v) ? v : undefined) : saved;
      const primary = colour(q.primary, sf.brandColors?.primary);
      const accent = colour(q.accent, sf.brandColors?.accent);
      const brandColors =
        primary || accent ? { ...(primary && { primary }), ...(accent && { accent }) } : null;
      const supported = sf.supportedLanguages.length ? sf.supportedLanguages : null;
      const lang: Language = pickLanguage(request.headers['accept-language'], supported);
      const context = {
        slug: 'preview',
        valid: true,
        storefrontName: sf.name,
        operatorDomain: sf.operatorDomain,
        logoUrl: null,
        brandColors,
        defaultCurrency: sf.defaultCurrency,
        supportedLanguages: supported,
      };
      const body = renderJoinForm({ lang, context, languages: offeredLanguages(supported) });
      return reply
        .status(200)
        .header(
          'Content-Security-Policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; " +
            "base-uri 'none'; frame-ancestors 'self'",
        )
        .header('X-Content-Type-Options', 'nosniff')
        .header('X-Frame-Options', 'SAMEORIGIN')
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(body);
    },
  );
}

async function renderStorefront(args: PageArgs): Promise<string> {
  const [sf, readiness] = await Promise.all([
    args.api.get<StorefrontView>('/api/v2/storefront'),
    args.api.get<Readiness>('/api/v2/storefront/readiness'),
  ]);
  const frame = { ...(await args.frame('Storefront', '/console/storefront')), flash: args.flash };
  const blockers = readiness.checks.filter((c) => c.isBlocker && c.status !== 'complete');
  const blockerList = blockers.length
    ? `<p>Going live needs every blocking check complete:</p><ul class="blockers">${blockers
        .map((c) => {
          const fix = fixLinkOf(c.id);
          return `<li><strong>${e(c.name)}</strong>: ${e(c.details ?? c.description)}${
            fix ? ` — <a href="${e(fix.href)}">${e(fix.label)}</a>` : ''
          }</li>`;
        })
        .join('')}</ul>`
    : `<p>${statusBadge('ready', 'good')} Every blocking check is complete.</p>`;
  const live = sf.activatedAt !== null;
  const buttons = [
    !live ? args.form(controlSpec('activate')) : '',
    live ? args.form(controlSpec('deactivate')) : '',
    sf.isPaused ? args.form(controlSpec('resume')) : args.form(controlSpec('pause')),
  ].join('');
  const goLive = panel(
    'go-live',
    'Going live',
    `<dl class="facts"><dt>Status</dt><dd>${statusBadge(sf.status, sf.status === 'TRANSACTING' ? 'good' : 'neutral')} ${e(sf.displayStatus)}</dd>
<dt>Live since</dt><dd>${when(sf.activatedAt)}</dd>
<dt>Intake</dt><dd>${sf.isPaused ? `${statusBadge('paused', 'bad')} since ${when(sf.pausedAt)}: no discovery, no new buys` : statusBadge('open', 'good')}</dd>
<dt>Merchandising Agent</dt><dd><code>${e(sf.agentId)}</code></dd>
<dt>Marketplace</dt><dd>${e(sf.marketplace.reviewStatus.replace(/_/g, ' '))}${sf.marketplace.hidden ? ' (hidden)' : ''}: ${sf.marketplace.publiclyVisible ? 'buyers can discover it' : 'only buyers you invite (join links) or who know it can reach it until a platform admin lists it'}</dd></dl>
${blockerList}<div class="button-row">${buttons}</div>`,
  );
  const branding = panel(
    'branding-h',
    'Branding',
    `<div class="split"><div>${args.form(specOf('branding', sf))}</div>
<figure class="preview"><figcaption id="preview-caption">Your join page, as buyers will see it (updates as you type; the logo shows on the live page)</figcaption>
<iframe src="/console/storefront/join-preview" data-preview-for="branding" title="Preview of your join page" aria-describedby="preview-caption" sandbox loading="lazy"></iframe></figure></div>`,
  );
  return page(
    frame,
    `${goLive}
${panel('profile-h', 'Profile', args.form(specOf('profile', sf)))}
${branding}
${panel('business-h', 'Business profile', args.form(specOf('business', sf)))}
${panel('currency-h', 'Currency and languages', args.form(specOf('currency', sf)))}`,
  );
}
