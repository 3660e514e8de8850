import {
  isSetupForm,
  type KindDescriptor,
  kindDescriptors,
  providerDescriptor,
  type SetupForm,
} from '../../../../source-kinds/descriptors.js';
import type { CustomSetup } from '../../../../source-kinds/kind-descriptor.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import type { FieldSpec, FormSpec } from '../../forms/index.js';
import { panel } from '../../layout.js';
import { notices } from '../../notices.js';
import { sourcePage } from '../modular/wire.js';
import { adServerCreatePanel } from './ad-server-forms.js';
import { agentCreatePanel, registerAgentCreate } from './agent-forms.js';
import { salesProviders } from './provider-adapter.js';

/*
 * /console/sources/new: one panel per kind, in the descriptors' order. A kind whose descriptor
 * carries its create form (fields by their path in the setup route's body) is drawn here by the
 * console's form renderer, which takes each field's limits from that route's zod schema; a kind
 * whose create form the renderer cannot express names its custom panel (descriptor.console.create
 * says why), drawn by the function the console registers for it.
 */

/** The create panels the form renderer cannot draw, by the name their descriptors give. */
export const customPanels: Record<CustomSetup['panel'], (args: PageArgs) => string> = {
  agent: agentCreatePanel,
  'ad-server': adServerCreatePanel,
};

type Choices = NonNullable<FieldSpec['options']>;
/** Choices the console knows and a descriptor cannot: the sales providers this instance built. */
const choices: Partial<Record<string, Record<string, Choices>>> = {
  [providerDescriptor.executionType]: { provider: salesProviders },
};

const generic = kindDescriptors.flatMap((d) =>
  isSetupForm(d.console.create) ? [{ kind: d, form: d.console.create }] : [],
);

/** The form a descriptor's create form is, as the console's form renderer takes it. */
export function setupSpec(kind: KindDescriptor, form: SetupForm): FormSpec {
  const mine = choices[kind.executionType] ?? {};
  return {
    id: form.id,
    action: `/console/sources/${form.action}`,
    route: kind.setup.route,
    fields: form.fields.map(({ options, ...field }) => {
      const chosen = mine[field.name] ?? (options && [...options]);
      return { ...field, ...(chosen && { options: chosen }) };
    }),
    submit: form.submit,
    idempotent: true,
    ...(form.values && { values: { ...form.values } }),
  };
}

/** Every kind's create panel, each panel once (two kinds may share one). */
export function createPanels(args: PageArgs): string {
  const drawn = new Set<string>();
  return kindDescriptors
    .map((d): string => {
      const create = d.console.create;
      if (!isSetupForm(create)) {
        if (drawn.has(create.panel)) return '';
        drawn.add(create.panel);
        return customPanels[create.panel](args);
      }
      return panel(
        `${create.id}-h`,
        create.title,
        `<p class="note">${create.note}</p>${args.form(setupSpec(d, create))}`,
      );
    })
    .filter(Boolean)
    .join('\n');
}

/** The value at a dotted path of an API answer, as text (the created source's name). */
const textAt = (data: unknown, path: string): string => {
  let at: unknown = data;
  for (const part of path.split('.')) {
    at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  }
  return typeof at === 'string' ? at : '';
};

/** The console routes of the create forms the descriptors carry. */
export function registerCreateForms(ctx: ConsoleContext): void {
  registerAgentCreate(ctx);
  for (const { kind, form } of generic) {
    const notice = form.notice;
    if (!(notice in notices)) throw new Error(`${kind.executionType}: no notice ${notice}`);
    ctx.apiForm({
      url: `/console/sources/${form.action}`,
      persona: 'SELLER',
      page: '/console/sources/new',
      spec: () => setupSpec(kind, form),
      done: (data) => ({
        to: sourcePage(textAt(data, 'sourceId')),
        // Checked against the closed list above.
        notice: notice as keyof typeof notices,
        subject: textAt(data, form.createdName),
      }),
    });
  }
}
