/**
 * What a source's feed is checked against (its CPM ceiling, its formats agent, the clock) and
 * what a person preparing a file needs to know: the columns with the headers each is known by,
 * the formats people's words map to, AdCP's channels and pricing models, the ceiling in force.
 */
import { defaultFormatsAgentUrl } from '../buys/products.js';
import type { ModularContext, OwnedModular } from '../context.js';
import { modulesOf } from '../lifecycle/store.js';
import { availFields } from './avail.js';
import { columnCatalogue, requiredFields } from './rows/columns.js';
import { formatTable, spotLengths } from './rows/format-names.js';
import { type RowRules, storableCpm } from './normalize.js';
import { channels, pricingModels, soldModel } from './rows/vocabulary.js';

/** The avails-feed module's config key for the source's CPM ceiling. */
export const maxCpmKey = 'maxCpm';

/** Whether `value` can be a CPM ceiling: above 0 and storable in the cpm column. */
export const validCeiling = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= storableCpm;

/** The rules the source's rows are read by, now. */
export async function rowRulesOf(ctx: ModularContext, owned: OwnedModular): Promise<RowRules> {
  const feed = (await modulesOf(ctx.db, owned.row.id)).find(
    (m) => m.moduleInstanceId === 'avails-feed',
  );
  const ceiling = feed?.config[maxCpmKey];
  const agent = feed?.config['formatsAgentUrl'];
  return {
    now: ctx.now(),
    maxCpm: validCeiling(ceiling) ? ceiling : ctx.limits.maxCpm,
    ownFormatsAgent: typeof agent === 'string' && agent !== '' && agent !== defaultFormatsAgentUrl,
  };
}

/** GET …/feed/rules: everything a file for this source must hold, and how it may be written. */
export async function feedRulesOf(ctx: ModularContext, owned: OwnedModular) {
  const rules = await rowRulesOf(ctx, owned);
  return {
    columns: availFields.map((field) => ({
      field,
      required: requiredFields.has(field),
      aliases: columnCatalogue[field].aliases,
      ...(columnCatalogue[field].holds && { holds: columnCatalogue[field].holds }),
    })),
    savedMapping: owned.modular.columnMapping,
    formats: formatTable(),
    spotLengths: [...spotLengths],
    ownFormatsAgent: rules.ownFormatsAgent,
    channels: [...channels],
    pricingModels: [...pricingModels],
    soldPricingModel: soldModel,
    maxCpm: rules.maxCpm,
    defaultMaxCpm: ctx.limits.maxCpm,
  };
}
