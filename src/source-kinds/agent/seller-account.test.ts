import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import type { ToolCallResult } from '../../upstream/index.js';
import { type AskSeller, findsAdvertisersByBrand, sellerAccountRefusal } from './seller-account.js';

/*
 * Two agencies naming one brand at a seller that finds advertisers by brand, behind the
 * storefront's shared credential, over in-memory bindings and a seller answering sync_accounts
 * as told. storefront-social.test.ts shows the refusal over @adcp/sdk's social seller, which
 * answers one advertiser per brand whatever the operator.
 */

const [agencyA, agencyB] = [7, 8];
const brand = { domain: 'acme.example' };

function bindings() {
  const owners = new Map<string, number>();
  const answers = new Map<string, Promise<string>>();
  return {
    owners,
    claimSellerAccount: async (
      key: { agentId: string; sellerAccount: string; sandbox?: boolean },
      customerId: number,
    ) => {
      const name = `${key.agentId} ${key.sellerAccount}${key.sandbox ? ' sandbox' : ''}`;
      if (!owners.has(name)) owners.set(name, customerId);
      return owners.get(name) === customerId;
    },
    sellerAccountOf: (pairKey: string, load: () => Promise<string>) => {
      const known = answers.get(pairKey);
      if (known) return known;
      const answer = load();
      answers.set(pairKey, answer);
      answer.catch(() => answers.delete(pairKey));
      return answer;
    },
  };
}

const social = (tools = ['sync_audiences', 'sync_accounts']) =>
  ({
    storefrontId: 1,
    sourceId: 'social',
    agentId: 'agt_social',
    name: 'Social',
    requiresCredentials: false,
    capabilities: { specialisms: [], tools },
  }) as unknown as SourceRow;

/** A seller answering sync_accounts with `idOf(operator)`; records what it was asked. */
function seller(idOf: (operator: string) => string | undefined) {
  const asked: Array<{ tool: string; args: Record<string, unknown> }> = [];
  const ask: AskSeller = async (tool, args) => {
    asked.push({ tool, args });
    const [row] = args['accounts'] as Array<{ operator: string }>;
    const id = idOf(row!.operator);
    return {
      ok: true,
      latencyMs: 1,
      status: 'completed',
      data: { accounts: [{ ...row, ...(id && { account_id: id }), action: 'unchanged' }] },
    } satisfies ToolCallResult<unknown>;
  };
  return { ask, asked };
}

const pair = (operator: string) => ({ brand, operator });

describe('an advertiser on a seller that finds advertisers by brand', () => {
  it('keeps both agencies going where the seller answers each operator an account of its own', async () => {
    const b = bindings();
    const { ask, asked } = seller((operator) => `adv_${operator}`);
    const source = social();
    expect(await sellerAccountRefusal(b, source, pair('a.example'), agencyA, ask)).toBeNull();
    expect(await sellerAccountRefusal(b, source, pair('b.example'), agencyB, ask)).toBeNull();
    expect([...b.owners.entries()]).toEqual([
      ['agt_social account adv_a.example', agencyA],
      ['agt_social account adv_b.example', agencyB],
    ]);
    // The seller was asked as AdCP says: a registration billed to the storefront (the agent).
    expect(asked[0]).toMatchObject({
      tool: 'sync_accounts',
      args: {
        idempotency_key: expect.stringMatching(/^acct-[0-9a-f]{40}$/),
        accounts: [{ brand, operator: 'a.example', billing: 'agent' }],
      },
    });
    // Asked once per pair, not on every call.
    expect(await sellerAccountRefusal(b, source, pair('a.example'), agencyA, ask)).toBeNull();
    expect(asked).toHaveLength(2);
  });

  it('registers billed to the operator where the seller leaves agent billing out of supported_billing', async () => {
    const { ask, asked } = seller((operator) => `adv_${operator}`);
    const operatorOnly = {
      ...social(),
      capabilities: { specialisms: [], tools: ['sync_accounts'], billing: ['operator'] },
    } as unknown as SourceRow;
    expect(
      await sellerAccountRefusal(bindings(), operatorOnly, pair('a.example'), agencyA, ask),
    ).toBeNull();
    expect(asked[0]?.args['accounts']).toEqual([
      { brand, operator: 'a.example', billing: 'operator' },
    ]);
  });

  it('refuses the second agency where the seller answers both with one advertiser, naming own credentials', async () => {
    const b = bindings();
    const { ask } = seller(() => 'adv_acme_us');
    const source = social();
    expect(await sellerAccountRefusal(b, source, pair('a.example'), agencyA, ask)).toBeNull();
    const refused = await sellerAccountRefusal(b, source, pair('b.example'), agencyB, ask);
    expect(refused?.error).toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
      details: { reason: 'brand_not_separable' },
      message: expect.stringMatching(/bring your own credentials/),
    });
    // The first keeps it; a sandbox account is another advertiser than the live one.
    expect(await sellerAccountRefusal(b, source, pair('a.example'), agencyA, ask)).toBeNull();
    expect(
      await sellerAccountRefusal(b, source, { ...pair('b.example'), sandbox: true }, agencyB, ask),
    ).toBeNull();
  });

  it('takes the brand as the advertiser where the seller names none or has no sync_accounts', async () => {
    for (const [source, ask] of [
      [social(['sync_audiences']), seller(() => 'never asked').ask],
      [social(), seller(() => undefined).ask],
      [
        social(),
        (async () => ({
          ok: false,
          latencyMs: 1,
          error: { code: 'tool_error', message: 'UNSUPPORTED_FEATURE' },
        })) satisfies AskSeller,
      ],
    ] as const) {
      const b = bindings();
      expect(await sellerAccountRefusal(b, source, pair('a.example'), agencyA, ask)).toBeNull();
      expect(
        (await sellerAccountRefusal(b, source, pair('b.example'), agencyB, ask))?.error.details,
      ).toMatchObject({ reason: 'brand_not_separable' });
      expect([...b.owners.keys()]).toEqual(['agt_social brand acme.example']);
    }
  });

  it('binds nothing when the seller could not be asked, and asks again next time', async () => {
    const b = bindings();
    let reachable = false;
    const ask: AskSeller = async (tool, args) =>
      reachable
        ? seller(() => 'adv_a').ask(tool, args)
        : { ok: false, latencyMs: 1, error: { code: 'timeout', message: 'timed out' } };
    const unsettled = await sellerAccountRefusal(b, social(), pair('a.example'), agencyA, ask);
    expect(unsettled?.error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { reason: 'account_unsettled' },
    });
    expect(b.owners.size).toBe(0);
    reachable = true;
    expect(await sellerAccountRefusal(b, social(), pair('a.example'), agencyA, ask)).toBeNull();
  });

  it('is a seller finding advertisers by brand by its specialism or the social tools it offers', () => {
    expect(findsAdvertisersByBrand(social(['log_event']))).toBe(true);
    expect(findsAdvertisersByBrand(social(['get_products', 'create_media_buy']))).toBe(false);
    const declared = {
      ...social(['get_products']),
      capabilities: { specialisms: ['sales-social'], tools: ['get_products'] },
    } as unknown as SourceRow;
    expect(findsAdvertisersByBrand(declared)).toBe(true);
  });
});
