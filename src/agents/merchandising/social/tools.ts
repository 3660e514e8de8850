import type {
  Account,
  AccountStore,
  AudiencePlatform,
  DecisioningCapabilities,
  SalesIngestionPlatform,
  SyncAudiencesRow,
} from '@adcp/sdk/server';
import type {
  AccountReference,
  GetAccountFinancialsSuccess,
  LogEventSuccess,
  SyncCatalogsSuccess,
  SyncEventSourcesSuccess,
} from '@adcp/sdk/types';
import type { InventorySource } from '../../../modules/inventory-sources/index.js';
import type { AccountMeta } from '../adcp.js';
import { agentRequest } from '../caller.js';
import { defaultSourceBudgetMs, type MerchandisingDeps } from '../deps.js';
import { askEach } from '../../../sources/fan-out.js';
import { forwardSocial, offeredSocialTools } from './forward.js';
import { acceptedOf, catalogOwner, type CatalogMemory } from './catalog-memory.js';

type Capabilities = DecisioningCapabilities<Record<string, never>>;
type AudienceTargeting = NonNullable<Capabilities['audience_targeting']>;
type ConversionTracking = NonNullable<Capabilities['conversion_tracking']>;

type SocialSales = Pick<
  SalesIngestionPlatform<AccountMeta>,
  'syncCatalogs' | 'syncEventSources' | 'logEvent'
>;

/** What a storefront agent adds to its platform when a source sells sales-social. */
export interface StorefrontSocial {
  /** sales-social, when any tool is offered. */
  specialisms: Array<'sales-social'>;
  audiences?: AudiencePlatform<AccountMeta>;
  sales: SocialSales;
  getAccountFinancials?: AccountStore<AccountMeta>['getAccountFinancials'];
  /** list_accounts: the buyer's accounts at the sources that list them. */
  listAccounts?: AccountStore<AccountMeta>['list'];
  /** The sources' own declarations, merged (the storefront matches what they match). */
  audienceTargeting?: AudienceTargeting;
  conversionTracking?: ConversionTracking;
}

/** A storefront none of whose sources sells sales-social. */
export const noSocial: StorefrontSocial = { specialisms: [], sales: {} };

/**
 * The sales-social tools of a storefront agent: each tool one of its sellable sources offers,
 * forwarded to the sources offering it (forward.ts). Rows several sources answered for the same
 * audience, catalog or event source are answered once, the first source's (in source order).
 */
export function storefrontSocial(
  deps: MerchandisingDeps,
  sources: readonly InventorySource[],
  accountIdOf: (ref: AccountReference & { brand: { domain: string } }) => string,
  catalogs?: CatalogMemory,
): StorefrontSocial {
  const offered = offeredSocialTools(sources);
  const sales: SocialSales = {};
  if (offered.has('syncCatalogs')) {
    sales.syncCatalogs = async (request, ctx): Promise<SyncCatalogsSuccess> => {
      const answers = await forwardSocial(deps, 'syncCatalogs', request, ctx.account.ctx_metadata, {
        write: true,
      });
      const rows = answers.flatMap(({ data }) => ('catalogs' in data ? data.catalogs : []));
      // preview_creative binds templates to what the sources took (a dry run takes nothing).
      if (catalogs && request.dry_run !== true) {
        await catalogs.remember(
          catalogOwner(ctx.account.ctx_metadata.accountId),
          acceptedOf(request, rows),
        );
      }
      return {
        catalogs: firstBy(rows, (row) => row.catalog_id),
        ...(request.dry_run === true && { dry_run: true }),
      };
    };
  }
  if (offered.has('syncEventSources')) {
    sales.syncEventSources = async (request, ctx): Promise<SyncEventSourcesSuccess> => {
      const answers = await forwardSocial(
        deps,
        'syncEventSources',
        request,
        ctx.account.ctx_metadata,
        { write: true },
      );
      const rows = answers.flatMap(({ data }) =>
        'event_sources' in data ? data.event_sources : [],
      );
      return { event_sources: firstBy(rows, (row) => row.event_source_id) };
    };
  }
  if (offered.has('logEvent')) {
    sales.logEvent = async (request, ctx): Promise<LogEventSuccess> => {
      const answers = await forwardSocial(deps, 'logEvent', request, ctx.account.ctx_metadata, {
        write: true,
      });
      // Every source that took the events counts them for itself; the buyer is told how many
      // the best-matching one processed, never a sum above what it sent.
      const processed = Math.max(
        ...answers.map(({ data }) => ('events_processed' in data ? data.events_processed : 0)),
      );
      const failures = answers.flatMap(({ data }) =>
        'partial_failures' in data ? (data.partial_failures ?? []) : [],
      );
      return {
        events_received: request.events.length,
        events_processed: processed,
        ...(failures.length > 0 && { partial_failures: firstBy(failures, (f) => f.event_id) }),
      };
    };
  }
  const audiences: AudiencePlatform<AccountMeta> | undefined = offered.has('syncAudiences')
    ? {
        syncAudiences: async (list, ctx): Promise<SyncAudiencesRow[]> => {
          const request = { audiences: list };
          const answers = await forwardSocial(
            deps,
            'syncAudiences',
            request as Parameters<typeof forwardSocial<'syncAudiences'>>[2],
            ctx.account.ctx_metadata,
            { write: true },
          );
          const rows = answers.flatMap(({ data }) => ('audiences' in data ? data.audiences : []));
          return firstBy(rows, (row) => row.audience_id);
        },
        // Matching is the sources' own; the buyer reads it back with sync_audiences.
        pollAudienceStatuses: async () => new Map(),
      }
    : undefined;
  const getAccountFinancials: StorefrontSocial['getAccountFinancials'] = offered.has(
    'getAccountFinancials',
  )
    ? async (request, ctx): Promise<GetAccountFinancialsSuccess> => {
        const [first] = await forwardSocial(
          deps,
          'getAccountFinancials',
          request,
          ctx.account.ctx_metadata,
          { write: false },
        );
        const data = first!.data as GetAccountFinancialsSuccess;
        // The account is the buyer's own words, not the source's name for it.
        return { ...data, account: request.account };
      }
    : undefined;
  const listAccounts: StorefrontSocial['listAccounts'] = offered.has('listAccounts')
    ? async () => {
        const { storefront, principal } = agentRequest();
        const { sellable } = await deps.sources.of(storefront.id, principal.customerId);
        const call = { customerId: principal.customerId, budgetMs: defaultSourceBudgetMs };
        const outcomes = await askEach(sellable, (source) => source.social?.listAccounts?.(call));
        const refs = outcomes.flatMap((outcome) => (outcome.ok ? outcome.data : []));
        const items = firstBy(
          refs.flatMap((ref) => ('brand' in ref ? [ref] : [])),
          (ref) => accountIdOf(ref),
        ).map((ref): Account<AccountMeta> => ({
          id: accountIdOf(ref),
          name: `${ref.brand.domain} via storefront`,
          status: 'active',
          brand: ref.brand,
          ...(ref.operator && { operator: ref.operator }),
          ...(ref.sandbox && { sandbox: true }),
          ctx_metadata: { accountId: accountIdOf(ref), reference: ref },
        }));
        return { items };
      }
    : undefined;
  const declared = (pick: (source: InventorySource) => Record<string, unknown> | undefined) =>
    mergeDeclarations(
      sources.flatMap((source) => {
        const declaration = pick(source);
        return declaration ? [declaration] : [];
      }),
    );
  const audienceTargeting = offered.has('syncAudiences')
    ? asAudienceTargeting(declared((s) => s.capabilities?.audienceTargeting))
    : undefined;
  const conversionTracking =
    offered.has('syncEventSources') || offered.has('logEvent')
      ? asConversionTracking(declared((s) => s.capabilities?.conversionTracking))
      : undefined;
  return {
    specialisms: offered.size > 0 ? ['sales-social'] : [],
    sales,
    ...(audiences && { audiences }),
    ...(getAccountFinancials && { getAccountFinancials }),
    ...(listAccounts && { listAccounts }),
    ...(audienceTargeting && { audienceTargeting }),
    ...(conversionTracking && { conversionTracking }),
  };
}

/** The first row of each key, in order. */
function firstBy<T>(rows: T[], key: (row: T) => string): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const k = key(row);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Several sources' declarations as one: arrays are joined (what any source takes), numbers
 * take the largest (a minimum audience size every source accepts), the rest the first's.
 */
function mergeDeclarations(
  declarations: Record<string, unknown>[],
): Record<string, unknown> | undefined {
  if (declarations.length === 0) return undefined;
  const merged: Record<string, unknown> = {};
  for (const declaration of declarations) {
    for (const [field, value] of Object.entries(declaration)) {
      const had = merged[field];
      if (Array.isArray(value)) {
        merged[field] = [...new Set([...(Array.isArray(had) ? had : []), ...value])];
      } else if (typeof value === 'number' && typeof had === 'number') {
        merged[field] = Math.max(had, value);
      } else if (had === undefined) {
        merged[field] = value;
      }
    }
  }
  return merged;
}

/** A merged audience_targeting declaration, when it has what AdCP requires of one. */
function asAudienceTargeting(
  merged: Record<string, unknown> | undefined,
): AudienceTargeting | undefined {
  if (!merged || !Array.isArray(merged['supported_identifier_types'])) return undefined;
  if (typeof merged['minimum_audience_size'] !== 'number') return undefined;
  // cast: the sources' own declarations, validated against AdCP by their SDKs, merged above.
  return merged as AudienceTargeting;
}

/** A merged conversion_tracking declaration (every field of it is optional in AdCP). */
function asConversionTracking(
  merged: Record<string, unknown> | undefined,
): ConversionTracking | undefined {
  // cast: as above; conversion_tracking has no required field.
  return merged as ConversionTracking | undefined;
}

/**
 * What a storefront adds to get_adcp_capabilities' media_buy block for its sales-social
 * sources: their audience_targeting and conversion_tracking, and the features saying so. Given
 * as the server's overrides (server-options.ts): declared on the platform instead, @adcp/sdk
 * 6.11 replaces the storefront's own media_buy block (portfolio, specialisms) with them.
 */
export function socialMediaBuyCapabilities(social: StorefrontSocial) {
  const { audienceTargeting: at, conversionTracking: ct } = social;
  if (!at && !ct) return undefined;
  return {
    ...(at && { audience_targeting: at }),
    ...(ct && { conversion_tracking: ct }),
    features: {
      ...(at && { audience_targeting: true }),
      ...(ct && { conversion_tracking: true }),
    },
  };
}
