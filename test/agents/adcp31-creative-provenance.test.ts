import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import { agentClient, listen, storefrontWith } from './storefront-agent-support.js';
import { creative } from './storefront-creatives-support.js';

/*
 * Provenance requirements on the products a storefront sells itself (its sandbox's, seeded by
 * the buyer with comply_test_controller, as media_buy_seller/provenance_enforcement seeds them):
 * declared on get_products as seeded, enforced structurally on that buyer's sync_creatives
 * (sandbox account, or a 3.1 caller's live one) for the creatives that can serve on it, creative
 * by creative, with the spec's codes and fields. Through the official MCP client, as a 3.1 buyer
 * and a 3.0 buyer.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  seller = await startSeller('mcp');
}, 120_000);
afterAll(async () => {
  await seller?.close();
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
const live = { brand: { domain: 'test.example' }, operator: 'test.example' };
const verifier = 'https://governance.encypher.seller.example';
const creativePolicy = {
  co_branding: 'optional',
  landing_page: 'any',
  templates_available: false,
  provenance_required: true,
  provenance_requirements: { require_digital_source_type: true, require_disclosure_metadata: true },
  accepted_verifiers: [{ agent_url: verifier, feature_id: 'encypher.markers_present_v2' }],
};
const fixture = {
  delivery_type: 'non_guaranteed',
  channels: ['display'],
  format_ids: [{ id: 'display_300x250' }],
  creative_policy: creativePolicy,
};
const disclosure = { required: true, jurisdictions: [{ country: 'US', regulation: 'ca_sb_942' }] };
const marker = (agentUrl: string) => ({
  method: 'provenance_markers',
  provider: 'Encypher',
  verify_agent: { agent_url: agentUrl, feature_id: 'encypher.markers_present_v2' },
});

async function buyerOn(platformId: string) {
  const buyer = await createCustomer(h, { role: 'BUYER' });
  const agent = await agentClient(base, platformId, buyer.key);
  const sync = async (account: unknown, creatives: Array<Record<string, unknown>>) => {
    const answer = await agent.call('sync_creatives', {
      ...v31,
      idempotency_key: randomUUID(),
      account,
      creatives,
    });
    expect(answer.isError, JSON.stringify(answer)).toBe(false);
    return answer.creatives as Array<Record<string, unknown>>;
  };
  return { agent, sync };
}

describe('provenance on the sandbox products a buyer seeded', () => {
  it(
    'declares the seeded policy and refuses each creative that misses it, with its code and field',
    { timeout: 120_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const { agent, sync } = await buyerOn(sf.platformId);
      const other = await buyerOn(sf.platformId);
      try {
        const seeded = await agent.call('comply_test_controller', {
          scenario: 'seed_product',
          params: { product_id: 'test-product-disclosure-required', fixture },
          account: sandbox,
        });
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
        const shown = await agent.call('get_products', {
          ...v31,
          buying_mode: 'wholesale',
          account: sandbox,
        });
        const product = shown.products.find(
          (p: { product_id: string }) => p.product_id === 'test-product-disclosure-required',
        );
        expect(product.creative_policy).toEqual(creativePolicy);

        const id = () => `cr_${randomUUID().slice(0, 8)}`;
        const provenance = (extra: Record<string, unknown>) => ({
          digital_source_type: 'trained_algorithmic_media',
          disclosure,
          embedded_provenance: [marker(verifier)],
          ...extra,
        });
        const [none, noType, offList, noDisclosure, complete] = [id(), id(), id(), id(), id()];
        const { digital_source_type: _type, ...withoutType } = provenance({});
        const { disclosure: _disclosure, ...withoutDisclosure } = provenance({});
        const answers = await sync(sandbox, [
          creative(none),
          { ...creative(noType), provenance: withoutType },
          {
            ...creative(offList),
            // On-list once, off-list (the same host in another case and path) after.
            provenance: provenance({
              embedded_provenance: [
                marker('HTTPS://Governance.Encypher.Seller.Example:443/'),
                marker('https://attacker-controlled.example'),
              ],
            }),
          },
          { ...creative(noDisclosure), provenance: withoutDisclosure },
          { ...creative(complete), provenance: provenance({}) },
        ]);
        expect(answers.map((a) => a['creative_id'])).toEqual([
          none,
          noType,
          offList,
          noDisclosure,
          complete,
        ]);
        const failure = (code: string, field: string) => ({
          action: 'failed',
          errors: [expect.objectContaining({ code, field })],
        });
        expect(answers[0]).toMatchObject(failure('PROVENANCE_REQUIRED', 'creatives[0].provenance'));
        expect(answers[1]).toMatchObject(
          failure(
            'PROVENANCE_DIGITAL_SOURCE_TYPE_MISSING',
            'creatives[1].provenance.digital_source_type',
          ),
        );
        expect(answers[2]).toMatchObject(
          failure(
            'PROVENANCE_VERIFIER_NOT_ACCEPTED',
            'creatives[2].provenance.embedded_provenance[1].verify_agent.agent_url',
          ),
        );
        expect(answers[3]).toMatchObject(
          failure('PROVENANCE_DISCLOSURE_MISSING', 'creatives[3].provenance.disclosure'),
        );
        expect(answers[4]).toMatchObject({ action: 'created' });

        // Refused creatives are not kept; the complete one is.
        const listed = await agent.call('list_creatives', { ...v31, account: sandbox });
        const kept = (listed.creatives as Array<{ creative_id: string }>).map((c) => c.creative_id);
        expect(kept).toContain(complete);
        for (const refused of [none, noType, offList, noDisclosure]) {
          expect(kept).not.toContain(refused);
        }

        // The policy is the seeded product's, met by the creatives that can serve on it: a 3.1
        // caller's live-account creative in its format (display_300x250 under a reserved name,
        // the sandbox's own) is refused too; one in the seller's own format for its product (as
        // media_buy_state_machine syncs it), or in a format no seeded product takes, is kept.
        expect((await sync(live, [creative(id())]))[0]).toMatchObject(
          failure('PROVENANCE_REQUIRED', 'creatives[0].provenance'),
        );
        const [forSeller, otherFormat] = [id(), id()];
        const kept2 = await sync(live, [
          // The seller's format as its products name it: under its own agent URL.
          { ...creative(forSeller), format_id: { agent_url: seller.url, id: 'display_300x250' } },
          {
            ...creative(otherFormat),
            format_id: { agent_url: 'https://creative.example/mcp', id: 'display_728x90' },
          },
        ]);
        expect(kept2.map((c) => c['action'])).toEqual(['created', 'created']);
        // A creative is for the newest seeded product taking its format: once the buyer seeds
        // another display_300x250 product with no policy (another storyboard's fixture), a
        // creative in that format meets that product's policy, not the earlier one's.
        const reseeded = await agent.call('comply_test_controller', {
          scenario: 'seed_product',
          params: {
            product_id: 'state-machine-display',
            fixture: { ...fixture, creative_policy: undefined },
          },
          account: sandbox,
        });
        expect(reseeded.success, JSON.stringify(reseeded)).toBe(true);
        expect((await sync(live, [creative(id())]))[0]).toMatchObject({ action: 'created' });

        // A 3.0 caller's live creative is taken as before 3.1, and another buyer's sandbox
        // creative meets no policy of this buyer's.
        const as30 = await agent.call('sync_creatives', {
          idempotency_key: randomUUID(),
          account: live,
          creatives: [creative(id())],
        });
        expect(as30.creatives[0], JSON.stringify(as30)).toMatchObject({ action: 'created' });
        expect((await other.sync(sandbox, [creative(id())]))[0]).toMatchObject({
          action: 'created',
        });
      } finally {
        await Promise.all([agent.close(), other.agent.close()]);
      }
    },
  );
});
