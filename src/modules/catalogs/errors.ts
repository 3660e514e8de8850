import { conflict, notFound } from '../../platform/errors.js';

export const catalogNotFound = () => notFound('Catalog');
export const offeringNotFound = () => notFound('Offering');
export const catalogExists = (id: string) =>
  conflict(`A catalog "${id}" already exists for this advertiser`, 'catalogId');
export const offeringExists = (id: string) =>
  conflict(
    `An offering "${id}" already exists in this catalog (PUT it to change it)`,
    'offeringId',
  );
export const archivedCatalog = () =>
  conflict('This catalog is archived: sync it again to bring it back', 'catalogId');
