import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AdcpError } from '../schemas/envelope.js';
import { answer, readRequest } from '../tasks/request.js';
import { billingRefusal } from './billing.js';
import { echoOf, readConfigs, urlError } from './configs.js';
import type { AccountRecord, CallerAccounts } from './port.js';
import {
  type NotificationConfig31,
  type SyncAccountsEntry,
  syncAccountsRequest,
} from './schemas.js';
import { validationError } from '../errors.js';

type Row = Record<string, unknown>;

const failed = (entry: SyncAccountsEntry, error: AdcpError, accountId?: string): Row => ({
  ...(accountId !== undefined && { account_id: accountId }),
  brand: entry.brand ?? { domain: 'unknown' },
  operator: entry.operator ?? entry.brand?.domain ?? 'unknown',
  action: 'failed',
  status: 'rejected',
  errors: [error],
});

/** The same subscriber, url, events and auth as one already active: its proof still holds. */
const proven = (prior: AccountRecord | undefined, config: NotificationConfig31) =>
  prior?.notification_configs.some(
    (p) =>
      p.active &&
      p.subscriber_id === config.subscriber_id &&
      p.url === config.url &&
      JSON.stringify(p.event_types) === JSON.stringify(config.event_types) &&
      JSON.stringify(p.authentication ?? null) === JSON.stringify(config.authentication ?? null),
  ) === true;

/**
 * AdCP 3.1 sync_accounts on a storefront (account/sync-accounts-request.json), for 3.1 callers:
 * provisioning mode records the caller's account (its id derived as before 3.1), settings-update
 * mode (`account`) changes one it recorded; `notification_configs` replaces the account's
 * subscribers. A `billing` the agent does not support fails the entry (billing.ts). A config is refused (the entry `failed`/`rejected`, the prior set unchanged)
 * for the spec's reasons: a media-buy-anchored event type, a subscriber_id twice, a URL delivery
 * would refuse, an active one whose receiver does not answer the challenge. Paused ones skip the
 * challenge only. Echoes the applied state without credentials.
 */
export async function syncAccounts31(
  accounts: CallerAccounts,
  args: unknown,
): Promise<CallToolResult> {
  const read = readRequest(syncAccountsRequest, args);
  if (!read.ok) return read.answer;
  const { request } = read;
  const rows: Row[] = [];
  for (const entry of request.accounts)
    rows.push(await syncOne(accounts, entry, request.dry_run === true));
  return answer(
    { accounts: rows, ...(request.dry_run === true && { dry_run: true }) },
    request.context,
  );
}

async function syncOne(
  accounts: CallerAccounts,
  entry: SyncAccountsEntry,
  dryRun: boolean,
): Promise<Row> {
  const provisioning = entry.brand !== undefined || entry.operator !== undefined;
  if (entry.account !== undefined && provisioning) {
    return failed(
      entry,
      validationError('account', 'Use either account or brand + operator, not both'),
    );
  }
  if (entry.account === undefined && (!entry.brand || !entry.operator)) {
    return failed(entry, validationError('brand', 'Provisioning needs brand and operator'));
  }
  const billing = billingRefusal(entry.billing, accounts.supportedBilling);
  if (billing) return failed(entry, billing);
  const provisioned = entry.account
    ? undefined
    : { brand: entry.brand!, operator: entry.operator!, sandbox: entry.sandbox === true };
  const accountId = provisioned ? accounts.idOf(provisioned) : undefined;
  const prior = await accounts.find(entry.account ?? { account_id: accountId! });
  if (entry.account && !prior) {
    const error: AdcpError = {
      code: 'ACCOUNT_NOT_FOUND',
      message:
        'No account of yours on this storefront has that reference: provision it with brand and operator first',
      field: 'account',
      recovery: 'correctable',
    };
    return failed(entry, error);
  }
  let configs: NotificationConfig31[] | undefined;
  if (entry.notification_configs !== undefined) {
    const read = readConfigs(entry.notification_configs);
    if (!read.ok) return failed(entry, read.error, accountId ?? prior?.account_id);
    configs = read.configs;
    for (const [j, config] of configs.entries()) {
      const refusal =
        (await accounts.checkUrl(config.url)) ??
        (config.active && !dryRun && !proven(prior, config)
          ? await accounts.prove(accountId ?? prior!.account_id, config)
          : undefined);
      if (refusal) return failed(entry, urlError(j, refusal), accountId ?? prior?.account_id);
    }
  }
  const id = accountId ?? prior!.account_id;
  let created = false;
  if (!dryRun) {
    if (provisioned) {
      created = await accounts.provision({
        ...provisioned,
        ...(entry.payment_terms !== undefined && { payment_terms: entry.payment_terms }),
      });
    } else if (entry.payment_terms !== undefined) {
      await accounts.setPaymentTerms(id, entry.payment_terms);
    }
    if (configs) await accounts.replaceConfigs(id, configs);
  }
  const applied = configs ?? prior?.notification_configs ?? [];
  const unfired = [...new Set(applied.flatMap((c) => c.event_types))].filter(
    (t) => !accounts.emits.has(t),
  );
  return {
    account_id: id,
    brand: provisioned?.brand ?? prior!.brand,
    operator: provisioned?.operator ?? prior!.operator,
    name: `${String((provisioned?.brand ?? prior!.brand)['domain'])} via storefront`,
    action: created ? 'created' : 'updated',
    status: 'active',
    ...(entry.billing !== undefined && { billing: entry.billing }),
    ...((entry.payment_terms ?? prior?.payment_terms) !== undefined && {
      payment_terms: entry.payment_terms ?? prior?.payment_terms,
    }),
    ...((provisioned?.sandbox ?? prior?.sandbox) === true && { sandbox: true }),
    notification_configs: applied.map(echoOf),
    ...(unfired.length > 0 && {
      warnings: [`This storefront does not emit ${unfired.join(', ')}: kept, never fired`],
    }),
  };
}
