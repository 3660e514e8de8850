import type { ProductRule } from '../../../../modules/product-rules/index.js';
import type { SourceView } from '../../../../modules/inventory-sources/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import type { FieldSpec, FormSpec } from '../../forms/index.js';
import { page, panel, statusBadge, table } from '../../layout.js';
import {
  currentPreviewForm,
  previewOf,
  previewPanel,
  registerProductRulesPreview,
  withPreviewButton,
} from './preview.js';

const base = '/api/v2/storefront/product-rules';
const kindIs = (...values: string[]) => ({ field: 'kind', values });

const ruleFields: FieldSpec[] = [
  { name: 'name', label: 'Name' },
  {
    name: 'kind',
    label: 'What the rule does',
    kind: 'select',
    options: [
      { value: 'include', label: 'Include: show only matching products' },
      { value: 'exclude', label: 'Exclude: hide matching products' },
      { value: 'rename', label: 'Rename: new name or description' },
      { value: 'price', label: 'Price: markup and floor CPM' },
      { value: 'package', label: 'Package: bundle matching products into one' },
    ],
    attrs: 'data-controls-visibility="true"',
  },
  { name: 'priority', label: 'Priority', kind: 'number', hint: 'Lower applies first.' },
  { name: 'active', label: 'Active', kind: 'checkbox' },
  {
    name: 'match.sourceIds',
    label: 'From these sources',
    kind: 'list',
    hint: 'Source ids, one per line; empty matches any.',
  },
  { name: 'match.channels', label: 'On these channels', kind: 'checkboxes' },
  {
    name: 'match.formatIds',
    label: 'Taking these formats',
    kind: 'list',
    hint: 'Format ids such as display_300x250; empty matches any.',
  },
  {
    name: 'match.publisherDomains',
    label: 'On these publisher domains',
    kind: 'list',
  },
  { name: 'match.productIds', label: 'These products', kind: 'list' },
  { name: 'action.name', label: 'New name', showWhen: kindIs('rename', 'package') },
  {
    name: 'action.description',
    label: 'New description',
    kind: 'textarea',
    showWhen: kindIs('rename', 'package'),
  },
  {
    name: 'action.markupPercent',
    label: 'Markup (%)',
    kind: 'number',
    showWhen: kindIs('price'),
  },
  {
    name: 'action.floorCpm',
    label: 'Floor CPM',
    kind: 'number',
    showWhen: kindIs('price'),
  },
  {
    name: 'action.productId',
    label: 'Package product id',
    showWhen: kindIs('package'),
    hint: '2 to 64 lowercase letters, digits, - or _.',
  },
];

const ruleSpec = (): FormSpec => ({
  id: 'rule',
  action: '/console/product-rules/new',
  route: `POST ${base}`,
  fields: ruleFields,
  submit: 'Add the rule',
  idempotent: true,
  values: { kind: 'exclude', priority: 100, active: true },
  busy: 'Working: a preview asks your sources for their products, which can take a few seconds.',
});

/** An include or exclude rule takes no action fields. */
const shapeRule = (body: Record<string, unknown>) =>
  body.kind === 'include' || body.kind === 'exclude' ? { ...body, action: {} } : body;

const deleteSpec = (id: string): FormSpec => ({
  id: `delete-rule-${id}`,
  action: `/console/product-rules/${encodeURIComponent(id)}/delete`,
  route: `DELETE ${base}/:ruleId`,
  fields: [],
  submit: 'Delete',
  danger: true,
  className: 'inline-form',
});

/**
 * Product rules: include, exclude, rename, price and package rules over the products the
 * storefront's agent shows, with a preview of the products they produce (the rule being drafted
 * included) before it is saved (product-rules-preview.ts).
 */
export function registerProductRulesPage(ctx: ConsoleContext): void {
  ctx.page('/console/product-rules', 'SELLER', renderRules);
  ctx.apiForm({
    url: '/console/product-rules/new',
    persona: 'SELLER',
    page: '/console/product-rules',
    spec: ruleSpec,
    shape: shapeRule,
    done: (data) => ({
      to: '/console/product-rules',
      notice: 'rule-added',
      subject: (data as ProductRule).name,
    }),
  });
  ctx.apiForm({
    url: '/console/product-rules/:ruleId/delete',
    persona: 'SELLER',
    page: '/console/product-rules',
    spec: ({ params }) => deleteSpec(params.ruleId!),
    noBody: true,
    done: () => ({ to: '/console/product-rules', notice: 'rule-deleted', subject: '' }),
  });
  registerProductRulesPreview(ctx, {
    page: '/console/product-rules',
    spec: ruleSpec,
    shape: shapeRule,
  });
}

const matchText = (m: ProductRule['match']) =>
  Object.entries(m)
    .filter(([, v]) => Array.isArray(v) && v.length > 0)
    .map(([k, v]) => `${k}: ${(v as string[]).join(', ')}`)
    .join('; ') || 'every product';

const actionText = (r: ProductRule) =>
  Object.entries(r.action)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ') || '—';

async function renderRules(args: PageArgs): Promise<string> {
  const [rules, sources] = await Promise.all([
    args.api.get<{ items: ProductRule[] }>(base),
    args.api.get<SourceView[]>('/api/v2/storefront/inventory-sources'),
  ]);
  const frame = {
    ...(await args.frame('Product rules', '/console/product-rules')),
    flash: args.flash,
  };
  const rows = rules.items.map((r) => [
    `<strong>${e(r.name)}</strong>`,
    e(r.kind),
    e(matchText(r.match)),
    e(actionText(r)),
    `${r.priority}`,
    r.active ? statusBadge('active', 'good') : statusBadge('inactive', 'neutral'),
    args.form(deleteSpec(r.id)),
  ]);
  const sourceIds = sources.map((s) => s.sourceId);
  const preview = previewOf(args.request);
  const rulesPanel = panel(
    'rules-h',
    'Rules',
    `${table(
      'Product rules',
      ['Rule', 'Kind', 'Matches', 'Action', 'Priority', 'State', ''],
      rows,
      'No product rules: buyers see the products your sources offer, as they offer them.',
    )}${currentPreviewForm(args.csrf)}`,
  );
  const addPanel = panel(
    'new-rule-h',
    'Add a rule',
    `${sourceIds.length ? `<p class="note">Your sources: ${sourceIds.map((id) => `<code>${e(id)}</code>`).join(' ')}</p>` : ''}<p class="note">Preview the products shows what buyers would see with the rule before you add it.</p>${withPreviewButton(args.form(ruleSpec()))}`,
  );
  // After a preview, the products come first and the form that made them right after.
  return page(
    frame,
    preview ? `${previewPanel(preview)}\n${addPanel}\n${rulesPanel}` : `${rulesPanel}\n${addPanel}`,
  );
}
