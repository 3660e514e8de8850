import { AdcpError } from '@adcp/sdk/server';
import type { CreativeRow } from '../../../../modules/creative-reviews/index.js';
import type { MediaBuyRow } from '../../../../modules/orders/index.js';
import { isRecord } from '../../../../platform/is-record.js';
import { speaks31 } from '../../../adcp31/index.js';
import type { MerchandisingDeps } from '../../deps.js';
import { creativesOnPackage } from '../../buys/package-creatives.js';
import { provenancePolicyOf, provenanceRefusal, type ProvenanceRefusal } from './policy.js';
import { verifyProvenance } from './verify.js';

/*
 * A creative assigned to a package after it was synced (sync_creatives `assignments`, or
 * update_media_buy's `creative_assignments`), or sent inline on a package (create_media_buy and
 * update_media_buy `creatives`: buys/inline-creatives.ts), meets the creative policy of THAT
 * package's product (core/creative-policy.json: "creative requirements and restrictions for a
 * product"), not only the policy it met when it entered the library (scope.ts: the
 * newest storefront-sold product taking its format). As on sync (gate.ts): only the
 * products the storefront sells itself (its sandbox's; a source's products carry their seller's
 * policy, which that seller enforces), for a sandbox account or a 3.1 caller, the claim asked of
 * the accepted verifiers for a 3.1 caller. A violation refuses the assignment alone.
 */

/** Who the check applies to: a sandbox account's calls, and every 3.1 caller's. */
export interface PolicyGate {
  sandbox: boolean;
  /** The buyer's sandbox scope (sources/sandbox.ts sandboxScope). */
  scope: string;
  /** A dry run (sync-request.ts): judged alike, its audit observations not recorded. */
  rehearsal?: boolean;
}

/** The storefront product a package of the buy sells, by storefront package id. */
export const productOfPackage = (row: MediaBuyRow, packageId: string) =>
  (row.forwardResult ?? [])
    .flatMap((leg) => leg.packages ?? [])
    .find((p) => p.packageId === packageId)?.productId;

/** What the policy of `productId` refuses in `creative` (fields as `creatives[0]…`), if anything. */
export async function packagePolicyRefusal(
  deps: MerchandisingDeps,
  creative: Record<string, unknown>,
  productId: string | undefined,
  gate: PolicyGate,
): Promise<ProvenanceRefusal | undefined> {
  const v31 = speaks31();
  if (productId === undefined || (!gate.sandbox && !v31)) return undefined;
  const product = deps.sandbox.products(gate.scope).find((p) => p.product_id === productId);
  const policy = product && provenancePolicyOf([product]);
  if (!policy) return undefined;
  const structural = provenanceRefusal(creative, 0, policy);
  if (structural || !v31 || !deps.creativeVerifier || policy.accepted.length === 0) {
    return structural;
  }
  const { refusal, observations } = await verifyProvenance(
    creative,
    0,
    policy,
    deps.creativeVerifier,
  );
  if (!refusal && !gate.rehearsal) {
    deps.auditObservations?.record(gate.scope, String(creative['creative_id']), observations);
  }
  return refusal;
}

/**
 * The refusal said of an assignment: which creative, whose policy (a placed package's product,
 * or at create time the product named), and what it lacks where.
 */
export function assignmentMessage(
  creativeId: string,
  on: { packageId: string } | { productId: string },
  refusal: ProvenanceRefusal,
) {
  const where = refusal.field.replace(/^creatives\[0\]\.?/, '') || 'the creative';
  const whose = 'packageId' in on ? `package ${on.packageId}'s product` : `product ${on.productId}`;
  return `Creative ${creativeId} does not meet the creative policy of ${whose}: ${refusal.message} (${where})`;
}

type PutPackage = {
  package_id?: string;
  product_id?: string;
  creative_assignments?: Array<{ creative_id: string }>;
};

/** A package as the check sees it: whose policy applies, and what it already carries. */
type Placement = { on: { packageId: string } | { productId: string }; productId?: string };

/**
 * update_media_buy: refuses the update at the first library creative newly assigned to a
 * package that its product's policy refuses, with the spec's code and the assignment's field;
 * nothing is sent, so the buy and its other packages stay as they were. A creative the package
 * already carries is not judged again; one the storefront does not hold is left to the source,
 * as before. Creatives sent inline are checked with the others of their kind
 * (buys/inline-creatives.ts).
 */
export async function refuseUnfitAssignments(
  deps: MerchandisingDeps,
  row: MediaBuyRow,
  packages: readonly PutPackage[],
  stored: CreativeRow[],
  gate: PolicyGate,
): Promise<void> {
  await refuseUnfit(deps, packages, stored, gate, (pkg) => {
    if (!pkg.package_id) return undefined;
    const placement = {
      on: { packageId: pkg.package_id },
      productId: productOfPackage(row, pkg.package_id),
    };
    return { placement, carried: new Set(creativesOnPackage(row, pkg.package_id)) };
  });
}

/**
 * create_media_buy: the same check on the packages of a new buy, each against the product it
 * names. create_media_buy's answer has no per-package outcome (its success arm carries packages,
 * its error arm no media buy), so a refused creative refuses the whole buy, before anything is
 * recorded or sent, rather than a buy placed without the creative the buyer named.
 */
export async function refuseUnfitCreated(
  deps: MerchandisingDeps,
  packages: readonly PutPackage[],
  stored: CreativeRow[],
  gate: PolicyGate,
): Promise<void> {
  await refuseUnfit(deps, packages, stored, gate, (pkg) =>
    pkg.product_id
      ? { placement: { on: { productId: pkg.product_id }, productId: pkg.product_id } }
      : undefined,
  );
}

async function refuseUnfit(
  deps: MerchandisingDeps,
  packages: readonly PutPackage[],
  stored: CreativeRow[],
  gate: PolicyGate,
  placementOf: (pkg: PutPackage) => { placement: Placement; carried?: Set<string> } | undefined,
): Promise<void> {
  if (!gate.sandbox && !speaks31()) return;
  if (deps.sandbox.products(gate.scope).length === 0) return;
  const library = new Map(stored.map((r) => [r.creativeId, r.submittedPayload] as const));
  for (const [i, pkg] of packages.entries()) {
    const placed = placementOf(pkg);
    if (!placed) continue;
    const { placement, carried } = placed;
    // Creatives sent inline are checked with the format limits (buys/inline-creatives.ts).
    const put = (pkg.creative_assignments ?? []).map((a, j) => ({
      id: a.creative_id,
      payload: library.get(a.creative_id),
      field: `packages[${i}].creative_assignments[${j}].creative_id`,
    }));
    for (const { id, payload, field } of put) {
      if (carried?.has(id) || !isRecord(payload)) continue;
      const refusal = await packagePolicyRefusal(deps, { ...payload }, placement.productId, gate);
      if (!refusal) continue;
      throw new AdcpError(refusal.code, {
        message: assignmentMessage(id, placement.on, refusal),
        field,
        recovery: 'correctable',
        ...(refusal.details && { details: refusal.details }),
      });
    }
  }
}
