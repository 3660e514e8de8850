import { agentBasePath } from '../agents/merchandising/index.js';
import type { CustomerPrincipal } from '../platform/principal.js';
import type { Services } from '../services.js';

/**
 * Seeds a demo workspace on an empty database so a newcomer can call the API at once: a seller
 * whose listed, transacting composition storefront draws on the built-in demo sales agent, and a
 * buyer. Idempotent: it does nothing when any customer exists. Returns the lines to print.
 */
export async function seedDemo(
  services: Services,
  baseUrl: string,
  demoAgentUrl: string,
): Promise<string[] | undefined> {
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
  const sellerPrincipal = await principalOf(services, sellerKey.key);
  await principalOf(services, buyerKey.key);

  await services.storefronts.update(sellerPrincipal, {
    description: 'Display, online video, CTV and streaming audio from the demo publisher network.',
    defaultCurrency: 'USD',
    channels: ['display', 'olv', 'ctv', 'streaming_audio'],
    regions: ['US'],
    // The demo answers AdCP buyers end to end at once; a real storefront starts in manual review.
    mediaBuyApproval: 'auto',
    creativeApproval: 'auto',
    brandColors: { primary: '#1f3a93', accent: '#f5a623' },
    businessProfile: {
      agentPersonality: 'Concise, helpful, and honest about availability and pricing.',
      publisherDomains: ['demo-publisher.example'],
    },
  });
  await services.inventorySources.create(sellerPrincipal, {
    name: 'Demo sales agent',
    sourceId: 'demo-sales-agent',
    executionType: 'AGENT',
    type: 'SALES',
    endpointUrl: demoAgentUrl,
    protocol: 'MCP',
    authenticationType: 'NO_AUTH',
    requiresCredentials: false,
  });
  const lines: string[] = [];
  try {
    await services.inventorySources.update(sellerPrincipal, 'demo-sales-agent', {
      status: 'ACTIVE',
    });
    const storefront = await services.goLive(sellerPrincipal);
    await services.storefronts.setMarketplace(storefront.id, 'list');
    lines.push(
      `  Storefront "${storefront.name}" (${storefront.platformId}) is listed and TRANSACTING`,
      `  Its AdCP sales agent (buyer key as Bearer): ${baseUrl}${agentBasePath(storefront.platformId)}/mcp`,
      `    and over A2A: ${baseUrl}${agentBasePath(storefront.platformId)}/a2a`,
    );
    const link = await services.joinLinks.create(sellerPrincipal, {
      storefrontId: storefront.id,
      approvalPolicy: 'auto_approve',
      slug: 'demo-publisher',
    });
    lines.push(`  Join page (auto-approve): ${baseUrl}${link.joinPath}`);
  } catch (error) {
    lines.push(`  The demo storefront could not go live: ${(error as Error).message}`);
  }

  return [
    '',
    'Demo workspace created (keys are shown once):',
    `  Seller "${seller.name}" (customer ${seller.id}) key: ${sellerKey.key}`,
    `  Buyer  "${buyer.name}" (customer ${buyer.id}) key: ${buyerKey.key}`,
    ...lines,
    `  Demo AdCP sales agent: ${demoAgentUrl}`,
    `  Try: curl -H "Authorization: Bearer <seller key>" ${baseUrl}/api/v2/storefront/readiness`,
  ];
}

async function principalOf(services: Services, key: string): Promise<CustomerPrincipal> {
  const principal = await services.identity.authenticate(key);
  if (principal?.kind !== 'customer') throw new Error('demo key did not authenticate');
  await services.identity.acceptTerms(principal, undefined);
  // Re-read: accepting the terms changes what the key may do.
  const accepted = await services.identity.authenticate(key);
  return accepted as CustomerPrincipal;
}
