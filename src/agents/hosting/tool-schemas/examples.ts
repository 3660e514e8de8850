/**
 * A short, valid request of each tool a language-model agent can start from: published as the
 * A2A card's skill examples (card.ts), in 3.0's form and pinned 3.1's. Every one is checked to
 * validate against the published request schema of both releases
 * (test/agents/tool-schemas.test.ts). Ids are placeholders a caller replaces with its own.
 */
const key = 'buyer-generated-key-0001';
const account = { account_id: 'acct_from_list_accounts' };
const brand = { domain: 'acme-outdoor.example' };

export const requestExamples: Readonly<Record<string, Record<string, unknown>>> = {
  get_adcp_capabilities: {},
  get_products: {
    buying_mode: 'brief',
    brief: 'Video reaching US outdoor enthusiasts, about $50,000',
    brand,
  },
  list_creative_formats: {},
  create_media_buy: {
    idempotency_key: key,
    account,
    brand,
    start_time: 'asap',
    end_time: '2027-06-30T23:59:59Z',
    packages: [
      {
        product_id: 'product_id_from_get_products',
        pricing_option_id: 'pricing_option_id_from_get_products',
        budget: 50000,
      },
    ],
  },
  update_media_buy: { idempotency_key: key, account, media_buy_id: 'mb_from_create', paused: true },
  get_media_buys: { media_buy_ids: ['mb_from_create'] },
  get_media_buy_delivery: { media_buy_ids: ['mb_from_create'] },
  list_creatives: {},
  provide_performance_feedback: {
    idempotency_key: key,
    media_buy_id: 'mb_from_create',
    measurement_period: { start: '2027-06-01T00:00:00Z', end: '2027-06-07T23:59:59Z' },
    performance_index: 1.2,
  },
  list_accounts: {},
  sync_accounts: {
    idempotency_key: key,
    accounts: [{ brand, operator: 'your-agency.example', billing: 'operator' }],
  },
  get_account_financials: { account },
  get_task_status: { task_id: 'task_from_a_submitted_answer', include_result: true },
  list_tasks: {},
  tasks_get: { task_id: 'task_from_a_submitted_answer' },
  comply_test_controller: { scenario: 'list_scenarios', account: { sandbox: true } },
};
