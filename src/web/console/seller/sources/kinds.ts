import type { ReadinessService } from '../../../../modules/readiness/index.js';
import type { SourceView } from '../../../../modules/inventory-sources/index.js';
import { escapeHtml as e } from '../../../../platform/http/html.js';
import type { PageArgs } from '../../context.js';
import { panel, statusBadge } from '../../layout.js';
import { adapterSection } from './provider-adapter.js';
import { adServerSection } from './ad-server-section.js';
import { modularSection } from '../modular/section.js';
import { type ConsoleSectionName, descriptorOf } from '../../../../source-kinds/descriptors.js';

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

/** What a kind's page is: its label and what serves it (its descriptor's), and its section. */
export interface SourceKind {
  /** What the sources list calls it. */
  label: string;
  section: SourceKindSection;
  /**
   * Only a kind that is an agent (an endpoint, a protocol, a credential to present, a capability
   * probe to run) has none; every other kind's page shows what serves it instead, and no agent,
   * no probe button and no credential form.
   */
  servedBy?: string;
}

/** The section each descriptor's `console.section` names. */
export const sections: Record<ConsoleSectionName, SourceKindSection> = {
  agent: agentSection,
  'linked-storefront': linkedStorefrontSection,
  modular: (source, _diagnostic, args) => modularSection(source, args),
  provider: (source, _diagnostic, args) => adapterSection(source, args),
  'ad-server': (source, _diagnostic, args) => adServerSection(source, args),
};

/**
 * The kind of a source, from its descriptor; a kind this instance does not describe is served by
 * Interchange, not an agent (never the agent page).
 */
export function kindOf(executionType: string): SourceKind {
  const descriptor = descriptorOf(executionType);
  if (!descriptor) {
    return { label: executionType, section: () => '', servedBy: `Interchange (${executionType})` };
  }
  return {
    label: descriptor.label,
    section: sections[descriptor.console.section],
    ...(descriptor.servedBy !== undefined && { servedBy: descriptor.servedBy }),
  };
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
