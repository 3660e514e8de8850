import type { ReadinessService } from '../../../../modules/readiness/index.js';
import type { SourceView } from '../../../../modules/inventory-sources/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import { seg } from '../../api.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import type { FieldSpec, FormSpec } from '../../forms/index.js';
import { page, panel, statusBadge, table, when } from '../../layout.js';
import { complianceSection, latestRun, registerComplianceForm } from './compliance.js';
import { registerAdapterForms } from './provider-adapter.js';
import { credentialFields, withAuthType } from './agent-forms.js';
import { createPanels, registerCreateForms } from './create.js';
import { refusedProductsPanel } from './refused-products.js';
import { kindOf } from './kinds.js';
import { sandboxOn, sandboxPage } from '../sandbox.js';

type Readiness = Awaited<ReturnType<ReadinessService['forSeller']>>;
const base = '/api/v2/storefront/inventory-sources';

const editFields: FieldSpec[] = [
  { name: 'name', label: 'Name' },
  { name: 'endpointUrl', label: 'Agent URL', kind: 'url' },
  { name: 'protocol', label: 'Protocol', kind: 'radio' },
  { name: 'description', label: 'Description', kind: 'textarea', empty: 'null' },
  {
    name: 'requiresCredentials',
    label: 'Buyers bring their own credentials to this source',
    kind: 'checkbox',
  },
];

const sourceUrl = (id: string) => `/console/sources/${seg(id)}`;
const detailRoute = `${base}/:sourceId`;
const editSpec = (id: string, values?: SourceView): FormSpec => ({
  id: 'edit-source',
  action: `${sourceUrl(id)}/edit`,
  route: `PUT ${detailRoute}`,
  fields: editFields,
  submit: 'Save',
  values,
});
/** A source with no agent (modular, provider adapter) has only its name and description. */
const agentlessEditSpec = (id: string, values?: SourceView): FormSpec => ({
  ...editSpec(id, values),
  action: `${sourceUrl(id)}/edit-settings`,
  fields: editFields.filter((f) => f.name === 'name' || f.name === 'description'),
});
const credentialSpec = (id: string, values?: SourceView): FormSpec => ({
  id: 'credential',
  action: `${sourceUrl(id)}/credential`,
  route: `PUT ${detailRoute}`,
  fields: credentialFields,
  submit: 'Save the credential',
  values: values && { authenticationType: values.authenticationType },
  intro:
    '<p class="note">Stored encrypted and never shown again: to rotate a credential, enter the new one here.</p>',
});

const statusActions = {
  test: {
    route: `POST ${detailRoute}/refresh`,
    label: 'Test the connection',
    busy: 'Asking the agent for its capabilities…',
  },
  activate: { route: `PUT ${detailRoute}`, label: 'Activate', body: { status: 'ACTIVE' } },
  disable: { route: `PUT ${detailRoute}`, label: 'Disable', body: { status: 'DISABLED' } },
  remove: { route: `DELETE ${detailRoute}`, label: 'Remove the source' },
} as const;
type StatusAction = keyof typeof statusActions;

const actionSpec = (id: string, action: StatusAction): FormSpec => {
  const a = statusActions[action];
  return {
    id: `source-${action}`,
    action: `${sourceUrl(id)}/${action}`,
    route: a.route,
    fields: [],
    submit: a.label,
    danger: action === 'disable' || action === 'remove',
    className: 'inline-form',
    ...('busy' in a && { busy: a.busy }),
  };
};

/**
 * Inventory sources: the list, adding one (URL, protocol, the credential its authentication
 * type needs), and one source's page: what the capability probe found, testing the connection,
 * activating, disabling, rotating its credential, and a section per source kind.
 */
export function registerSourcePages(ctx: ConsoleContext): void {
  ctx.page('/console/sources', 'SELLER', (args) => renderList(args, sandboxOn(ctx)));
  ctx.page('/console/sources/new', 'SELLER', async (args) =>
    page(
      {
        ...(await args.frame('Add an inventory source', '/console/sources')),
        back: { href: '/console/sources', label: 'Inventory sources' },
      },
      createPanels(args),
    ),
  );
  registerCreateForms(ctx);
  registerAdapterForms(ctx);

  ctx.page('/console/sources/:sourceId', 'SELLER', renderSource);
  registerComplianceForm(ctx);
  ctx.apiForm({
    url: '/console/sources/:sourceId/edit',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => editSpec(params.sourceId!),
    done: (data) => ({
      to: sourceUrl((data as SourceView).sourceId),
      notice: 'source-saved',
      subject: (data as SourceView).name,
    }),
  });
  ctx.apiForm({
    url: '/console/sources/:sourceId/edit-settings',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => agentlessEditSpec(params.sourceId!),
    done: (data) => ({
      to: sourceUrl((data as SourceView).sourceId),
      notice: 'source-saved',
      subject: (data as SourceView).name,
    }),
  });
  ctx.apiForm({
    url: '/console/sources/:sourceId/credential',
    persona: 'SELLER',
    page: '/console/sources/:sourceId',
    spec: ({ params }) => credentialSpec(params.sourceId!),
    shape: withAuthType,
    done: (data) => ({
      to: sourceUrl((data as SourceView).sourceId),
      notice: 'source-credential-saved',
      subject: (data as SourceView).name,
    }),
  });
  for (const action of Object.keys(statusActions) as StatusAction[]) {
    const a = statusActions[action];
    ctx.apiForm({
      url: `/console/sources/:sourceId/${action}`,
      persona: 'SELLER',
      page: '/console/sources/:sourceId',
      spec: ({ params }) => actionSpec(params.sourceId!, action),
      noBody: !('body' in a),
      shape: () => ('body' in a ? { ...a.body } : {}),
      done: (data, { params }) => {
        if (action === 'remove') {
          return { to: '/console/sources', notice: 'source-removed', subject: params.sourceId! };
        }
        const source = data as SourceView;
        const notice =
          action === 'test'
            ? source.health.status === 'healthy'
              ? 'source-test-passed'
              : 'source-test-failed'
            : action === 'activate'
              ? 'source-activated'
              : 'source-disabled';
        return { to: sourceUrl(source.sourceId), notice, subject: source.name };
      },
    });
  }
}

const health = (s: Pick<SourceView, 'health'>) =>
  statusBadge(
    s.health.status,
    s.health.status === 'healthy' ? 'good' : s.health.status === 'failing' ? 'bad' : 'neutral',
  );

async function renderList(args: PageArgs, sandbox: boolean): Promise<string> {
  const sources = await args.api.get<SourceView[]>(base);
  const rows = sources.map((s) => [
    `<a href="${e(sourceUrl(s.sourceId))}"><strong>${e(s.name)}</strong></a><br><code>${e(s.sourceId)}</code>${s.description ? `<br><span class="note">${e(s.description)}</span>` : ''}`,
    statusBadge(s.status, s.status === 'ACTIVE' ? 'good' : 'neutral'),
    `${e(s.type)} · ${e(s.role)}<br>${kindOf(s.executionType).servedBy ? e(kindOf(s.executionType).label) : `${e(s.protocol)} <code>${e(s.endpointUrl ?? 'no endpoint yet')}</code>`}`,
    kindOf(s.executionType).servedBy
      ? '—'
      : `${e(s.authenticationType)}${s.requiresCredentials ? ' (buyers bring theirs)' : s.authConfigured ? ' (configured)' : s.authenticationType === 'NO_AUTH' ? '' : ' (credential missing)'}`,
    `${health(s)}<br>${when(s.health.lastProbeAt)}${s.health.lastError ? `<br>${e(s.health.lastError.message)}` : ''}`,
  ]);
  return page(
    { ...(await args.frame('Inventory sources', '/console/sources')), flash: args.flash },
    panel(
      'src-h',
      'Sources',
      `<p><a class="button" href="/console/sources/new">Add a source</a>${sandbox ? ` <a class="button" href="${sandboxPage}">Try every kind in the sandbox</a>` : ''}</p>
${table('Inventory sources', ['Source', 'Status', 'Kind', 'Authentication', 'Health'], rows, 'No inventory sources yet: add the AdCP sales agent your storefront sells from, then activate it.')}`,
    ),
  );
}

async function renderSource(args: PageArgs): Promise<string> {
  const id = args.params.sourceId!;
  const [source, readiness, run] = await Promise.all([
    args.api.get<SourceView>(`${base}/${seg(id)}`),
    args.api.get<Readiness>('/api/v2/storefront/readiness'),
    latestRun(args, id),
  ]);
  const diagnostic = readiness.sourceDiagnostics.find((d) => d.sourceId === source.sourceId);
  const frame = {
    ...(await args.frame(source.name, '/console/sources')),
    flash: args.flash,
    back: { href: '/console/sources', label: 'Inventory sources' },
  };
  // Only an agent has an endpoint to probe and a credential to present: the kind says.
  const kind = kindOf(source.executionType);
  const agentless = kind.servedBy !== undefined;
  const buttons = [
    !agentless && source.endpointUrl ? args.form(actionSpec(id, 'test')) : '',
    !agentless && source.status !== 'ACTIVE' && source.endpointUrl
      ? args.form(actionSpec(id, 'activate'))
      : '',
    source.status !== 'DISABLED' ? args.form(actionSpec(id, 'disable')) : '',
  ].join('');
  const status = panel(
    'status-h',
    'Status',
    `<dl class="facts"><dt>Status</dt><dd>${statusBadge(source.status, source.status === 'ACTIVE' ? 'good' : 'neutral')}</dd>
${agentless ? `<dt>Served by</dt><dd>${e(kind.servedBy!)}</dd>` : `<dt>Agent</dt><dd>${e(source.protocol)} <code>${e(source.endpointUrl ?? 'no endpoint yet')}</code></dd>`}
<dt>Connection</dt><dd>${health(source)} last tested ${when(source.health.lastProbeAt)}${source.health.latencyMs !== null ? ` in ${source.health.latencyMs} ms` : ''}</dd>
${source.health.lastError ? `<dt>Last error</dt><dd class="error-text">${e(source.health.lastError.code)}: ${e(source.health.lastError.message)}</dd>` : ''}
${diagnostic?.health.lastCallError ? `<dt>Last failed call</dt><dd>${e(diagnostic.health.lastCallError.tool)}: ${e(diagnostic.health.lastCallError.message)}</dd>` : ''}
${agentless ? '' : `<dt>Authentication</dt><dd>${e(source.authenticationType)}${source.requiresCredentials ? ' — buyers bring their own credentials' : source.authConfigured ? ' — configured' : ''}</dd>`}</dl>
<div class="button-row">${buttons}</div>`,
  );
  const kindSection = await kind.section(source, diagnostic, args);
  return page(
    frame,
    `${status}
${refusedProductsPanel(diagnostic?.invalidProducts ?? [])}
${kindSection}
${complianceSection(args, diagnostic, run)}
${panel('edit-h', 'Settings', args.form(agentless ? agentlessEditSpec(id, source) : editSpec(id, source)))}
${agentless ? '' : panel('credential-h', source.authConfigured ? 'Rotate the credential' : 'Credential', `${oauthNote(source)}${args.form(credentialSpec(id, source))}`)}
${panel('remove-h', 'Remove', `<p class="note">Removing a source stops the storefront drawing on it; media buys already placed there stay as they are.</p>${args.form(actionSpec(id, 'remove'))}`)}`,
  );
}

function oauthNote(source: SourceView): string {
  if (source.authenticationType !== 'OAUTH') return '';
  return `<p class="note">An OAuth source is connected by each buyer: the buyer console’s storefront page opens the consent window, and the callback tells that page when it is done. Operator-held OAuth tokens are not supported (the API answers OPERATOR_OAUTH_UNSUPPORTED).</p>`;
}
