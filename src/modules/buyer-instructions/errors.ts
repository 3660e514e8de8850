import { AppError, conflict, invalid } from '../../platform/errors.js';

export const instructionNotFound = () => new AppError('not_found', 'Buyer instruction not found');

export const scopeTaken = (scope: string) =>
  conflict(
    `This storefront already has buyer instructions for ${scope}; update that one with PATCH`,
    'operatorDomain',
  );

/** The scope is the identity of a buyer instruction: changing it means delete and re-create. */
export const scopeImmutable = (field: 'operatorDomain' | 'brandDomain') =>
  invalid(
    `${field} cannot be changed: the (operatorDomain, brandDomain) scope is fixed once created; delete this buyer instruction and create a new one with the new scope`,
    field,
  );
