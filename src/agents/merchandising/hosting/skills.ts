/** The storefront agent's skills as its A2A card describes them. */
export const storefrontSkills: Readonly<Record<string, string>> = {
  get_adcp_capabilities:
    'What this storefront sells: protocols, specialisms, channels, countries, publisher domains, pricing models, account and sandbox support.',
  get_products:
    "Products matching a brief (or a wholesale listing), gathered from the storefront's inventory sources and shaped by the publisher's rules.",
  list_creative_formats: 'The creative formats the storefront and its sources accept.',
  create_media_buy:
    'Books a media buy on one or more products; the storefront routes each package to the source that sells it (may await the publisher’s approval).',
  update_media_buy: 'Changes a media buy: budget, flight, pause or resume, packages, or cancel it.',
  get_media_buys: 'The buyer’s media buys on this storefront, with their packages and status.',
  get_media_buy_delivery:
    'Delivery and spend of the buyer’s media buys, as the sources report them.',
  sync_creatives: 'Uploads or updates creatives and assigns them to packages.',
  list_creatives: 'The buyer’s creatives on this storefront, with their review status.',
  provide_performance_feedback: 'Performance feedback on a media buy, passed to its sources.',
  list_accounts: 'The buyer’s accounts on this storefront.',
  sync_audiences:
    'Sends the buyer’s audiences (hashed identifiers) to the sources that take them (sales-social).',
  sync_catalogs: 'Sends the buyer’s product catalogs to the sources that take them (sales-social).',
  sync_event_sources:
    'Registers the buyer’s conversion event sources at the sources that take them (sales-social).',
  log_event: 'Sends conversion events to the sources holding the event source (sales-social).',
  preview_creative:
    'Renders a creative manifest as HTML; a catalog-driven template is bound to the items of a catalog the buyer synced here (sales-social).',
  get_account_financials: 'Spend and billing of the buyer’s account at the storefront’s sources.',
  sync_accounts: 'Registers the buyer’s accounts (brand and operator) on this storefront.',
  comply_test_controller:
    'Sandbox accounts only: seed products and pricing options, force the submitted arm, simulate delivery.',
  tasks_get: 'The state of an asynchronous task (such as a media buy awaiting approval).',
  get_task_status:
    'AdCP 3.1: the state of one of your asynchronous tasks, with its result once completed (include_result).',
  list_tasks:
    'AdCP 3.1: your asynchronous tasks on this storefront, filtered by status, type or date, a page at a time.',
};
