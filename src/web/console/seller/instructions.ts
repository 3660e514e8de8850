import type { BuyerInstruction } from '../../../modules/buyer-instructions/index.js';
import type { OperatingInstructions } from '../../../modules/operating-instructions/index.js';
import { escapeHtml as e } from '../../../platform/http/html.js';
import type { ConsoleContext, PageArgs } from '../context.js';
import type { FieldSpec, FormSpec } from '../forms/index.js';
import { page, panel, statusBadge, table, when } from '../layout.js';

const opsBase = '/api/v2/storefront/operating-instructions';
const buyerBase = '/api/v2/storefront/buyer-instructions';

const operatingFields: FieldSpec[] = [
  {
    name: 'content',
    label: 'Rulebook (markdown)',
    kind: 'textarea',
    hint: 'What your Merchandising Agent follows when it composes products: what to push, what never to sell together, how to price.',
    attrs: 'rows="10"',
  },
  { name: 'notes', label: 'Notes on this version (never shown to buyers)', empty: 'omit' },
  {
    name: 'posture',
    label: 'Pinned negotiation posture',
    kind: 'select',
    empty: 'null',
    hint: 'While this version is active it wins over any posture history recommends; empty: none.',
  },
  { name: 'activate', label: 'Make this version active at once', kind: 'checkbox' },
];

const operatingSpec = (values?: unknown): FormSpec => ({
  id: 'operating',
  action: '/console/instructions/operating',
  route: `POST ${opsBase}`,
  fields: operatingFields,
  submit: 'Save a new version',
  idempotent: true,
  values,
});

const activateSpec = (version: number): FormSpec => ({
  id: `activate-${version}`,
  action: `/console/instructions/operating/${version}/activate`,
  route: `POST ${opsBase}/:version/activate`,
  fields: [],
  submit: `Activate version ${version}`,
  className: 'inline-form',
});

const buyerFields: FieldSpec[] = [
  {
    name: 'operatorDomain',
    label: 'Buyer operator (agency) domain',
    empty: 'null',
    hint: 'Empty: any operator.',
  },
  { name: 'brandDomain', label: 'Brand domain', empty: 'null', hint: 'Empty: any brand.' },
  { name: 'discountPercent', label: 'Discount off list price (%)', kind: 'number', empty: 'null' },
  {
    name: 'countries',
    label: 'Only for buys targeting these countries',
    kind: 'list',
    empty: 'null',
    hint: 'Two-letter codes; empty: every country.',
  },
  { name: 'posture', label: 'Negotiation posture', kind: 'select', empty: 'null' },
  {
    name: 'notes',
    label: 'Guidance for the agent with these buyers',
    kind: 'textarea',
    empty: 'null',
  },
];

const buyerSpec = (): FormSpec => ({
  id: 'buyer-instruction',
  action: '/console/instructions/buyers',
  route: `POST ${buyerBase}`,
  fields: buyerFields,
  submit: 'Add the buyer instruction',
  idempotent: true,
});

const deleteBuyerSpec = (id: string): FormSpec => ({
  id: `delete-bi-${id}`,
  action: `/console/instructions/buyers/${encodeURIComponent(id)}/delete`,
  route: `DELETE ${buyerBase}/:id`,
  fields: [],
  submit: 'Delete',
  danger: true,
  className: 'inline-form',
});

/**
 * Instructions: the operating rulebook with its version history (save, activate any version),
 * and buyer instructions (per operator, brand and country: discount, posture, guidance).
 */
export function registerInstructionsPage(ctx: ConsoleContext): void {
  const at = '/console/instructions';
  ctx.page(at, 'SELLER', renderInstructions);
  ctx.apiForm({
    url: `${at}/operating`,
    persona: 'SELLER',
    page: at,
    spec: () => operatingSpec(),
    done: (data) => {
      const saved = data as OperatingInstructions;
      return {
        to: `${at}#operating-h`,
        notice: saved.isActive ? 'instructions-activated' : 'instructions-saved',
        subject: String(saved.version),
      };
    },
  });
  ctx.apiForm({
    url: `${at}/operating/:version/activate`,
    persona: 'SELLER',
    page: at,
    spec: ({ params }) => activateSpec(Number(params.version)),
    noBody: true,
    done: (data) => ({
      to: `${at}#operating-h`,
      notice: 'instructions-activated',
      subject: String((data as OperatingInstructions).version),
    }),
  });
  ctx.apiForm({
    url: `${at}/buyers`,
    persona: 'SELLER',
    page: at,
    spec: buyerSpec,
    done: () => ({ to: `${at}#buyers-h`, notice: 'buyer-instruction-added', subject: '' }),
  });
  ctx.apiForm({
    url: `${at}/buyers/:id/delete`,
    persona: 'SELLER',
    page: at,
    spec: ({ params }) => deleteBuyerSpec(params.id!),
    noBody: true,
    done: () => ({ to: `${at}#buyers-h`, notice: 'buyer-instruction-deleted', subject: '' }),
  });
}

async function renderInstructions(args: PageArgs): Promise<string> {
  const [versions, buyers] = await Promise.all([
    args.api.get<{ items: OperatingInstructions[] }>(opsBase),
    args.api.get<{ items: BuyerInstruction[] }>(buyerBase),
  ]);
  const frame = {
    ...(await args.frame('Instructions', '/console/instructions')),
    flash: args.flash,
  };
  const active = versions.items.find((v) => v.isActive);
  const history = table(
    'Versions',
    ['Version', 'Saved', 'Notes', 'Pinned posture', 'Content', ''],
    versions.items.map((v) => [
      `${v.version} ${v.isActive ? statusBadge('active', 'good') : ''}`,
      when(v.createdAt),
      e(v.notes ?? ''),
      e(v.posture?.replace(/_/g, ' ') ?? 'none'),
      `<details><summary>Show (${v.content.length} characters)</summary><pre class="content">${e(v.content)}</pre></details>`,
      v.isActive ? '' : args.form(activateSpec(v.version)),
    ]),
    'No versions yet: the agent follows its defaults until you save one.',
  );
  const buyerRows = buyers.items.map((b) => [
    e(b.operatorDomain ?? 'any'),
    e(b.brandDomain ?? 'any'),
    b.discountPercent === null ? '—' : `${b.discountPercent}%`,
    e(b.countries?.join(', ') ?? 'every country'),
    e(b.posture?.replace(/_/g, ' ') ?? 'recommended'),
    e(b.notes ?? ''),
    args.form(deleteBuyerSpec(b.id)),
  ]);
  return page(
    frame,
    `${panel(
      'operating-h',
      'Operating instructions',
      `<p>${active ? `Version ${active.version} is active.` : 'No version is active: the agent follows its defaults.'}</p>
${history}
<h3>Write a new version</h3>${args.form(operatingSpec({ content: active?.content ?? '', posture: active?.posture ?? null }))}`,
    )}
${panel(
  'buyers-h',
  'Buyer instructions',
  `${table(
    'Buyer instructions',
    ['Operator', 'Brand', 'Discount', 'Countries', 'Posture', 'Guidance', ''],
    buyerRows,
    'No buyer instructions: every buyer gets your storefront as it is.',
  )}
<h3>Add one</h3>${args.form(buyerSpec())}`,
)}`,
  );
}
