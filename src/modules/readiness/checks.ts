import type { StoredSourceRow as SourceRow } from '../inventory-sources/index.js';
import { isDraft, type SellingCheck, sellingVerdict } from '../inventory-sources/index.js';
import type { PublisherDomainReadiness } from '../publisher-authorization/index.js';
import type { StorefrontRow } from '../storefronts/index.js';
import type { ReadinessCheck } from './schemas.js';

/**
 * The readiness checks, as pure functions of state. Blockers: inventory_sources, agent_status,
 * agent_auth and currency_confirmed (the docs' list); the rest inform without blocking.
 */
export interface CheckInput {
  storefront: StorefrontRow;
  sources: SourceRow[];
  hasActiveOperatingInstructions: boolean;
}

export function readinessChecks(input: CheckInput): ReadinessCheck[] {
  const active = input.sources.filter((s) => s.status === 'ACTIVE');
  return [
    profileCheck(input.storefront),
    sourcesCheck(input.sources, active),
    draftSourcesCheck(input.sources),
    agentStatusCheck(active),
    agentAuthCheck(active),
    currencyCheck(input.storefront),
    operatingInstructionsCheck(input.hasActiveOperatingInstructions),
    marketplaceCheck(input.storefront),
  ];
}

/** ready iff every blocker is complete (or explicitly optional). */
export function isReady(checks: ReadinessCheck[]): boolean {
  return checks.every((c) => !c.isBlocker || c.status === 'complete' || c.status === 'optional');
}

function profileCheck(s: StorefrontRow): ReadinessCheck {
  const domains = [s.publisherDomain, s.operatorDomain].filter(Boolean).length;
  const described = Boolean(s.description || s.businessProfile?.agentPersonality);
  const status = domains === 2 && described ? 'complete' : domains === 0 ? 'missing' : 'partial';
  return {
    id: 'business_profile',
    name: 'Business profile',
    description: 'Publisher and operator domains and a description buyers and the agent can use',
    category: 'profile',
    status,
    isBlocker: false,
    ...(status !== 'complete' && {
      details: [
        !s.publisherDomain && 'publisherDomain is not set',
        !s.operatorDomain && 'operatorDomain is not set',
        !described && 'no description or businessProfile.agentPersonality',
      ]
        .filter(Boolean)
        .join('; '),
      actionLabel: 'Complete the storefront profile',
      method: 'PUT /api/v2/storefront',
    }),
  };
}

function sourcesCheck(all: SourceRow[], active: SourceRow[]): ReadinessCheck {
  const status = active.length > 0 ? 'complete' : all.length > 0 ? 'partial' : 'missing';
  return {
    id: 'inventory_sources',
    name: 'Inventory sources',
    description: 'At least one ACTIVE inventory source the Merchandising Agent can draw on',
    category: 'inventory',
    status,
    isBlocker: true,
    details:
      status === 'complete'
        ? `${active.length} of ${all.length} sources ACTIVE`
        : status === 'partial'
          ? `${all.length} source(s) registered, none ACTIVE`
          : 'No inventory source registered',
    ...(status !== 'complete' && {
      actionLabel: status === 'missing' ? 'Add an inventory source' : 'Activate a source',
      method:
        status === 'missing'
          ? 'POST /api/v2/storefront/inventory-sources'
          : 'PUT /api/v2/storefront/inventory-sources/{sourceId} {"status":"ACTIVE"}',
    }),
  };
}

/** Drafts (created with a name only, as hosted clients may) are flagged until they get an endpoint. */
function draftSourcesCheck(all: SourceRow[]): ReadinessCheck {
  const drafts = all.filter(isDraft);
  return {
    id: 'draft_sources',
    name: 'Draft sources',
    description: 'Every registered source has an endpoint the Merchandising Agent can call',
    category: 'inventory',
    status: drafts.length === 0 ? 'complete' : 'partial',
    isBlocker: false,
    ...(drafts.length > 0 && {
      details: `No endpoint yet: ${drafts.map((s) => s.sourceId).join(', ')}`,
      actionLabel: 'Give the draft an endpoint',
      method: 'PUT /api/v2/storefront/inventory-sources/{sourceId} {"endpointUrl":"https://…"}',
    }),
  };
}

/**
 * The ACTIVE sources that cannot sell now for a reason this check names (inventory-sources'
 * sellingVerdict: the storefront agent offers them nothing and routes no buy to them), and the
 * check's status. Partial (some sell, some not) does not block while another source sells: the
 * storefront sells that one and leaves these out, as readiness says. None selling blocks.
 */
function sellingCheck(active: SourceRow[], check: SellingCheck) {
  const verdicts = active.map((s) => ({ sourceId: s.sourceId, verdict: sellingVerdict(s) }));
  const bad = verdicts.flatMap(({ sourceId, verdict }) =>
    !verdict.canTransact && verdict.reason.check === check
      ? [{ sourceId, code: verdict.reason.code }]
      : [],
  );
  const anySells = verdicts.some(({ verdict }) => verdict.canTransact);
  const status: ReadinessCheck['status'] =
    active.length === 0
      ? 'missing'
      : bad.length === 0
        ? 'complete'
        : bad.length < active.length
          ? 'partial'
          : 'missing';
  return { bad, status, isBlocker: status !== 'partial' || !anySells };
}

function agentStatusCheck(active: SourceRow[]): ReadinessCheck {
  const { bad, status, isBlocker } = sellingCheck(active, 'agent_status');
  return {
    id: 'agent_status',
    name: 'Agent status',
    description:
      'Every ACTIVE source answered its latest capability probe (or, for one Interchange serves, reports it can sell)',
    category: 'agents',
    status,
    isBlocker,
    details:
      active.length === 0
        ? 'No ACTIVE source to check'
        : bad.length === 0
          ? `${active.length} source(s) answering`
          : `Not answering, so not offered to buyers: ${bad.map((s) => `${s.sourceId} (${s.code})`).join(', ')}`,
    ...(status !== 'complete' && {
      actionLabel: 'Check the agent endpoint and refresh',
      method: 'POST /api/v2/storefront/inventory-sources/{sourceId}/refresh',
    }),
  };
}

function agentAuthCheck(active: SourceRow[]): ReadinessCheck {
  const { bad, status, isBlocker } = sellingCheck(active, 'agent_auth');
  return {
    id: 'agent_auth',
    name: 'Agent authentication',
    description:
      'Each ACTIVE source has working credentials, needs none, or takes buyer credentials',
    category: 'agents',
    status,
    isBlocker,
    details:
      active.length === 0
        ? 'No ACTIVE source to check'
        : bad.length === 0
          ? 'Authentication in order'
          : `Credentials missing or refused, so not offered to buyers: ${bad.map((s) => `${s.sourceId} (${s.code})`).join(', ')}`,
    ...(status !== 'complete' && {
      actionLabel: 'Configure source credentials',
      method: 'PUT /api/v2/storefront/inventory-sources/{sourceId} {"auth":{...}}',
    }),
  };
}

function currencyCheck(s: StorefrontRow): ReadinessCheck {
  return {
    id: 'currency_confirmed',
    name: 'Settlement currency',
    description: 'The storefront confirmed the ISO-4217 currency it settles in',
    category: 'billing',
    status: s.defaultCurrency ? 'complete' : 'missing',
    isBlocker: true,
    details: s.defaultCurrency
      ? `Settles in ${s.defaultCurrency}`
      : 'defaultCurrency is not confirmed',
    ...(!s.defaultCurrency && {
      actionLabel: 'Confirm the currency',
      method: 'PUT /api/v2/storefront {"defaultCurrency":"USD"}',
    }),
  };
}

function operatingInstructionsCheck(present: boolean): ReadinessCheck {
  return {
    id: 'operating_instructions',
    name: 'Operating instructions',
    description: 'An active rulebook for the Merchandising Agent (recommended)',
    category: 'merchandising',
    status: present ? 'complete' : 'missing',
    isBlocker: false,
    ...(!present && {
      details: 'No active operating instructions; the agent uses its defaults',
      actionLabel: 'Write operating instructions',
      method: 'POST /api/v2/storefront/operating-instructions',
    }),
  };
}

function marketplaceCheck(s: StorefrontRow): ReadinessCheck {
  const listed = s.marketplaceStatus === 'LISTED';
  const status = listed && !s.hidden ? 'complete' : listed ? 'partial' : 'missing';
  return {
    id: 'marketplace_listing',
    name: 'Marketplace listing',
    description: 'Reviewed and listed in public buyer discovery (the owner can use it before)',
    category: 'marketplace',
    status,
    isBlocker: false,
    details:
      status === 'complete'
        ? 'Listed in buyer discovery'
        : status === 'partial'
          ? 'Listed but hidden by a platform admin'
          : 'Pending marketplace review',
  };
}

/**
 * Publisher authorization (readiness publisherDomains[]): every domain the storefront sells
 * lists its agent, or the source agent it resells, in adagents.json. It does not block going
 * live; under INTERCHANGE_COMPLIANCE_POLICY=strict the products of a domain that does not
 * authorize are not offered.
 */
export function publisherAuthorizationCheck(domains: PublisherDomainReadiness[]): ReadinessCheck {
  const authorized = domains.filter((d) => d.status === 'authorized');
  const pending = domains.filter((d) => d.status === 'pending');
  const others = domains.filter((d) => d.status !== 'authorized' && d.status !== 'pending');
  const status =
    domains.length === 0
      ? 'missing'
      : authorized.length === domains.length
        ? 'complete'
        : authorized.length > 0 || pending.length < domains.length
          ? 'partial'
          : 'missing';
  const reasonOf = (d: PublisherDomainReadiness) =>
    `${d.publisherDomain} (${d.authorizationReason ?? d.status})`;
  return {
    id: 'publisher_authorization',
    name: 'Publisher authorization',
    description:
      "Each publisher domain's /.well-known/adagents.json lists the storefront's agent or the " +
      'source agent it resells',
    category: 'inventory',
    status,
    isBlocker: false,
    details:
      domains.length === 0
        ? 'No publisher domain configured or declared by a source'
        : [
            `${authorized.length} of ${domains.length} domain(s) authorize this storefront`,
            others.length > 0 && `not authorized: ${others.map(reasonOf).join(', ')}`,
            pending.length > 0 &&
              `not read yet: ${pending.map((d) => d.publisherDomain).join(', ')}`,
          ]
            .filter(Boolean)
            .join('; '),
    ...(status !== 'complete' && {
      actionLabel:
        domains.length === 0
          ? 'Add your publisher domains'
          : "List this storefront's agent in each publisher's adagents.json, then re-check",
      method:
        domains.length === 0
          ? 'PUT /api/v2/storefront {"businessProfile":{"publisherDomains":[…]}}'
          : 'POST /api/v2/storefront/readiness/publisher-domains/refresh',
    }),
  };
}
