import type { Services } from '../services.js';

/**
 * Seeds a demo workspace on an empty database so a newcomer can call the API at once.
 * Idempotent: it does nothing when any customer exists. Returns the lines to print, or undefined.
 */
export async function seedDemo(services: Services, baseUrl: string): Promise<string[] | undefined> {
  const { identity } = services;
  const existing = await identity.listCustomers({ limit: 1, offset: 0 });
  if (existing.total > 0) return undefined;

  const seller = await identity.createCustomer({
    name: 'Demo Publisher',
    customerRole: 'SELLER',
    customerDomain: 'demo-publisher.example',
  });
  const buyer = await identity.createCustomer({
    name: 'Demo Agency',
    customerRole: 'BUYER',
    customerDomain: 'demo-agency.example',
  });
  const sellerKey = await identity.createCustomerApiKey(seller.id, 'demo seller key');
  const buyerKey = await identity.createCustomerApiKey(buyer.id, 'demo buyer key');
  for (const key of [sellerKey, buyerKey]) {
    const principal = await identity.authenticate(key.key);
    if (principal?.kind === 'customer') await identity.acceptTerms(principal, undefined);
  }

  return [
    '',
    'Demo workspace created (keys are shown once):',
    `  Seller "${seller.name}" (customer ${seller.id}) key: ${sellerKey.key}`,
    `  Buyer  "${buyer.name}" (customer ${buyer.id}) key: ${buyerKey.key}`,
    `  Try: curl -H "Authorization: Bearer <key>" ${baseUrl}/api/v2/accounts/current`,
  ];
}
