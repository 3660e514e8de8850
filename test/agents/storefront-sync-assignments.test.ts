import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../harness.js';
import { agentClient, storefrontWith } from './storefront-agent-support.js';
import {
  account,
  buyBoth,
  callsOf,
  carriedBy,
  creative,
  libraryAndInline,
  newCreativeId,
  sync,
  creativeWorld,
} from './storefront-creatives-support.js';

/*
 * sync_creatives' `assignments` (creative_id → package_id, 3.0.6 and 3.1 alike) take effect at a
 * storefront: each creative goes on its package as an update_media_buy assigning it would, the
 * package carries it on get_media_buys, and every assignment is answered on its creative
 * (`assigned_to`, `assignment_errors`), one bad one never failing the rest. A creative assigned
 * to a package later (sync_creatives assignments, or update_media_buy) meets the creative policy
 * of THAT package's product. Through the official MCP client.
 */

const world = creativeWorld();

const sorted = (lists: string[][]) => lists.map((l) => [...l].sort());

describe('sync_creatives assignments', () => {
  it('put each creative on its package as update_media_buy would, answering each assignment', async () => {
    const { h, base, library, inline } = world;
    const { sf, agent } = await libraryAndInline(h, base, { library, inline });
    const stranger = await createCustomer(h, { role: 'BUYER' });
    const otherAgent = await agentClient(base, sf.platformId, stranger.key);
    const [a, b, c, unknown] = [newCreativeId(), newCreativeId(), newCreativeId(), newCreativeId()];
    try {
      await sync(agent, [creative(a), creative(c)]);
      const created = await buyBoth(agent, [a]);
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const [libPkg, inlPkg] = (created.packages as Array<{ package_id: string }>).map(
        (p) => p.package_id,
      ) as [string, string];
      await sync(otherAgent, [creative(a)]);
      const theirs = await buyBoth(otherAgent, [a]);
      expect(theirs.isError, JSON.stringify(theirs)).toBe(false);
      const theirPkg = theirs.packages[0].package_id as string;
      const before = [library, inline].map((s) => s.toolCalls().length);

      // A 3.0 buyer (no adcp_version): a new creative on both packages, a library creative on
      // one, and assignments to a package that does not exist, another buyer's, and of an
      // unknown creative.
      const answer = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [creative(b)],
        assignments: [
          { creative_id: b, package_id: libPkg },
          { creative_id: b, package_id: inlPkg, weight: 50 },
          { creative_id: b, package_id: 'lib__no_such_package' },
          { creative_id: b, package_id: theirPkg },
          { creative_id: c, package_id: libPkg },
          { creative_id: unknown, package_id: libPkg },
        ],
      });
      expect(answer.isError, JSON.stringify(answer)).toBe(false);
      const notFound = (id: string) => `PACKAGE_NOT_FOUND: Package ${id} not found`;
      expect(answer.creatives).toEqual([
        {
          creative_id: b,
          action: 'created',
          status: 'approved',
          assigned_to: [libPkg, inlPkg],
          // Another buyer's package is answered as one that does not exist.
          assignment_errors: {
            lib__no_such_package: notFound('lib__no_such_package'),
            [theirPkg]: notFound(theirPkg),
          },
        },
        { creative_id: c, action: 'unchanged', assigned_to: [libPkg] },
        {
          creative_id: unknown,
          action: 'failed',
          errors: [expect.objectContaining({ code: 'CREATIVE_NOT_FOUND' })],
          assigned_to: [],
          assignment_errors: { [libPkg]: `CREATIVE_NOT_FOUND: Creative ${unknown} not found` },
        },
      ]);
      // The packages carry them, as their sources report (one update per source: the library
      // source by id, the inline one with the manifest).
      expect(sorted(await carriedBy(agent, created.media_buy_id))).toEqual(
        sorted([
          [a, b, c],
          [a, b],
        ]),
      );
      const [toLibrary] = callsOf(library, 'update_media_buy', before[0]);
      const [toInline] = callsOf(inline, 'update_media_buy', before[1]);
      expect(callsOf(library, 'update_media_buy', before[0])).toHaveLength(1);
      expect(toLibrary?.args['packages']).toEqual([
        expect.objectContaining({
          creative_assignments: [{ creative_id: a }, { creative_id: b }, { creative_id: c }],
        }),
      ]);
      expect(toInline?.args['packages']).toEqual([
        expect.objectContaining({
          creative_assignments: [{ creative_id: a }, { creative_id: b, weight: 50 }],
          // Its manifests inline, as on every update to a source without a library, each with
          // its assignment's weight.
          creatives: [creative(a), { ...creative(b), weight: 50 }],
        }),
      ]);
      // The other buyer's buy is as it was.
      expect(sorted(await carriedBy(otherAgent, theirs.media_buy_id))).toEqual([[a], [a]]);

      // Under another account of the same buyer, the buy's packages are not found either, and
      // an assignment already in place is answered without asking any source again.
      const elsewhere = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account: { account_id: 'another_account' },
        creatives: [creative(c)],
        assignments: [{ creative_id: c, package_id: inlPkg }],
      });
      expect(elsewhere.creatives[0]).toMatchObject({
        creative_id: c,
        assigned_to: [],
        assignment_errors: { [inlPkg]: notFound(inlPkg) },
      });
      const again = await agent.call('sync_creatives', {
        idempotency_key: randomUUID(),
        account,
        creatives: [creative(c)],
        assignments: [{ creative_id: c, package_id: libPkg }],
      });
      expect(again.creatives[0]).toEqual({
        creative_id: c,
        action: 'updated',
        status: 'approved',
        assigned_to: [libPkg],
      });
      expect(callsOf(library, 'update_media_buy', before[0])).toHaveLength(1);
    } finally {
      await Promise.all([agent.close(), otherAgent.close()]);
    }
  }, 120_000);

  it('refuse an assignment its package’s product policy refuses, and update_media_buy likewise', async () => {
    const { h, base, library } = world;
    const sf = await storefrontWith(h, [{ sourceId: 'real', url: library.url }]);
    const customer = await createCustomer(h, { role: 'BUYER' });
    const agent = await agentClient(base, sf.platformId, customer.key);
    const pin = { adcp_version: '3.1' };
    const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
    const control = async (scenario: string, params: Record<string, unknown>) => {
      const answer = await agent.call('comply_test_controller', {
        scenario,
        params,
        account: sandbox,
      });
      expect(answer.success, JSON.stringify(answer)).toBe(true);
    };
    const display = {
      delivery_type: 'non_guaranteed',
      channels: ['display'],
      format_ids: [{ id: 'display_300x250' }],
    };
    const policy = {
      co_branding: 'optional',
      landing_page: 'any',
      templates_available: false,
      provenance_required: true,
      provenance_requirements: { require_digital_source_type: true },
    };
    try {
      // The strict product first, then an open one taking the same format: a creative entering
      // the library meets the newest's policy (none), a package of the strict one its own.
      for (const [id, fixture] of [
        ['strict_display', { ...display, creative_policy: policy }],
        ['open_display', display],
      ] as const) {
        await control('seed_product', { product_id: id, fixture });
        await control('seed_pricing_option', {
          product_id: id,
          pricing_option_id: 'auction_cpm',
          fixture: { pricing_model: 'cpm', currency: 'USD', floor_price: 2 },
        });
      }
      const created = await agent.call('create_media_buy', {
        ...pin,
        idempotency_key: randomUUID(),
        account: sandbox,
        brand: { domain: 'test.example' },
        start_time: 'asap',
        end_time: '2099-06-30T23:59:59Z',
        packages: ['strict_display', 'open_display'].map((product_id) => ({
          product_id,
          pricing_option_id: 'auction_cpm',
          budget: 5000,
        })),
      });
      expect(created.isError, JSON.stringify(created)).toBe(false);
      const [strict, open] = (created.packages as Array<{ package_id: string }>).map(
        (p) => p.package_id,
      ) as [string, string];
      const [bare, declared] = [newCreativeId(), newCreativeId()];
      const synced = await agent.call('sync_creatives', {
        ...pin,
        idempotency_key: randomUUID(),
        account: sandbox,
        creatives: [creative(bare)],
        assignments: [
          { creative_id: bare, package_id: strict },
          { creative_id: bare, package_id: open },
        ],
      });
      expect(synced.isError, JSON.stringify(synced)).toBe(false);
      expect(synced.creatives).toEqual([
        {
          creative_id: bare,
          action: 'created',
          status: 'approved',
          assigned_to: [open],
          assignment_errors: { [strict]: expect.stringMatching(/^PROVENANCE_REQUIRED: /) },
        },
      ]);

      // update_media_buy putting it on the strict package is refused at the assignment, for a
      // 3.1 caller and (sandbox account) a 3.0 one, and nothing changes.
      for (const asked of [pin, {}]) {
        const refused = await agent.call('update_media_buy', {
          ...asked,
          media_buy_id: created.media_buy_id,
          account: sandbox,
          idempotency_key: randomUUID(),
          packages: [{ package_id: strict, creative_assignments: [{ creative_id: bare }] }],
        });
        expect(refused.isError, JSON.stringify(refused)).toBe(true);
        expect(refused.adcp_error).toMatchObject({
          code: 'PROVENANCE_REQUIRED',
          field: 'packages[0].creative_assignments[0].creative_id',
        });
      }
      const carried = async () => {
        const read = await agent.call('get_media_buys', {
          ...pin,
          account: sandbox,
          media_buy_ids: [created.media_buy_id],
        });
        return Object.fromEntries(
          (read.media_buys[0].packages as Array<Record<string, unknown>>).map((p) => [
            p['package_id'],
            ((p['creative_approvals'] ?? []) as Array<{ creative_id: string }>).map(
              (x) => x.creative_id,
            ),
          ]),
        );
      };
      expect(await carried()).toEqual({ [strict]: [], [open]: [bare] });

      // Named at create time it is refused too: the whole buy, for a 3.1 caller and (sandbox
      // account) a 3.0 one, at the assignment's field; no buy is placed at the source.
      const buysAtSource = callsOf(library, 'create_media_buy').length;
      for (const asked of [pin, {}]) {
        const named = await agent.call('create_media_buy', {
          ...asked,
          idempotency_key: randomUUID(),
          account: sandbox,
          brand: { domain: 'test.example' },
          start_time: 'asap',
          end_time: '2099-06-30T23:59:59Z',
          packages: ['open_display', 'strict_display'].map((product_id) => ({
            product_id,
            pricing_option_id: 'auction_cpm',
            budget: 5000,
            creative_assignments: [{ creative_id: bare }],
          })),
        });
        expect(named.isError, JSON.stringify(named)).toBe(true);
        expect(named.adcp_error).toMatchObject({
          code: 'PROVENANCE_REQUIRED',
          field: 'packages[1].creative_assignments[0].creative_id',
          message: expect.stringContaining(`Creative ${bare} does not meet the creative policy`),
        });
      }
      expect(callsOf(library, 'create_media_buy')).toHaveLength(buysAtSource);
      const listed = await agent.call('get_media_buys', { ...pin, account: sandbox });
      expect(listed.media_buys.map((b: { media_buy_id: string }) => b.media_buy_id)).toEqual([
        created.media_buy_id,
      ]);

      // A creative declaring its provenance meets the strict product's policy, by either path.
      const provenance = { digital_source_type: 'digital_capture' };
      const meets = await agent.call('sync_creatives', {
        ...pin,
        idempotency_key: randomUUID(),
        account: sandbox,
        creatives: [{ ...creative(declared), provenance }],
        assignments: [{ creative_id: declared, package_id: strict }],
      });
      expect(meets.creatives[0]).toMatchObject({ action: 'created', assigned_to: [strict] });
      expect(meets.creatives[0].assignment_errors).toBeUndefined();
      expect(await carried()).toEqual({ [strict]: [declared], [open]: [bare] });
    } finally {
      await agent.close();
    }
  }, 120_000);
});
