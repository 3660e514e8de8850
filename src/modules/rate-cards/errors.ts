import { AppError, conflict, invalid } from '../../platform/errors.js';

export const factNotFound = () => new AppError('not_found', 'Pricing fact not found');

export const factIdTaken = (id: string) =>
  conflict(`This rate card already has a pricing fact "${id}"; replace it with PUT`, 'id');

export const duplicateFactId = (field: string, id: string) =>
  invalid(`Pricing fact id "${id}" appears twice in the rate card`, field);

export const cardFull = (max: number) =>
  conflict(`A rate card holds at most ${max} pricing facts; remove one first`, 'id');

/** A price shape that can never price anything, or bounds that contradict each other. */
export const badPrice = (field: string, message: string) => invalid(message, field);
