import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSeller, startSeller } from '../fixtures/sellers.js';
import {
  type FakeCreativeVerifier,
  startFakeCreativeVerifier,
} from '../fakes/creative-verifier.js';
import { createCustomer, createHarness, type Harness } from '../harness.js';
import {
  agentClient,
  listen,
  storefrontWith,
  syncSandboxAccount,
} from './storefront-agent-support.js';

/*
 * The truth of a creative's provenance claim (media_buy_seller/provenance_truth_of_claim and
 * provenance_audit_observation): a product the buyer seeded lists a verifier in
 * creative_policy.accepted_verifiers, and a 3.1 buyer's sync_creatives naming it has the
 * storefront ask it get_creative_features (a fake governance agent on a real socket, through the
 * guarded client). A contradiction refuses the creative with PROVENANCE_CLAIM_CONTRADICTED and
 * audit-safe details only; an audit observation is kept and read back through
 * comply_test_controller; a verifier under the spec's reserved sentinel name is the sandbox's
 * simulated one. Through the official MCP client, as a 3.1 buyer and a 3.0 buyer.
 */

let h: Harness;
let base: string;
let seller: RunningSeller;
let verifier: FakeCreativeVerifier;

beforeAll(async () => {
  h = await createHarness();
  base = await listen(h);
  [seller, verifier] = await Promise.all([startSeller('mcp'), startFakeCreativeVerifier()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([seller?.close(), verifier?.close()]);
  await h?.close();
});

const v31 = { adcp_version: '3.1' };
const live = { brand: { domain: 'acmeoutdoor.example' }, operator: 'pinnacle-agency.example' };
const sandbox = { sandbox: true };
const sentinel = 'https://governance.encypher.seller.example';
const format = (id: string) => ({ agent_url: 'https://your-platform.example.com', id });

const policy = (agentUrl: string) => ({
  co_branding: 'optional',
  landing_page: 'any',
  templates_available: false,
  provenance_required: true,
  accepted_verifiers: [{ agent_url: agentUrl, feature_id: 'ai_generated' }],
});

/** A creative in `formatId` whose image is at `imageUrl`, claiming `provenance`. */
function claimed(formatId: string, imageUrl: string, provenance: Record<string, unknown>) {
  const id = `cr_${randomUUID().slice(0, 8)}`;
  return {
    creative_id: id,
    name: `Creative ${id}`,
    format_id: format(formatId),
    assets: { image: { asset_type: 'image', url: imageUrl, width: 300, height: 250 } },
    provenance: { declared_by: { role: 'agency' }, ...provenance },
  };
}
const marker = (agentUrl: string) => ({
  method: 'provenance_markers',
  provider: 'Encypher',
  verify_agent: { agent_url: agentUrl, feature_id: 'ai_generated' },
});

describe('provenance claims checked at the accepted verifiers', () => {
  it(
    'refutes a contradicted claim, keeps an audit observation, and asks nothing for a 3.0 caller',
    { timeout: 120_000 },
    async () => {
      const sf = await storefrontWith(h, [{ sourceId: 'real', url: seller.url }]);
      const buyer = await createCustomer(h, { role: 'BUYER' });
      const other = await createCustomer(h, { role: 'BUYER' });
      const agent = await agentClient(base, sf.platformId, buyer.key);
      const stranger = await agentClient(base, sf.platformId, other.key);
      const sync = async (creatives: unknown[], extra: Record<string, unknown> = v31) => {
        const answer = await agent.call('sync_creatives', {
          ...extra,
          idempotency_key: randomUUID(),
          account: live,
          creatives,
        });
        expect(answer.isError, JSON.stringify(answer)).toBe(false);
        return answer.creatives as Array<Record<string, unknown>>;
      };
      const seed = async (productId: string, formatId: string, agentUrl: string) => {
        const seeded = await agent.call('comply_test_controller', {
          scenario: 'seed_product',
          params: {
            product_id: productId,
            fixture: {
              delivery_type: 'non_guaranteed',
              channels: ['display'],
              format_ids: [{ id: formatId }],
              creative_policy: policy(agentUrl),
            },
          },
          account: sandbox,
        });
        expect(seeded.success, JSON.stringify(seeded)).toBe(true);
      };
      try {
        // Each holds a sandbox account of record, so `{sandbox: true}` names its sandbox.
        await syncSandboxAccount(agent);
        await syncSandboxAccount(stranger);
        await seed('verified-display', 'display_300x250', verifier.url);
        await seed('sentinel-display', 'display_728x90', sentinel);

        const asked = (url: string, dst: string, extra: Record<string, unknown> = {}) =>
          claimed('display_300x250', url, {
            digital_source_type: dst,
            disclosure: { required: false },
            embedded_provenance: [marker(verifier.url)],
            ...extra,
          });
        const contradicted = asked('https://cdn.example/synthetic.jpg', 'digital_capture');
        const consistent = asked('https://cdn.example/photo.jpg', 'digital_capture');
        const carveOut = asked(
          'https://cdn.example/synthetic.jpg',
          'composite_with_trained_algorithmic_media',
          { human_oversight: 'directed' },
        );
        const offList = asked('https://cdn.example/synthetic.jpg', 'digital_capture', {
          embedded_provenance: [marker('https://attacker-controlled.example')],
        });
        const answers = await sync([contradicted, consistent, carveOut, offList]);

        expect(answers[0]).toEqual({
          creative_id: contradicted.creative_id,
          action: 'failed',
          errors: [
            expect.objectContaining({
              code: 'PROVENANCE_CLAIM_CONTRADICTED',
              field: 'creatives[0].provenance.digital_source_type',
              recovery: 'correctable',
              // The audit-safe allowlist only: no detail_url, no verifier ext or details.
              details: {
                agent_url: verifier.url,
                feature_id: 'ai_generated',
                claimed_value: 'digital_capture',
                observed_value: true,
                confidence: 0.97,
              },
            }),
          ],
        });
        expect(answers[1]).toMatchObject({ action: 'created' });
        expect(answers[2]).toMatchObject({ action: 'created' });
        expect(answers[2]!['errors']).toBeUndefined();
        expect(answers[3]).toMatchObject({
          action: 'failed',
          errors: [{ code: 'PROVENANCE_VERIFIER_NOT_ACCEPTED' }],
        });

        // The verifier was asked about the three on-list creatives, with their claims; the
        // off-list URL was never called (it is not even the verifier's).
        const calls = verifier.calls();
        expect(calls).toHaveLength(3);
        const claims = calls.map(
          (c) => (c['creative_manifest'] as Record<string, unknown>)['provenance'],
        );
        expect(claims[2]).toMatchObject({
          human_oversight: 'directed',
          disclosure: { required: false },
        });
        expect(calls.every((c) => JSON.stringify(c['feature_ids']) === '["ai_generated"]')).toBe(
          true,
        );

        // The carve-out's observation, through the controller; none for the consistent one.
        const query = (client: typeof agent, creativeId: string) =>
          client.call('comply_test_controller', {
            scenario: 'query_provenance_audit_observations',
            params: { creative_id: creativeId },
            account: sandbox,
          });
        const observed = await query(agent, carveOut.creative_id);
        expect(observed).toMatchObject({
          success: true,
          creative_id: carveOut.creative_id,
          audit_observations: [
            {
              code: 'OVERSIGHT_DISCLOSURE_CARVEOUT_CLAIMED',
              severity: 'audit-worthy',
              recovery: 'informational',
              details: {
                agent_url: verifier.url,
                claimed_value: { human_oversight: 'directed', disclosure_required: false },
              },
            },
          ],
        });
        expect((await query(agent, consistent.creative_id)).audit_observations).toEqual([]);
        // Another buyer's creative, and one never synced, are not found.
        expect(await query(stranger, carveOut.creative_id)).toMatchObject({
          success: false,
          error: 'NOT_FOUND',
        });
        expect(await query(agent, 'cr_never')).toMatchObject({
          success: false,
          error: 'NOT_FOUND',
        });

        // The spec's sentinel verifier (a reserved name) is the sandbox's simulated one, and
        // only for the product that takes the creative's format (display_728x90).
        const sentinelClaim = (url: string) => ({
          ...claimed('display_728x90', url, {
            digital_source_type: 'digital_capture',
            disclosure: { required: false },
            embedded_provenance: [marker(sentinel)],
          }),
        });
        const [refuted, confirmed] = await sync([
          sentinelClaim('https://test-assets.example/ai-generated-true.jpg'),
          sentinelClaim('https://test-assets.example/ai-generated-false.jpg'),
        ]);
        expect(refuted).toMatchObject({
          action: 'failed',
          errors: [
            {
              code: 'PROVENANCE_CLAIM_CONTRADICTED',
              details: { agent_url: sentinel, observed_value: true, confidence: 0.95 },
            },
          ],
        });
        expect(confirmed).toMatchObject({ action: 'created' });
        expect(verifier.calls()).toHaveLength(3);

        // A 3.0 caller's live creative is taken as before 3.1: no policy, no verifier asked.
        const [as30] = await sync(
          [asked('https://cdn.example/synthetic.jpg', 'digital_capture')],
          {},
        );
        expect(as30).toMatchObject({ action: 'created' });
        expect(verifier.calls()).toHaveLength(3);
      } finally {
        await Promise.all([agent.close(), stranger.close()]);
      }
    },
  );
});
