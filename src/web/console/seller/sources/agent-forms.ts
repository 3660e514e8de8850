import type { SourceView } from '../../../../modules/inventory-sources/index.js';
import type { ConsoleContext, PageArgs } from '../../context.js';
import type { FieldSpec, FormSpec } from '../../forms/index.js';
import { panel } from '../../layout.js';
import { agentDescriptor } from '../../../../source-kinds/descriptors.js';
import { sourcePage } from '../modular/wire.js';

/*
 * The AdCP sales agent's create form (AGENT and LINKED_STOREFRONT share it: the kind radio), and
 * the credential fields a source page's credential form shows too. A custom panel (the agent
 * descriptor says why): the credential fields follow the authentication type chosen, and the
 * API's auth.type is made from it.
 */

const authTypes = [
  { value: 'NO_AUTH', label: 'None' },
  { value: 'API_KEY', label: 'API key (bearer token)' },
  { value: 'JWT', label: 'JWT grant (RFC 7523)' },
  { value: 'OAUTH', label: 'OAuth (each buyer consents)' },
  { value: 'BASIC_AUTH', label: 'HTTP Basic' },
];
const when_ = (...values: string[]) => ({ field: 'authenticationType', values });

/** The credential fields, shown for the authentication type they belong to. */
export const credentialFields: FieldSpec[] = [
  {
    name: 'authenticationType',
    label: 'Authentication',
    kind: 'select',
    options: authTypes,
    attrs: 'data-controls-visibility="true"',
  },
  {
    name: 'auth.token',
    label: 'API key or bearer token',
    kind: 'password',
    showWhen: when_('API_KEY'),
    attrs: 'autocomplete="off"',
  },
  {
    name: 'auth.privateKey',
    label: 'Private key (PEM)',
    kind: 'textarea',
    showWhen: when_('JWT'),
    attrs: 'autocomplete="off" spellcheck="false"',
  },
  { name: 'auth.issuer', label: 'Issuer', showWhen: when_('JWT') },
  { name: 'auth.subject', label: 'Subject', showWhen: when_('JWT') },
  { name: 'auth.keyId', label: 'Key id', showWhen: when_('JWT') },
  {
    name: 'auth.tokenEndpointUrl',
    label: 'Token endpoint URL',
    kind: 'url',
    showWhen: when_('JWT'),
  },
  { name: 'auth.audienceUrl', label: 'Audience URL', kind: 'url', showWhen: when_('JWT') },
  { name: 'auth.algorithm', label: 'Algorithm', kind: 'select', showWhen: when_('JWT') },
  { name: 'auth.clientId', label: 'OAuth client id', showWhen: when_('OAUTH') },
  {
    name: 'auth.clientSecret',
    label: 'OAuth client secret (optional)',
    kind: 'password',
    showWhen: when_('OAUTH'),
    attrs: 'autocomplete="off"',
  },
  {
    name: 'auth.authorizationServerUrl',
    label: 'Authorization server URL (optional)',
    kind: 'url',
    showWhen: when_('OAUTH'),
    hint: 'Left empty, it is discovered from the agent’s protected-resource metadata.',
  },
  { name: 'auth.scope', label: 'Scope', showWhen: when_('JWT', 'OAUTH') },
  { name: 'auth.username', label: 'User name', showWhen: when_('BASIC_AUTH') },
  {
    name: 'auth.password',
    label: 'Password',
    kind: 'password',
    showWhen: when_('BASIC_AUTH'),
    attrs: 'autocomplete="off"',
  },
];

/** The API's `auth.type` for each authentication type the form offers. */
const authTypeOf: Record<string, string> = {
  API_KEY: 'bearer',
  JWT: 'jwt',
  OAUTH: 'oauth',
  BASIC_AUTH: 'basic',
};

export function withAuthType(body: Record<string, unknown>): Record<string, unknown> {
  const type = authTypeOf[String(body.authenticationType)];
  if (!type) return { ...body, auth: {} };
  return { ...body, auth: { ...(body.auth as object | undefined), type } };
}

const addFields: FieldSpec[] = [
  { name: 'name', label: 'Name' },
  {
    name: 'executionType',
    label: 'Kind',
    kind: 'radio',
    hint: 'AGENT: an AdCP sales agent. LINKED_STOREFRONT: another storefront’s agent (…/adcp/storefront-{id}/mcp), once its seller approves your link request.',
  },
  {
    name: 'endpointUrl',
    label: 'Agent URL',
    kind: 'url',
    hint: 'The AdCP sales agent’s MCP endpoint (…/mcp) or A2A base URL.',
  },
  { name: 'protocol', label: 'Protocol', kind: 'radio' },
  {
    name: 'sourceId',
    label: 'Source id (optional)',
    hint: 'Lowercase letters, digits, - and _; made from the name when left empty.',
  },
  { name: 'description', label: 'Description', kind: 'textarea' },
  ...credentialFields,
  {
    name: 'requiresCredentials',
    label: 'Buyers bring their own credentials to this source',
    kind: 'checkbox',
  },
];

const addSpec = (): FormSpec => ({
  id: 'add-source',
  action: '/console/sources/new',
  route: agentDescriptor.setup.route,
  fields: addFields,
  submit: 'Add the source',
  idempotent: true,
  values: { executionType: 'AGENT', protocol: 'MCP', authenticationType: 'NO_AUTH' },
  busy: 'Adding the source and asking the agent what it can do…',
});

/** The agent's panel on /console/sources/new. */
export function agentCreatePanel(args: PageArgs): string {
  return panel(
    'add-h',
    'An AdCP sales agent (MCP or A2A)',
    `<p class="note">The agent is asked for its capabilities as soon as it is added; it stays PENDING until you activate it.</p>${args.form(addSpec())}`,
  );
}

export function registerAgentCreate(ctx: ConsoleContext): void {
  ctx.apiForm({
    url: '/console/sources/new',
    persona: 'SELLER',
    page: '/console/sources/new',
    spec: addSpec,
    shape: withAuthType,
    done: (data) => {
      const source = data as SourceView;
      return { to: sourcePage(source.sourceId), notice: 'source-added', subject: source.name };
    },
  });
}
