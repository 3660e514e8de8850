import { TestControllerError } from '@adcp/sdk/testing';
import { SEED_MESSAGES } from '@adcp/sdk/server';
import { z } from 'zod';
import type { AccountNotifications } from '../../../modules/account-notifications/index.js';
import { sandboxScope } from '../../../sources/sandbox.js';
import { agentRequest } from '../caller.js';
import type { MerchandisingDeps } from '../deps.js';

/** Where seeded accounts are recorded: the book sync_accounts writes and list_accounts reads. */
export type SeedAccountBook = Pick<AccountNotifications, 'findAccount' | 'saveAccount'>;

const seedAccountParams = z.object({
  account_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/),
  fixture: z
    .object({
      brand: z.object({ domain: z.string().min(1).max(253) }).loose(),
      operator: z.string().min(1).max(253).optional(),
      sandbox: z.literal(true).optional(),
      status: z
        .enum(['active', 'pending_approval', 'rejected', 'payment_required', 'suspended', 'closed'])
        .optional(),
      payment_terms: z.string().max(64).optional(),
    })
    .loose(),
});

/**
 * comply_test_controller `seed_account` (AdCP 3.1, comply-test-controller-request.json): records
 * a sandbox account of the caller on this storefront under the fixture's `account_id`, with its
 * brand, operator, terms and status (held in the caller's sandbox, as force_account_status does),
 * so list_accounts lists it and every tool resolves it as sandbox (accounts/store.ts). An id the
 * caller holds as a live account is FORBIDDEN; `sandbox: false` in the fixture is INVALID_PARAMS
 * (the controller seeds sandbox accounts only). Replays follow the SDK's seeds: an equivalent
 * fixture re-seeds, a divergent one is INVALID_PARAMS.
 */
export async function seedAccount(
  deps: MerchandisingDeps,
  raw: Record<string, unknown>,
  book: SeedAccountBook | undefined,
): Promise<Record<string, unknown>> {
  if (!book) {
    throw new TestControllerError('UNKNOWN_SCENARIO', 'This storefront records no accounts');
  }
  const parsed = seedAccountParams.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['params', ...(issue?.path ?? [])].join('.');
    throw new TestControllerError('INVALID_PARAMS', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  const { account_id: accountId, fixture } = parsed.data;
  const { storefront, principal } = agentRequest();
  const scope = sandboxScope(storefront.id, principal.customerId);
  const key = { storefrontId: storefront.id, buyerCustomerId: principal.customerId, accountId };
  const held = await book.findAccount(key);
  if (held && !held.sandbox) {
    throw new TestControllerError(
      'FORBIDDEN',
      `Account ${accountId} is one of your live accounts: only sandbox accounts are seeded`,
    );
  }
  const seeds = deps.sandbox.seedCache(scope);
  const seedKey = `seed_account:${accountId}`;
  const prior = seeds.has(seedKey) ? seeds.get(seedKey) : undefined;
  if (prior !== undefined && JSON.stringify(prior) !== JSON.stringify(fixture)) {
    throw new TestControllerError(
      'INVALID_PARAMS',
      `Fixture for account ${accountId} diverges from the previously seeded fixture: seed an equivalent one or choose a new id`,
    );
  }
  await book.saveAccount(key, {
    accountId,
    brand: { ...fixture.brand },
    operator: fixture.operator ?? fixture.brand.domain,
    sandbox: true,
    ...(fixture.payment_terms !== undefined && { paymentTerms: fixture.payment_terms }),
  });
  deps.sandbox.forceAccountStatus(scope, accountId, fixture.status ?? 'active');
  seeds.set(seedKey, fixture);
  return {
    success: true,
    message: prior === undefined ? SEED_MESSAGES.fresh : SEED_MESSAGES.replay,
  };
}
