import { type PricingFact, pricingModels } from '../../../modules/rate-cards/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { page, panel, statusBadge, table, when } from '../layout.js';

/*
 * The storefront's rate card (issue 47, item 2): the seller's pricing facts, each with what it
 * prices, when it applies and how strongly (a hard floor no buyer price goes under, a default
 * price where a source gave none, guidance shown only), added, replaced and deleted through the
 * same pricing-facts routes the REST API serves.
 */

const base = '/api/v2/storefront/pricing-facts';
const at = '/console/rate-card';

const strengthLabels: Record<PricingFact['strength'], string> = {
  hard_floor: 'Hard floor: no price below it',
  default: 'Default: the price where a source gave none',
  guidance: 'Guidance: shown and recorded only',
};

/** Every field of a fact but its id, as the create and replace routes take them. */
const factFields: FieldSpec[] = [
  { name: 'label', label: 'Label' },
  {
    name: 'appliesWhen',
    label: 'Applies when (shown to operators)',
    kind: 'textarea',
    hint: 'In your words; what can be matched goes in the fields below.',
  },
  {
    name: 'strength',
    label: 'Strength',
    kind: 'select',
    options: Object.entries(strengthLabels).map(([value, label]) => ({ value, label })),
  },
  {
    name: 'pricing.pricingModel',
    label: 'Pricing model',
    kind: 'select',
    options: pricingModels.map((model) => ({ value: model, label: model.toUpperCase() })),
  },
  {
    name: 'pricing.currency',
    label: 'Currency',
    hint: 'Three capitals (USD); empty: the rate card’s currency.',
  },
  { name: 'pricing.floorPrice', label: 'Floor price', kind: 'number' },
  { name: 'pricing.targetPrice', label: 'Target price', kind: 'number' },
  { name: 'pricing.ceilingPrice', label: 'Ceiling price', kind: 'number' },
  {
    name: 'hints.channels',
    label: 'Channels',
    kind: 'list',
    hint: 'AdCP channel codes (olv, ctv, display, …), one per line; empty: any channel.',
  },
  {
    name: 'hints.countries',
    label: 'Countries',
    kind: 'list',
    hint: 'Country codes (GB, US, …); empty: any country.',
  },
  {
    name: 'hints.publisherDomains',
    label: 'Publisher domains',
    kind: 'list',
    hint: 'Empty: any publisher.',
  },
  {
    name: 'hints.creativeTerms',
    label: 'Creative terms',
    kind: 'list',
    hint: 'Words matched in a product’s name, description and formats.',
  },
  { name: 'conditions.budget.min', label: 'From a campaign budget of', kind: 'number' },
  { name: 'conditions.budget.max', label: 'Up to a campaign budget of', kind: 'number' },
  { name: 'conditions.flight.start', label: 'Flights overlapping from', kind: 'date' },
  { name: 'conditions.flight.end', label: 'Flights overlapping until', kind: 'date' },
  {
    name: 'conditions.brandDomains',
    label: 'Only for these brands',
    kind: 'list',
    hint: 'Brand domains; empty: every brand.',
  },
  { name: 'notes', label: 'Notes (operators only)', kind: 'textarea' },
];

const addSpec = (): FormSpec => ({
  id: 'add-fact',
  action: `${at}/facts`,
  route: `POST ${base}`,
  fields: [
    {
      name: 'id',
      label: 'Fact id',
      hint: 'Letters, digits, _ and -; unique on your card (e.g. ctv-floor).',
    },
    ...factFields,
  ],
  submit: 'Add the fact',
  values: { strength: 'default', pricing: { pricingModel: 'cpm' } },
});

/** The replace form of one fact (its id is the route's), filled with the fact as it is. */
const replaceSpec = (id: string, fact?: PricingFact): FormSpec => ({
  id: `edit-${id}`,
  action: `${at}/facts/${encodeURIComponent(id)}/replace`,
  route: `PUT ${base}/:factId`,
  fields: factFields,
  submit: 'Save the fact',
  values: fact,
});

const deleteSpec = (id: string): FormSpec => ({
  id: `delete-${id}`,
  action: `${at}/facts/${encodeURIComponent(id)}/delete`,
  route: `DELETE ${base}/:factId`,
  fields: [],
  submit: 'Delete',
  danger: true,
  className: 'inline-form',
});

/** A date field's value is sent as a time (forms/values.ts); a flight window is days. */
function flightAsDays(body: Record<string, unknown>): Record<string, unknown> {
  const conditions = body.conditions as { flight?: { start?: unknown; end?: unknown } } | undefined;
  const flight = conditions?.flight;
  if (!flight) return body;
  const day = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : v);
  const days = {
    ...(flight.start !== undefined && { start: day(flight.start) }),
    ...(flight.end !== undefined && { end: day(flight.end) }),
  };
  return { ...body, conditions: { ...conditions, flight: days } };
}

/** The rate card page and its add, replace and delete forms. */
export function registerRateCardPage(ctx: ConsoleContext): void {
  ctx.page(at, 'SELLER', renderRateCard);
  ctx.apiForm({
    url: `${at}/facts`,
    persona: 'SELLER',
    page: at,
    spec: addSpec,
    shape: flightAsDays,
    done: (data) => ({
      to: `${at}#facts-h`,
      notice: 'pricing-fact-added',
      subject: (data as PricingFact).label,
    }),
  });
  ctx.apiForm({
    url: `${at}/facts/:factId/replace`,
    persona: 'SELLER',
    page: at,
    spec: ({ params }) => replaceSpec(params.factId!),
    shape: flightAsDays,
    done: (data) => ({
      to: `${at}#facts-h`,
      notice: 'pricing-fact-saved',
      subject: (data as PricingFact).label,
    }),
  });
  ctx.apiForm({
    url: `${at}/facts/:factId/delete`,
    persona: 'SELLER',
    page: at,
    spec: ({ params }) => deleteSpec(params.factId!),
    noBody: true,
    done: () => ({ to: `${at}#facts-h`, notice: 'pricing-fact-deleted', subject: '' }),
  });
}

/** A cell that names itself on a phone, where the table's headings are hidden. */
const labelled = (label: string, cell: string) =>
  `<span class="cell-label">${label}: </span>${cell}`;
const money = (label: string, n: number | undefined, currency: string) =>
  labelled(label, n === undefined ? '—' : `${e(currency)} ${n.toFixed(2)}`);

/** What a fact matches on, in words (its hints and conditions). */
function matchesOf(fact: PricingFact): string {
  const parts: string[] = [];
  for (const [key, values] of Object.entries(fact.hints)) {
    if (values && values.length > 0) parts.push(`${key}: ${values.join(', ')}`);
  }
  const c = fact.conditions;
  if (c?.budget) parts.push(`budget ${c.budget.min ?? 0} to ${c.budget.max ?? 'any'}`);
  if (c?.flight) parts.push(`flight ${c.flight.start ?? '…'} to ${c.flight.end ?? '…'}`);
  if (c?.brandDomains?.length) parts.push(`brands: ${c.brandDomains.join(', ')}`);
  return parts.length === 0 ? 'every product' : e(parts.join('; '));
}

async function renderRateCard(args: PageArgs): Promise<string> {
  const [facts, storefront] = await Promise.all([
    args.api.get<{ items: PricingFact[] }>(base),
    args.api.get<{ compositionPricing?: { rateCard?: { currency?: string } } }>(
      '/api/v2/storefront',
    ),
  ]);
  const cardCurrency = storefront.compositionPricing?.rateCard?.currency ?? 'USD';
  const frame = { ...(await args.frame('Rate card', at)), flash: args.flash };
  // A refused edit comes back open, so its errors show where the seller typed.
  const refused = args.state?.formId;
  const rows = facts.items.map((fact) => {
    const currency = fact.pricing.currency ?? cardCurrency;
    return [
      `<strong>${e(fact.label)}</strong><br><code>${e(fact.id)}</code>`,
      statusBadge(fact.strength.replace('_', ' '), 'neutral'),
      labelled('Model', e(fact.pricing.pricingModel.toUpperCase())),
      money('Floor', fact.pricing.floorPrice, currency),
      money('Target', fact.pricing.targetPrice, currency),
      money('Ceiling', fact.pricing.ceilingPrice, currency),
      `${e(fact.appliesWhen)}<br><small>Matches ${matchesOf(fact)}</small>`,
      labelled('Changed', when(fact.updatedAt)),
      `<details${refused === `edit-${fact.id}` ? ' open' : ''}><summary>Edit</summary>${args.form(replaceSpec(fact.id, fact))}</details>${args.form(deleteSpec(fact.id))}`,
    ];
  });
  const card = table(
    'Pricing facts, in the order they are matched',
    ['Fact', 'Strength', 'Model', 'Floor', 'Target', 'Ceiling', 'Applies when', 'Changed', ''],
    rows,
    'No pricing facts: products are priced as their sources price them.',
  );
  return page(
    frame,
    `${panel(
      'facts-h',
      'Pricing facts',
      `<p>Facts are matched to each product a buyer is shown. A hard floor is also checked when a buy is booked: a bid under it is refused.</p>${card}`,
    )}
${panel('add-h', 'Add a fact', args.form(addSpec()))}`,
  );
}
