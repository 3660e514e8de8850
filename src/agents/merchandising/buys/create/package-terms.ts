import { InvalidRequestError } from '@adcp/sdk/server';
import type { InventorySource } from '../../../../sources/port.js';
import { sandboxScope } from '../../../../sources/sandbox.js';
import { isRecord } from '../../../../platform/is-record.js';
import { speaksAdcp31 } from '../../../../modules/inventory-sources/index.js';
import { defaultSourceBudgetMs, type MerchandisingDeps } from '../../deps.js';
import { parseProductId } from '../../products/product-ids.js';
import { type Bindings, type DeclaredProduct, packageProblem } from './package-checks.js';
import {
  chosenFormatOptions,
  kindChosenOptions,
  narrowedToOptions,
  unfitCreativeProblem,
} from './format-selector.js';
import type { CatalogOf } from './vendor-metric-checks.js';
import { type Described, describedProduct as describedOf } from '../describe/packages.js';
import { agentDescriptor } from '../../../../source-kinds/descriptors.js';

/** How far in the past a dated start_time may lie (clock skew, a request's own transit). */
const pastStartGraceMs = 15 * 60_000;

/** AdCP 3.1: a new buy whose flight starts in the past is refused (schema_validation). */
export function refusePastStart(startTime: string, now = Date.now()): void {
  if (startTime === 'asap') return;
  const start = Date.parse(startTime);
  if (Number.isFinite(start) && start < now - pastStartGraceMs) {
    throw new InvalidRequestError(
      'start_time',
      `start_time ${startTime} is in the past: send a future time, or "asap" to start now`,
    );
  }
}

/** What a package carries that its product's declarations decide. */
const asksOfProduct = (pkg: Record<string, unknown>) => {
  const overlay = isRecord(pkg['targeting_overlay']) ? pkg['targeting_overlay'] : {};
  return (
    pkg['optimization_goals'] !== undefined ||
    pkg['measurement_terms'] !== undefined ||
    pkg['committed_metrics'] !== undefined ||
    pkg['format_kind'] !== undefined ||
    pkg['format_option_refs'] !== undefined ||
    overlay['audience_include'] !== undefined ||
    overlay['audience_exclude'] !== undefined ||
    overlay['signal_targeting_groups'] !== undefined
  );
};

/**
 * AdCP 3.1's checks of each package against its product's declarations, before the buy is
 * recorded (package-checks.ts). The storefront decides where it knows the product: a sandbox
 * product's seller is the storefront's own book, which binds no audiences or event sources; a
 * source's product is read from the source's wholesale answer (a cached one serves), and what
 * only the source knows (its audiences, its event sources) is left to the source, whose refusal
 * reaches the buyer with its code and field. A product no one describes is left to routing.
 * Answers the packages as their sources are to be asked for them when any chose format options
 * by `format_option_refs`, or by `format_kind` on a source that speaks only AdCP 3.0 (narrowed to
 * them: format-selector.ts), else undefined.
 */
export async function refuseUnservablePackages(
  deps: Pick<MerchandisingDeps, 'sandbox' | 'sourceBudgetMs'>,
  packages: readonly object[],
  sources: readonly InventorySource[],
  owner: { storefrontId: number; buyerCustomerId: number },
  account?: unknown,
  // What the buy's "describe the packages" step heard (describe/packages.ts): read, not asked again.
  described?: Described,
): Promise<Record<string, unknown>[] | undefined> {
  const asked = packages as Record<string, unknown>[];
  let narrowed: Record<string, unknown>[] | undefined;
  for (const [index, pkg] of asked.entries()) {
    if (!asksOfProduct(pkg)) continue;
    const productId = String(pkg['product_id']);
    const known = await describedProduct(deps, productId, sources, owner, account, described);
    if (!known) continue;
    const { product, binds, catalogOf, ownBook, reads30 } = known;
    const problem = packageProblem(pkg, index, product, binds, catalogOf);
    if (problem) throw problem;
    // A direct format_kind selector is one only a 3.1 source reads: a 3.0 one gets its choice.
    const byKind = reads30 ? kindChosenOptions(pkg, product) : undefined;
    const chosen =
      chosenFormatOptions(pkg, `packages[${index}]`, product) ?? (byKind && { options: byKind });
    if (chosen && 'options' in chosen) {
      const at = `packages[${index}]`;
      const sent = narrowedToOptions(pkg, at, chosen.options, product, ownBook === true);
      if ('problem' in sent) throw sent.problem;
      narrowed ??= [...asked];
      narrowed[index] = sent.pkg;
    }
  }
  return narrowed;
}

/**
 * A 3.1 update's canonical inline creatives held to the format options their package chose on
 * create_media_buy (format-selector.ts). `sentOf` answers a package's product and its refs as the
 * buyer sent them; an option its product no longer declares is left to the source to judge.
 */
export async function refuseUnfitChosenCreatives(
  deps: Pick<MerchandisingDeps, 'sandbox' | 'sourceBudgetMs'>,
  packages: readonly object[],
  sentOf: (pkg: { package_id?: string }) => object | undefined,
  sources: readonly InventorySource[],
  owner: { storefrontId: number; buyerCustomerId: number },
  account?: unknown,
): Promise<void> {
  for (const [index, pkg] of (packages as Record<string, unknown>[]).entries()) {
    const sent = Array.isArray(pkg['creatives'])
      ? (sentOf(pkg) as Record<string, unknown> | undefined)
      : undefined;
    if (sent?.['format_option_refs'] === undefined) continue;
    const productId = String(sent['product_id']);
    const described = await describedProduct(deps, productId, sources, owner, account);
    const at = `packages[${index}]`;
    const chosen = described && chosenFormatOptions(sent, at, described.product);
    if (!chosen || !('options' in chosen)) continue;
    const problem = unfitCreativeProblem(pkg, at, chosen.options);
    if (problem) throw problem;
  }
}

/** What the storefront knows of a product a package names, or undefined when no one describes it. */
async function describedProduct(
  deps: Pick<MerchandisingDeps, 'sandbox' | 'sourceBudgetMs'>,
  productId: string,
  sources: readonly InventorySource[],
  owner: { storefrontId: number; buyerCustomerId: number },
  account: unknown,
  described?: Described,
): Promise<
  | {
      product: DeclaredProduct;
      binds: Bindings;
      catalogOf?: CatalogOf;
      ownBook?: true;
      /** Its source is an agent that speaks only AdCP 3.0 (reads none of 3.1's selectors). */
      reads30?: boolean;
    }
  | undefined
> {
  const scope = sandboxScope(owner.storefrontId, owner.buyerCustomerId);
  if (deps.sandbox.has(scope, productId)) {
    const product = deps.sandbox.products(scope).find((p) => p.product_id === productId);
    return (
      product && {
        product,
        binds: { audiences: false, eventSources: false },
        // The measurement catalogs the buyer seeded for its sandbox (seed_measurement_catalog).
        catalogOf: (domain) => deps.sandbox.measurementCatalog(scope, domain),
        ownBook: true,
      }
    );
  }
  // The describe step's answer where it asked the product's source (the same wholesale request,
  // under the buy's account, as a 3.1 caller); else the source is asked here (a recent answer
  // serves).
  const heard = described && describedOf(described, productId);
  const found =
    heard?.product && heard.port
      ? { product: heard.product, port: heard.port }
      : await sourceProduct(deps, productId, sources, { ...owner, account });
  if (!found) return undefined;
  const { product, port } = found;
  const { executionType } = port.source;
  const reads30 =
    executionType === agentDescriptor.executionType &&
    !speaksAdcp31({ executionType, capabilities: port.capabilities });
  return { product, binds: { audiences: true, eventSources: true }, reads30 };
}

async function sourceProduct(
  deps: Pick<MerchandisingDeps, 'sourceBudgetMs'>,
  productId: string,
  sources: readonly InventorySource[],
  { buyerCustomerId: customerId, account }: { buyerCustomerId: number; account?: unknown },
): Promise<{ product: DeclaredProduct; port: InventorySource } | undefined> {
  const sourceIds = sources.map((port) => port.source.sourceId);
  const owner = parseProductId(productId, sourceIds);
  const port = owner && sources.find((source) => source.source.sourceId === owner.sourceId);
  if (!owner || !port) return undefined;
  const budgetMs = deps.sourceBudgetMs ?? defaultSourceBudgetMs;
  // The buy's account, as the source describes its products to it (a kind sets its own form),
  // in 3.1: these checks are a 3.1 buyer's, and a 3.1 source's own declarations (its format
  // options and their ids) are what they read, as the buyer saw them.
  const request = {
    buying_mode: 'wholesale' as const,
    adcp_version: '3.1',
    ...(isRecord(account) && { account }),
  };
  const offered = await port.getProducts(request as Parameters<InventorySource['getProducts']>[0], {
    customerId,
    budgetMs,
    reuse: true,
  });
  const product = offered.ok
    ? offered.data.products.find((p) => p.product_id === owner.upstreamProductId)
    : undefined;
  return product && { product, port };
}
