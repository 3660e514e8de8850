import { describe, expect, it } from 'vitest';
import {
  controllerBuyer,
  storefrontOverSeller,
  storyboardSandbox,
} from './storefront-agent-support.js';

/**
 * comply_test_controller's AdCP 3.1 seeds and directives on a storefront, over MCP with the
 * official client, as the 3.1.19 storyboards send them: seed_creative_format
 * (pagination_integrity_creative_formats) and force_get_products_arm (get_products_async), each
 * on the caller's own sandbox only.
 */
const at = storefrontOverSeller();

const acme = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };

const buyer = () => controllerBuyer(at);

describe('seed_creative_format', () => {
  it("pages the caller's seeded formats in list_creative_formats, to that buyer only", async () => {
    const { agent, control } = await buyer();
    const other = await buyer();
    try {
      // As the 6.11 runner sends the storyboard's seeds: under the caller's sandbox account (its
      // controller enricher replaces the YAML's account_id, which names no record here).
      const account = storyboardSandbox;
      for (const n of [1, 2]) {
        const seeded = await control(
          'seed_creative_format',
          {
            format_id: `pagination_integrity_format_${n}`,
            fixture: {
              name: `Pagination Integrity Format ${n === 1 ? 'A' : 'B'}`,
              type: 'display',
            },
          },
          account,
        );
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      }
      // An account id with no sandbox record is live, whatever the request asserts.
      for (const live of [
        { account_id: 'acct_pagination_integrity_formats' },
        { sandbox: true, account_id: 'acct_pagination_integrity_formats' },
      ]) {
        const refused = await control(
          'seed_creative_format',
          { format_id: 'x', fixture: { name: 'Pagination Integrity Format X' } },
          live,
        );
        expect(refused).toMatchObject({ success: false, error: 'FORBIDDEN' });
      }
      const scenarios = await control('list_scenarios', {});
      expect(scenarios.scenarios).toContain('seed_creative_format');

      const ask = {
        account: { account_id: 'acct_pagination_integrity_formats' },
        name_search: 'pagination integrity format',
      };
      const first = await agent.call('list_creative_formats', {
        ...ask,
        pagination: { max_results: 1 },
      });
      expect(first.isError, JSON.stringify(first)).toBe(false);
      expect(first.formats).toHaveLength(1);
      expect(first.formats[0].name).toBe('Pagination Integrity Format A');
      expect(first.pagination).toMatchObject({ has_more: true, total_count: 2 });
      expect(typeof first.pagination.cursor).toBe('string');
      const last = await agent.call('list_creative_formats', {
        ...ask,
        pagination: { max_results: 1, cursor: first.pagination.cursor },
      });
      expect(last.formats.map((f: { name: string }) => f.name)).toEqual([
        'Pagination Integrity Format B',
      ]);
      expect(last.pagination.has_more).toBe(false);
      expect(last.pagination.cursor).toBeUndefined();

      // The seller's own formats are still there, and the name filter narrows them too.
      const all = await agent.call('list_creative_formats', {});
      expect(all.formats.length).toBeGreaterThan(2);
      const theirs = await other.agent.call('list_creative_formats', ask);
      expect(theirs.formats).toEqual([]);
    } finally {
      await agent.close();
      await other.agent.close();
    }
  }, 90_000);
});

describe('force_get_products_arm', () => {
  it("answers the caller's next sandbox get_products with the forced submitted task", async () => {
    const { agent, control } = await buyer();
    const other = await buyer();
    try {
      const sandbox = { ...acme, sandbox: true };
      const refused = await control('force_get_products_arm', { arm: 'input-required' }, sandbox);
      expect(refused).toMatchObject({ success: false, error: 'INVALID_PARAMS' });
      const forced = await control(
        'force_get_products_arm',
        { arm: 'submitted', task_id: 'task_async_products_acme_q3', message: 'Curation queued' },
        sandbox,
      );
      expect(forced).toMatchObject({
        success: true,
        forced: { arm: 'submitted', task_id: 'task_async_products_acme_q3' },
      });
      const liveForce = await control(
        'force_get_products_arm',
        { arm: 'submitted', task_id: 't' },
        acme,
      );
      expect(liveForce).toMatchObject({ success: false, error: 'FORBIDDEN' });

      const ask = { buying_mode: 'brief', brief: 'Outdoor display' };
      // Another buyer's and this buyer's live discovery never meet the directive, nor does this
      // buyer's wholesale feed request (feed access, AdCP 3.1 get_products_async).
      const feed = await agent.call('get_products', { buying_mode: 'wholesale', account: sandbox });
      expect(feed.status).not.toBe('submitted');
      const theirs = await other.agent.call('get_products', { ...ask, account: sandbox });
      expect(theirs.status).not.toBe('submitted');
      const live = await agent.call('get_products', { ...ask, account: acme });
      expect(live.status).not.toBe('submitted');
      expect(Array.isArray(live.products)).toBe(true);

      const submitted = await agent.call('get_products', {
        ...ask,
        account: sandbox,
        context: { correlation_id: 'async' },
      });
      expect(submitted).toMatchObject({
        status: 'submitted',
        task_id: 'task_async_products_acme_q3',
        message: 'Curation queued',
        context: { correlation_id: 'async' },
      });
      expect(submitted.products).toBeUndefined();
      const next = await agent.call('get_products', { ...ask, account: sandbox });
      expect(next.status).not.toBe('submitted');
      expect(Array.isArray(next.products)).toBe(true);
    } finally {
      await agent.close();
      await other.agent.close();
    }
  }, 90_000);
});
