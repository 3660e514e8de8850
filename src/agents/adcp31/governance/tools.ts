import type { AdcpCustomToolConfig } from '@adcp/sdk/server';
import { z } from 'zod';
import { syncGovernance, type CallerGovernance } from './sync-governance.js';

/** Arguments reach the handler whole: it reads them with its own schema (as tasks/tools.ts). */
const wholeArguments = z.object({}).loose();

/**
 * sync_governance as a custom tool of @adcp/sdk's server (6.11.0 does not route it to a
 * platform). Offered to every caller: 3.0 shipped the task too, and the answer is the same.
 */
export function governanceToolsOver(
  governance: CallerGovernance,
): Record<string, AdcpCustomToolConfig<typeof wholeArguments>> {
  return {
    sync_governance: {
      title: 'Sync governance',
      description:
        'Registers the governance agent of each of your accounts (one per account, replacing the ' +
        'previous one): this storefront asks its check_governance before a buy moves money.',
      inputSchema: wholeArguments,
      annotations: { idempotentHint: true },
      handler: (args: unknown) => syncGovernance(governance, args),
    },
  };
}
