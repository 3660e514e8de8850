import type { ReadinessService } from '../../../../modules/readiness/index.js';
import type { SourceView } from '../../../../modules/inventory-sources/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import type { PageArgs } from '../../context.js';
import { panel, statusBadge } from '../../layout.js';
import { adapterSection } from './provider-adapter.js';
import { adServerSection } from './ad-server-section.js';
import { modularSection } from '../modular/section.js';

type Diagnostic = Awaited<ReturnType<ReadinessService['forSeller']>>['sourceDiagnostics'][number];

/**
 * The section a source's page shows for its kind (`executionType`). A section may read more
 * through the API as the signed-in seller (`args.api`) and draw forms (`args.form`).
 */
export type SourceKindSection = (
  source: SourceView,
  diagnostic: Diagnostic | undefined,
  args: PageArgs,
) => string | Promise<string>;

/**
 * What a kind's page is: its section, and what serves it. Only a kind that is an agent (an
 * endpoint, a protocol, a credential to present, a capability probe to run) has no `servedBy`;
 * every other kind says what serves it instead, and its page shows no agent, no probe button
 * and no credential form. A kind not listed here gets a page of that second sort, never the
 * agent page.
 */
export interface SourceKind {
  /** What the sources list calls it. */
  label: string;
  section: SourceKindSection;
  servedBy?: string;
}

export const sourceKinds: Record<string, SourceKind> = {
  AGENT: { label: 'AdCP sales agent', section: agentSection },
  LINKED_STOREFRONT: { label: 'Linked storefront', section: linkedStorefrontSection },
  MODULAR_SOURCE: {
    label: 'Modular source',
    section: (source, _diagnostic, args) => modularSection(source, args),
    servedBy: 'Interchange itself: avails feed, booking ledger and work queue (no agent to call)',
  },
  PROVIDER_ADAPTER: {
    label: 'Provider ad account',
    section: (source, _diagnostic, args) => adapterSection(source, args),
    servedBy: 'Interchange’s adapter, in the connected provider account (below)',
  },
  MANAGED_SALES_AGENT: {
    label: 'Ad server',
    section: (source, _diagnostic, args) => adServerSection(source, args),
    servedBy: 'Interchange’s ad-server adapter, in your own ad server (below)',
  },
};

/** The kind of a source; an unknown kind is served by Interchange, not an agent. */
export function kindOf(executionType: string): SourceKind {
  return (
    sourceKinds[executionType] ?? {
      label: executionType,
      section: () => '',
      servedBy: `Interchange (${executionType})`,
    }
  );
}

const list = (values: string[] | undefined) =>
  values && values.length ? values.map((v) => `<code>${e(v)}</code>`).join(' ') : '—';

/** What the capability probe found at an AdCP sales agent. */
function agentSection(source: SourceView): string {
  const c = source.capabilities;
  if (!c) {
    return panel(
      'probe-h',
      'What the agent offers',
      '<p class="empty">The agent has not answered a capability probe yet: use “Test the connection”.</p>',
    );
  }
  const state = (s: string) =>
    statusBadge(s, s === 'supported' ? 'good' : s === 'unsupported' ? 'bad' : 'neutral');
  return panel(
    'probe-h',
    'What the agent offers',
    `${c.syntheticManifest ? '<p class="note">The agent did not describe itself (no get_adcp_capabilities): these are inferred from its tools.</p>' : ''}
<dl class="facts"><dt>Agent</dt><dd>${e(c.agentName ?? '—')}${c.adcpVersion ? ` (AdCP ${e(c.adcpVersion)})` : ''}</dd>
<dt>Products</dt><dd>${state(c.products)}</dd>
<dt>Create media buys</dt><dd>${state(c.createMediaBuy)}</dd>
<dt>Update media buys</dt><dd>${state(c.updateMediaBuy)}</dd>
<dt>Signals</dt><dd>${state(c.signals)}</dd>
<dt>Creative library</dt><dd>${c.creativeHasCreativeLibrary === null ? 'unknown' : c.creativeHasCreativeLibrary ? 'yes: creatives are synced first' : 'no: creatives travel inline'}</dd>
<dt>Channels</dt><dd>${list(c.channels)}</dd>
<dt>Countries</dt><dd>${list(c.countries)}</dd>
<dt>Publisher domains</dt><dd>${list(c.publisherDomains)}</dd>
<dt>Pricing models</dt><dd>${list(c.pricingModels)}</dd>
<dt>Authentication it accepts</dt><dd>${list(c.authTypes)}</dd>
<dt>Tools</dt><dd>${list(c.tools)}</dd></dl>`,
  );
}

/** Another storefront's agent: what it takes for products to flow, then what it offers. */
function linkedStorefrontSection(source: SourceView): string {
  return `${panel(
    'link-h',
    'Linked storefront',
    `<p>This source sells another storefront’s inventory through its Merchandising Agent at <code>${e(source.endpointUrl ?? '—')}</code>.</p>
<p class="note">Nothing flows until that storefront’s seller approves your link request (ask with <code>POST /api/v2/buyer/storefront-links</code> on its instance, as the account whose key this source presents; on this instance, with your own key). A denial or revocation shows here as the source’s errors from the next request. Buys you route here reach that storefront as your organisation’s buys.</p>`,
  )}
${agentSection(source)}`;
}
