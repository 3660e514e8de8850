import { AdcpError } from '@adcp/sdk/server';
import { isRecord } from '../../../../platform/is-record.js';

/*
 * AdCP 3.1's preconditions of a `vendor_metric` optimization goal (core/optimization-goal.json,
 * media_buy_seller/vendor_metric_optimization_flow), each refused TERMS_REJECTED with the field
 * that is wrong: the product optimises for the (vendor, metric_id) with that target kind
 * (`vendor_metric_optimization.supported_metrics[]`), the package commits to reporting it (a
 * vendor-scope `committed_metrics[]` entry), and the product can report every vendor metric the
 * package commits to (`reporting_capabilities.vendor_metrics[]`). Discovery (the metric in the
 * vendor's published `measurement.metrics[]`) is a SHOULD in 3.1: a catalog known here (a
 * sandbox's seeded one) that lacks the metric is refused, as the spec recommends; where no
 * catalog is known the goal is accepted, as 3.1's compatibility window allows.
 */

type Json = Record<string, unknown>;

/** The metric ids a measurement vendor publishes, by its domain, when known. */
export type CatalogOf = (vendorDomain: string) => readonly string[] | undefined;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const record = (value: unknown): Json => (isRecord(value) ? value : {});

/** Same vendor (domain, and brand_id when either names one) and metric. */
const sameMetric = (a: Json, b: Json) =>
  record(a['vendor'])['domain'] === record(b['vendor'])['domain'] &&
  (record(a['vendor'])['brand_id'] ?? null) === (record(b['vendor'])['brand_id'] ?? null) &&
  a['metric_id'] === b['metric_id'];

const rejected = (field: string, message: string) =>
  new AdcpError('TERMS_REJECTED', { field, message, recovery: 'correctable' });

const named = (metric: Json) =>
  `${String(record(metric['vendor'])['domain'])} ${String(metric['metric_id'])}`;

/** The first vendor-metric precondition package `at` fails on `product`, or undefined. */
export function vendorMetricProblem(
  pkg: Json,
  at: string,
  product: object,
  catalogOf?: CatalogOf,
): AdcpError | undefined {
  const committed = list(pkg['committed_metrics'])
    .map(record)
    .filter((m) => m['scope'] === 'vendor');
  const optimisable = list(
    record(record(product)['vendor_metric_optimization'])['supported_metrics'],
  ).map(record);
  for (const [g, raw] of list(pkg['optimization_goals']).entries()) {
    const goal = record(raw);
    if (goal['kind'] !== 'vendor_metric') continue;
    const goalAt = `${at}.optimization_goals[${g}]`;
    const entry = optimisable.find((m) => sameMetric(m, goal));
    if (!entry) {
      return rejected(
        `${goalAt}.metric_id`,
        `This product does not optimise for ${named(goal)} (see its vendor_metric_optimization.supported_metrics)`,
      );
    }
    const kind = record(goal['target'])['kind'];
    if (kind !== undefined && !list(entry['supported_targets']).includes(kind)) {
      return rejected(
        `${goalAt}.target.kind`,
        `This product optimises ${named(goal)} for ${list(entry['supported_targets']).join(', ') || 'no target kind'}, not ${String(kind)}`,
      );
    }
    if (!committed.some((m) => sameMetric(m, goal))) {
      return rejected(
        `${at}.committed_metrics`,
        `A vendor_metric goal needs the package to commit to reporting it: add { scope: "vendor", vendor, metric_id } for ${named(goal)} to committed_metrics`,
      );
    }
  }
  const reportable = list(record(record(product)['reporting_capabilities'])['vendor_metrics']).map(
    record,
  );
  if (committed.some((m) => !reportable.some((r) => sameMetric(r, m)))) {
    return rejected(
      `${at}.committed_metrics`,
      `This product cannot report every vendor metric committed to (it reports: ${reportable.map(named).join(', ') || 'none'})`,
    );
  }
  return catalogProblem(pkg, at, catalogOf);
}

/** Discovery, checked last: a goal's metric missing from its vendor's known catalog. */
function catalogProblem(pkg: Json, at: string, catalogOf?: CatalogOf): AdcpError | undefined {
  for (const [g, raw] of list(pkg['optimization_goals']).entries()) {
    const goal = record(raw);
    if (goal['kind'] !== 'vendor_metric') continue;
    const catalog = catalogOf?.(String(record(goal['vendor'])['domain']));
    if (catalog && !catalog.includes(String(goal['metric_id']))) {
      return rejected(
        `${at}.optimization_goals[${g}].metric_id`,
        `${named(goal)} is not in the vendor's published measurement catalog`,
      );
    }
  }
  return undefined;
}
