import type { Db } from '../../../platform/db/database.js';
import { invalid } from '../../../platform/errors.js';
import type { CustomerPrincipal } from '../../../platform/principal.js';
import { checkCohortDefinition } from './definition.js';
import * as cohortStore from './store.js';
import { cohortNotFound } from '../errors.js';
import type { CreateTestCohortInput, ListCohortsQuery, UpdateTestCohortInput } from '../schemas.js';
import type { AdvertiserRow } from '../store.js';
import { cohortView } from '../views.js';

/** How the advertiser's service finds the advertiser a request names (archived or not). */
export interface AdvertiserLookup {
  db: Db;
  requireAdvertiser: (customerId: number, id: string) => Promise<AdvertiserRow>;
  requireActive: (customerId: number, id: string) => Promise<AdvertiserRow>;
}

/** An advertiser's test cohorts: listed, created, read, updated and removed under it. */
export function createCohorts(deps: AdvertiserLookup) {
  const { db, requireAdvertiser, requireActive } = deps;

  async function requireCohort(advertiser: AdvertiserRow, cohortId: string) {
    const n = /^\d{1,15}$/.test(cohortId) ? Number(cohortId) : undefined;
    const row = n === undefined ? undefined : await cohortStore.findCohort(db, advertiser.id, n);
    if (!row) throw cohortNotFound();
    return row;
  }

  return {
    async list(principal: CustomerPrincipal, id: string, query: ListCohortsQuery) {
      const advertiser = await requireAdvertiser(principal.customerId, id);
      if (query.advertiserId !== undefined && query.advertiserId !== id) {
        throw invalid('advertiserId in the query must be the one in the path', 'advertiserId');
      }
      const { rows, total } = await cohortStore.pageCohorts(
        db,
        advertiser.id,
        {
          ...(query.role && { role: query.role }),
          ...(query.isActive !== undefined && { isActive: query.isActive }),
        },
        { take: query.take, skip: query.skip },
      );
      return { cohorts: rows.map(cohortView), total };
    },
    async create(principal: CustomerPrincipal, id: string, input: CreateTestCohortInput) {
      const advertiser = await requireActive(principal.customerId, id);
      checkCohortDefinition(input.definition);
      const row = await cohortStore.insertCohort(db, {
        advertiserId: advertiser.id,
        customerId: principal.customerId,
        name: input.name,
        description: input.description ?? null,
        cohortType: input.cohortType,
        role: input.role,
        definition: input.definition,
        estimatedSize: input.estimatedSize ?? null,
      });
      return { cohort: cohortView(row) };
    },
    async get(principal: CustomerPrincipal, id: string, cohortId: string) {
      const advertiser = await requireAdvertiser(principal.customerId, id);
      return { cohort: cohortView(await requireCohort(advertiser, cohortId)) };
    },
    async update(
      principal: CustomerPrincipal,
      id: string,
      cohortId: string,
      input: UpdateTestCohortInput,
    ) {
      const advertiser = await requireActive(principal.customerId, id);
      const current = await requireCohort(advertiser, cohortId);
      if (input.definition) checkCohortDefinition(input.definition);
      const row = await cohortStore.updateCohort(db, advertiser.id, current.id, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.cohortType !== undefined && { cohortType: input.cohortType }),
        ...(input.role !== undefined && { role: input.role }),
        ...(input.definition !== undefined && { definition: input.definition }),
        ...(input.estimatedSize !== undefined && { estimatedSize: input.estimatedSize }),
        ...(input.isActive !== undefined && { isActive: input.isActive }),
      });
      if (!row) throw cohortNotFound();
      return { cohort: cohortView(row) };
    },
    async remove(principal: CustomerPrincipal, id: string, cohortId: string) {
      const advertiser = await requireActive(principal.customerId, id);
      const current = await requireCohort(advertiser, cohortId);
      if (!(await cohortStore.deleteCohort(db, advertiser.id, current.id))) throw cohortNotFound();
      return { id: String(current.id), deleted: true as const };
    },
  };
}
