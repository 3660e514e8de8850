/**
 * Why each hosted gap the compatibility check finds is left out on purpose. The generated
 * section of docs/hosted-compatibility.md lists every gap with its reason from here; a gap with
 * no reason, or a reason for a gap that no longer exists, fails test/compat/hosted-api.test.ts.
 *
 * Operations are named by operationId (`buyer:`/`storefront:` prefixed when both hosted
 * documents use the same id). Per operation, reasons by the gap's kind: `body` (a hosted request
 * field we do not accept), `required`/`optional` (a field we require that hosted does not have,
 * or leaves optional), `query` (a hosted query parameter we lack), `response` (a hosted response
 * field our `data` lacks) and `operation` (a hosted operation we do not serve).
 */
export interface ReasonEntry {
  ops: string[];
  operation?: string;
  body?: Record<string, string>;
  required?: Record<string, string>;
  optional?: Record<string, string>;
  query?: Record<string, string>;
  response?: Record<string, string>;
}

const business = (what: string) => `hosted business (${what}).`;
const productModes =
  'not built (product-path modes): composition asks every ACTIVE SALES source for products; readiness `productBuilder.mode` tells composition from passthrough.';
const notCompliance = (why: string) => `not sent: ${why}`;

const storefrontAnswers = [
  'storefront:getStorefront',
  'createStorefront',
  'updateStorefront',
  'updateStorefrontCapabilities',
];
const sourceAnswers = ['createInventorySource', 'getInventorySource', 'updateInventorySource'];
const instructionAnswers = [
  'createOperatingInstructions',
  'getActiveOperatingInstructions',
  'getOperatingInstructionsVersion',
  'activateOperatingInstructions',
];
const advertiserAnswers = [
  'createAdvertiser',
  'getAdvertiser',
  'updateAdvertiser',
  'restoreAdvertiser',
];
const manifestAnswers = ['createCreativeManifest', 'getCreativeManifest', 'updateCreativeManifest'];
const noDataDelivery =
  'not offered: there is no log-level data delivery subsystem to configure (a body carrying it is refused with 400 naming the field).';
const noPlans = 'refused with 400: billing plans are hosted business.';

export const reasons: ReasonEntry[] = [
  {
    ops: ['createChildAccount'],
    body: {
      defaultCurrency: "set it on the child's storefront with `PUT /api/v2/storefront`.",
      paymentCurrencies: "set it on the child's storefront with `PUT /api/v2/storefront`.",
      accountMode: business("Scope3's demo provisioning"),
      demoRecipeIds: business("Scope3's demo provisioning"),
    },
    response: {
      canAcceptTos:
        'not built on this answer: terms are accepted per customer with `POST /api/v2/accounts/terms/accept` (or MCP `accept_tos`); a write before acceptance answers `403 TOS_ACCEPTANCE_REQUIRED`.',
      tosUpdate:
        'not built: successor-terms notices are not modelled; the accepted version is on the customer.',
    },
  },
  {
    ops: ['buyer:getStorefront'],
    response: {
      publishers: 'not built; the verified publishers are in readiness `publisherDomains[]`.',
      supportedBilling:
        'not served on REST: the storefront agent\'s `get_adcp_capabilities` (`account.supported_billing`, `["operator"]` only) is where a buyer reads it, and Interchange bills nobody.',
    },
  },
  {
    ops: storefrontAnswers,
    response: {
      membershipStatus: business('Scope3 membership tiers'),
      routingMode:
        'not built yet: our storefronts route each package to the source whose product it is.',
      adapterProviderType: business('Scope3-managed ad-server adapters'),
      adapterSourceKind: business('Scope3-managed ad-server adapters'),
      adapterCredentialMode: business('Scope3-managed ad-server adapters'),
      plan: business('billing plans'),
      configuredCapabilities:
        'not kept: `capabilities` are the approval modes themselves, so there is no separate configured state.',
      setupIntent: 'not stored (hosted: descriptive only); a request with it is refused with 400.',
      capabilitiesLocked: 'nothing locks capabilities here.',
      advertiseAsAgent: 'not built yet: every storefront is an AdCP agent.',
      sellsThirdPartyInventory:
        "not built (reselling other storefronts' inventory); a request with it is refused with 400.",
    },
  },
  { ops: ['createStorefront'], body: { plan: noPlans } },
  {
    ops: ['updateStorefront'],
    body: {
      plan: noPlans,
      membershipStatus: 'refused with 400: Scope3 membership tiers are hosted business.',
      setupIntent: 'refused with 400: not stored (hosted: descriptive only).',
      sellsThirdPartyInventory:
        "refused with 400: reselling other storefronts' inventory is not built.",
      confirmOperatorDomainProfileReset:
        'refused with 400: changing `operatorDomain` clears nothing here.',
      confirmCurrencyCatalogImpact: 'refused with 400: a currency change hides no products here.',
    },
  },
  {
    ops: ['updateStorefrontCapabilities'],
    body: { setupIntent: 'refused with 400: not stored (hosted: descriptive only).' },
  },
  {
    ops: sourceAnswers,
    response: {
      connectionType: business("Scope3's preconfigured ad-server sources"),
      adServerProvider: business("Scope3's preconfigured ad-server sources"),
      oauth:
        'not served: operator-held OAuth is not supported (see startAgentOAuth); buyers consent per account through `accounts/oauth/authorize`.',
      managedSa:
        'not served on the inventory source: the same state is what `GET …/inventory-sources/{sourceId}/esa` answers (docs/ad-servers.md).',
      linkedStorefront:
        'always null in hosted; linked storefronts here are sources of `executionType: "LINKED_STOREFRONT"` naming the upstream by `endpointUrl` (docs/federation.md).',
      agentCapabilityUid: 'not built (hosted agent-capability registry).',
      declaredAgentProductMode: productModes,
      bindingProductMode: productModes,
      effectiveProductMode: productModes,
      productModeReasons: productModes,
      productPaths: productModes,
    },
  },
  {
    ops: ['createInventorySource'],
    body: { connectionContract: 'refused with 400: pinned connection contracts are not built.' },
  },
  {
    ops: ['createInventorySource', 'updateInventorySource'],
    body: {
      oauthAudience:
        "refused with 400: buyers' OAuth flows take the audience from the agent's protected-resource metadata.",
    },
  },
  {
    ops: ['getStorefrontReadiness'],
    response: {
      availabilityGuidance: 'not built (hosted onboarding coaching).',
      onboardingPlan: 'not built (hosted onboarding coaching).',
      liveness: 'not built (hosted onboarding coaching).',
    },
  },
  {
    ops: instructionAnswers,
    response: {
      ownershipIssues: 'not built yet (the canonical-ownership checker of instruction text).',
      doctrine: 'not built yet: our merchandising agent has no qualification step to apply it to.',
    },
  },
  {
    ops: ['createOperatingInstructions'],
    body: {
      doctrine: 'refused with 400 rather than stored without effect (no qualification step).',
    },
  },
  {
    ops: ['retryForwardPendingMediaBuy'],
    body: {
      forceTerminal:
        'not read (the route takes no body): there is no structural terminalisation to force.',
      reason:
        'not read (the route takes no body): retries are not recorded with a free-text reason.',
    },
  },
  {
    ops: ['listAdvertisers'],
    response: {
      currentAdvertiserId:
        'not returned: it reflects an `X-SCOPE3-SEAT-ID` advertiser scope header we do not have.',
    },
  },
  { ops: advertiserAnswers, response: { dataDelivery: noDataDelivery } },
  { ops: ['createAdvertiser', 'updateAdvertiser'], body: { dataDelivery: noDataDelivery } },
  {
    ops: ['discoverProducts', 'browseProducts'],
    response: {
      diagnostics:
        'left out: hosted gives trace ids to elevated contexts only; there is no tracing here to point at yet.',
    },
  },
  {
    ops: ['browseProducts'],
    query: {
      debug: 'not taken: browse re-reads the stored session and never waits.',
      waitMode: 'not taken: browse re-reads the stored session and never waits.',
      waitSeconds: 'not taken: browse re-reads the stored session and never waits.',
      sinceRevision: 'not taken: browse re-reads the stored session (no revisions to diff).',
    },
  },
  {
    ops: ['listCampaigns'],
    response: {
      items:
        'not served: hosted sends the v3 cards only for its V3 experience (`v3Enabled: false` here).',
      activeCount:
        'not served: hosted sends it only for its V3 experience (`v3Enabled: false` here).',
    },
  },
  {
    ops: ['createCreativeManifest', 'updateCreativeManifest'],
    body: {
      template_id: 'no templates.',
      webhook_asset: 'no dynamic creative (DCO).',
      format_option_ref: 'a manifest covers its one `format_id`.',
      frequencyCaps: 'frequency caps belong to the campaign here.',
      cards: 'no carousels.',
    },
  },
  {
    ops: ['createCreativeManifest'],
    body: { brandAgentId: 'no brand agents here.' },
  },
  {
    ops: ['updateCreativeManifest'],
    body: {
      target_format_ids: 'a manifest covers its one `format_id`.',
      primary_asset_id: "an asset's type is what its bytes are.",
      reclassify_assets: "an asset's type is what its bytes are.",
      new_assets:
        "hosted's name for our `assets[]`, each replacing the asset in its slot (files go to `POST /api/v2/buyer/creative-assets`).",
    },
  },
  {
    ops: manifestAnswers,
    response: {
      template_id: 'no templates.',
      format_option_ref: 'a manifest covers its one `format_id`.',
      creative_role: 'no creative library roles; every creative is flight-specific.',
      carousel_cards: 'no carousels.',
      html_processing: 'no HTML processing.',
      auto_detected_template: 'no template detection.',
      tracking: 'no macro insertion.',
      frequencyCaps: 'frequency caps belong to the campaign here.',
      already_exists: 'every upload makes its own asset (no content de-duplication).',
      ignored_files: 'the body is JSON naming stored assets, so no file is ever ignored.',
    },
  },
  {
    ops: ['finalizeModularInventoryBooking'],
    response: {
      cadentCampaign:
        'Interchange writes to no upstream system from a modular source (an `upstream_oms` booking opens an `EXECUTE_UPSTREAM_BOOKING` work item instead).',
      cadentRequestXml: "as `cadentCampaign`, no request to one vendor's ad server is made.",
    },
  },
  {
    ops: ['getModularInventoryCapabilities'],
    response: {
      adapter:
        'hosted requires it and allows only `freewheel`, with no value for "no adapter"; a feed is not FreeWheel, so there is no honest value to send.',
    },
  },
  {
    ops: ['getStorefrontCompliance', 'refreshStorefrontCompliance'],
    response: {
      actionUrl: notCompliance(
        "an MCP Apps host's inline action; our console is not an MCP App (`details`, `actionLabel` and `action: recheck` say what to do).",
      ),
      actionValue: notCompliance('as `actionUrl`.'),
      appliedDefault: notCompliance(
        "only for hosted's `platform_default` checks; compliance is never one.",
      ),
      guidance: notCompliance(
        "each failing step in `compliance[]` carries the storyboard's own expectation and hint instead.",
      ),
    },
  },
  {
    ops: ['listNotifications'],
    query: {
      brandAgentId: "not a filter here: no brand agents (a notification's ids are in its `data`).",
      campaignId: "not a filter here: a notification's ids are in its `data`, ours.",
      creativeId: "not a filter here: a notification's ids are in its `data`, ours.",
    },
  },
  {
    ops: ['updateNotificationDeliveryPreference'],
    response: {
      preference:
        'never answered: no Slack channel can be connected to a self-hosted Interchange, so the PUT answers 409 `DELIVERY_CHANNEL_NOT_CONNECTED`.',
    },
  },
];
