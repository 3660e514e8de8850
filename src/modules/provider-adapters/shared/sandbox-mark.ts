import type { ProviderAdapter } from '../contract.js';

/*
 * A provider the sandbox stands in for (INTERCHANGE_SANDBOX=1 points its URLs at a local fake)
 * sells products marked as the sandbox's Ad Manager products are: "Sandbox · " before the name,
 * and a description that opens by saying nothing is delivered or billed. The mark is made here,
 * on the adapter's answer, so every surface that shows the product (MCP, A2A, REST, console)
 * shows it.
 */

export const sandboxLabel = 'Sandbox';
export const sandboxNote = 'Sandbox: a local fake of the provider, nothing is delivered or billed';

export function sandboxMarked(adapter: ProviderAdapter): ProviderAdapter {
  return {
    ...adapter,
    sandbox: true,
    products: async (ctx, brief) =>
      (await adapter.products(ctx, brief)).map((product) => ({
        ...product,
        name: `${sandboxLabel} · ${product.name}`,
        description: `${sandboxNote}. ${product.description}`,
      })),
  };
}
