import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AdcpError } from '../schemas/envelope.js';
import { answer, readRequest } from '../tasks/request.js';
import { billingRefusal } from './billing.js';
import { echoOf, readConfigs, urlError } from './configs.js';
import { type ChallengeBudget, challengeBudget } from './challenge-budget.js';
import type { AccountRecord, CallerAccounts } from './port.js';
import {
  type HeldConfig,
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

/** The same subscriber, url, events and auth. */
const sameTuple = (p: NotificationConfig31, config: NotificationConfig31) =>
  p.subscriber_id === config.subscriber_id &&
  p.url === config.url &&
  JSON.stringify(p.event_types) === JSON.stringify(config.event_types) &&
  JSON.stringify(p.authentication ?? null) === JSON.stringify(config.authentication ?? null);

/** Its proof still holds (one already active), or is already on its way (one held pending). */
const standing = (prior: AccountRecord | undefined, config: NotificationConfig31) =>
  prior?.notification_configs.find(
    (p) => sameTuple(p, config) && ((p.active && !p.held) || p.held?.proof === 'pending'),
  );

/**
 * AdCP 3.1 sync_accounts on a storefront (account/sync-accounts-request.json), for 3.1 callers:
 * provisioning mode records the caller's account (its id derived as before 3.1), settings-update
 * mode (`account`) changes one it recorded; `notification_configs` replaces the account's
 * subscribers. A `billing` the agent does not support fails the entry (billing.ts). A config is refused (the entry `failed`/`rejected`, the prior set unchanged)
 * for the spec's reasons: a media-buy-anchored event type, a subscriber_id twice, a URL delivery
 * would refuse, an active one whose receiver does not answer the challenge. Paused ones skip the
 * challenge only. The challenges one call sends are bounded (challenge-budget.ts): an active one
 * beyond the budget, or on a host name that does not resolve now, is held inactive, pending, for
 * the host's proving job. Echoes the applied state without credentials.
 */
export async function syncAccounts31(
  accounts: CallerAccounts,
  args: unknown,
): Promise<CallToolResult> {
  const read = readRequest(syncAccountsRequest, args);
  if (!read.ok) return read.answer;
  const { request } = read;
  const rows: Row[] = [];
  // Outbound on behalf of this call is bounded (challenge-budget.ts); the rest is held pending.
  const budget = challengeBudget(() => accounts.admitChallenge());
  for (const entry of request.accounts)
    rows.push(await syncOne(accounts, entry, request.dry_run === true, budget));
  return answer(
    { accounts: rows, ...(request.dry_run === true && { dry_run: true }) },
    request.context,
  );
}

async function syncOne(
  accounts: CallerAccounts,
  entry: SyncAccountsEntry,
  dryRun: boolean,
  budget: ChallengeBudget,
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
  let configs: HeldConfig[] | undefined;
  if (entry.notification_configs !== undefined) {
    const read = readConfigs(entry.notification_configs);
    if (!read.ok) return failed(entry, read.error, accountId ?? prior?.account_id);
    const settled = await settleConfigs(accounts, read.configs, {
      accountId: accountId ?? prior!.account_id,
      prior,
      dryRun,
      budget,
    });
    if ('error' in settled) return failed(entry, settled.error, accountId ?? prior?.account_id);
    configs = settled.configs;
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
    if (configs?.some((c) => c.held?.proof === 'pending')) await accounts.provePending(id);
  }
  const applied = configs ?? prior?.notification_configs ?? [];
  const unfired = [...new Set(applied.flatMap((c) => c.event_types))].filter(
    (t) => !accounts.emits.has(t),
  );
  const warnings = [
    ...(unfired.length > 0
      ? [`This storefront does not emit ${unfired.join(', ')}: kept, never fired`]
      : []),
    ...applied.flatMap((c, j) =>
      c.held?.proof === 'pending'
        ? [
            `notification_configs[${j}] (${c.subscriber_id}) is kept inactive until its webhook.challenge is answered (${c.held.reason}); it is proved within minutes and list_accounts shows it active then`,
          ]
        : [],
    ),
  ];
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
    ...(warnings.length > 0 && { warnings }),
  };
}

/**
 * The configs as they are kept: each URL checked (a refusal fails the account); an active one
 * proved by its challenge now when its proof does not already stand and the call's budget
 * allows (a failed proof fails the account), else held inactive, pending, for the proving job:
 * a host name that does not resolve now is never trusted, and is held too. A dry run sends none.
 */
async function settleConfigs(
  accounts: CallerAccounts,
  configs: NotificationConfig31[],
  at: {
    accountId: string;
    prior: AccountRecord | undefined;
    dryRun: boolean;
    budget: ChallengeBudget;
  },
): Promise<{ configs: HeldConfig[] } | { error: AdcpError }> {
  const kept: HeldConfig[] = [];
  for (const [j, config] of configs.entries()) {
    const checked = await accounts.checkUrl(config.url);
    if (checked !== undefined && checked !== 'unresolved') return { error: urlError(j, checked) };
    const prior = standing(at.prior, config);
    if (!config.active || at.dryRun || prior) {
      kept.push(prior?.held ? { ...config, active: false, held: prior.held } : config);
      continue;
    }
    const held = (reason: string): HeldConfig => ({
      ...config,
      active: false,
      held: { proof: 'pending', reason },
    });
    if (checked === 'unresolved') {
      kept.push(held(`${new URL(config.url).hostname} does not resolve now`));
      continue;
    }
    const turn = at.budget.take(config.url);
    if ('deferred' in turn) {
      kept.push(held(turn.deferred));
      continue;
    }
    const refusal = await accounts.prove(at.accountId, config, turn.timeoutMs);
    if (refusal) {
      at.budget.failed(config.url);
      return { error: urlError(j, refusal) };
    }
    kept.push(config);
  }
  return { configs: kept };
}
