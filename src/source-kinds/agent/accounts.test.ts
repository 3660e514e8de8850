import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../modules/inventory-sources/index.js';
import { type AgentAccountsDeps, upstreamAccounts } from './accounts.js';

/*
 * The rule over in-memory collaborators: which account a source is asked with, by how the
 * source is called (the storefront's shared credential or the buyer's own) and whether the
 * task is a follow-up on a buy already placed. The storefront tests show it over real sellers.
 */

const buyerId = 7;
const otherBuyerId = 8;

function world(options: {
  domain?: string;
  registered?: string;
  linked?: string[];
  authenticated?: boolean;
}) {
  const bindings = new Map<string, number>();
  const claimed: string[] = [];
  const deps = {
    identity: { customerDomainOf: async () => options.domain ?? null },
    buyerAccess: {
      registeredAccountAt: async () => options.registered,
      authenticatedAt: async () => options.authenticated === true,
    },
    linkedAccounts: {
      isLinked: async (_c: number, _s: number, _src: string, id: string) =>
        (options.linked ?? []).includes(id),
    },
    accountBindings: {
      claim: async (
        key: { agentId: string; brandDomain: string; operatorDomain: string; sandbox?: boolean },
        customerId: number,
      ) => {
        const name = `${key.agentId} ${key.brandDomain} ${key.operatorDomain}${key.sandbox ? ' sandbox' : ''}`;
        claimed.push(name);
        if (!bindings.has(name)) bindings.set(name, customerId);
        return bindings.get(name) === customerId;
      },
    },
  } as unknown as AgentAccountsDeps;
  return { deps, bindings, claimed };
}

const source = (requiresCredentials: boolean) =>
  ({
    storefrontId: 1,
    sourceId: 'src',
    agentId: 'agt_1',
    name: 'Source',
    requiresCredentials,
  }) as unknown as SourceRow;

describe('the account a storefront asks a source with', () => {
  it('never forwards an account id the buyer registered where the source takes the storefront’s credential, nor a linked one its credential there did not prove', async () => {
    const { deps } = world({ domain: 'agency.example', registered: 'seat-42', linked: ['acct-9'] });
    const accountAt = upstreamAccounts(deps, buyerId);
    // The buyer's own pair instead, bound to it.
    const own = { brand: { domain: 'agency.example' }, operator: 'agency.example' };
    expect(await accountAt(source(false), {})).toEqual({ ok: true, account: own });
    expect(await accountAt(source(false), { account: { account_id: 'acct-9' } })).toEqual({
      ok: true,
      account: own,
    });
  });

  it('forwards a linked account id behind the shared credential when the buyer’s own secret listed it', async () => {
    const proven = world({ domain: 'agency.example', linked: ['acct-9'], authenticated: true });
    const accountAt = upstreamAccounts(proven.deps, buyerId);
    expect(await accountAt(source(false), { account: { account_id: 'acct-9' } })).toEqual({
      ok: true,
      account: { account_id: 'acct-9' },
    });
    // An id it did not link is not one it may name.
    expect(await accountAt(source(false), { account: { account_id: 'acct-1' } })).toEqual({
      ok: true,
      account: { brand: { domain: 'agency.example' }, operator: 'agency.example' },
    });
  });

  it('forwards them where the seller sees the buyer’s own credential', async () => {
    const linked = world({ domain: 'agency.example', registered: 'seat-42', linked: ['acct-9'] });
    const accountAt = upstreamAccounts(linked.deps, buyerId);
    expect(await accountAt(source(true), { account: { account_id: 'acct-9' } })).toEqual({
      ok: true,
      account: { account_id: 'acct-9' },
    });
    expect(await accountAt(source(true), {})).toEqual({
      ok: true,
      account: { account_id: 'seat-42' },
    });
  });

  it('records a pair the buyer operates even where its own credential is sent, so the shared-credential path finds it taken', async () => {
    const { deps, bindings } = world({ domain: 'brand.example' });
    const own = { brand: { domain: 'brand.example' }, operator: 'brand.example' };
    expect(await upstreamAccounts(deps, buyerId)(source(true), { account: own })).toEqual({
      ok: true,
      account: own,
    });
    expect(bindings.get('agt_1 brand.example brand.example')).toBe(buyerId);
    const lookalike = await upstreamAccounts(deps, otherBuyerId)(source(false), { account: own });
    expect(lookalike).toMatchObject({ ok: false, error: { code: 'ACCOUNT_NOT_FOUND' } });
  });

  it('asks a follow-up on a buy already placed with the account it was placed under, unchecked', async () => {
    // A buyer without a domain placed this buy as the brand's own operator, before the rule.
    const { deps, claimed } = world({ registered: 'seat-42' });
    const placedUnder = {
      account: { brand: { domain: 'brand.example' }, operator: 'brand.example' },
    };
    const fresh = await upstreamAccounts(deps, buyerId)(source(false), placedUnder);
    expect(fresh).toMatchObject({ ok: false, error: { details: { reason: 'no_domain' } } });
    const followUp = await upstreamAccounts(deps, buyerId, { placed: true })(
      source(false),
      placedUnder,
    );
    expect(followUp).toEqual({ ok: true, account: { account_id: 'seat-42' } });
    const noSeat = world({});
    expect(
      await upstreamAccounts(noSeat.deps, buyerId, { placed: true })(source(false), placedUnder),
    ).toEqual({ ok: true, account: placedUnder.account });
    // A leg that recorded its account is asked with exactly it, whatever the rules compute now.
    const recorded = { brand: { domain: 'brand.example' }, operator: 'agency.example' };
    expect(
      await upstreamAccounts(deps, buyerId, { placed: true })(source(false), {
        ...placedUnder,
        placedAs: recorded,
      }),
    ).toEqual({ ok: true, account: recorded });
    expect([...claimed, ...noSeat.claimed]).toEqual([]);
  });

  it('lets a buyer name any operator for a sandbox account, bound to it, and never so for the live account', async () => {
    // A conformance runner names its own test domain; a sandbox account moves no money.
    const { deps, bindings } = world({ domain: 'pinnacle-agency.example' });
    const sandbox = { brand: { domain: 'test.example' }, operator: 'test.example', sandbox: true };
    expect(await upstreamAccounts(deps, buyerId)(source(false), { account: sandbox })).toEqual({
      ok: true,
      account: sandbox,
    });
    expect(bindings.get('agt_1 test.example test.example sandbox')).toBe(buyerId);
    // Still one buyer's; and the live account of the same pair is not reached through it.
    const other = await upstreamAccounts(deps, otherBuyerId)(source(false), { account: sandbox });
    expect(other).toMatchObject({ ok: false, error: { details: { reason: 'account_not_found' } } });
    const live = { brand: { domain: 'test.example' }, operator: 'test.example' };
    const liveAnswer = await upstreamAccounts(deps, buyerId)(source(false), { account: live });
    expect(liveAnswer).toMatchObject({
      ok: false,
      error: { details: { reason: 'operator_not_yours' } },
    });
    expect(bindings.has('agt_1 test.example test.example')).toBe(false);
  });
});
