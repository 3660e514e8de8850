import type { AdcpCustomToolConfig } from '@adcp/sdk/server';
import { z } from 'zod';
import { listAccounts } from './list-accounts.js';
import type { CallerAccountList } from './port.js';

/** Arguments reach the handler whole: it reads them with its own schema (as tasks/tools.ts). */
const wholeArguments = z.object({}).loose();

/**
 * list_accounts as a custom tool of @adcp/sdk's server, offered by every storefront: 6.11.0's own
 * answers `next_cursor` where AdCP says `pagination`, and drops 3.1's `notification_configs`.
 */
export function accountToolsOver(
  accounts: CallerAccountList,
): Record<string, AdcpCustomToolConfig<typeof wholeArguments>> {
  return {
    list_accounts: {
      title: 'List accounts',
      description:
        'Your accounts on this storefront (those you registered with sync_accounts, and those its ' +
        'sources list for you), filtered by status or sandbox, a page at a time (pagination.cursor).',
      inputSchema: wholeArguments,
      annotations: { readOnlyHint: true },
      handler: (args: unknown) => listAccounts(accounts, args),
    },
  };
}
