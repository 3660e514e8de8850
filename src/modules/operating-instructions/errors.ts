import { AppError, invalid } from '../../platform/errors.js';

export const versionNotFound = (version: number) =>
  new AppError('not_found', `Operating instructions version ${version} not found`);

export const noActiveVersion = () =>
  new AppError(
    'not_found',
    'No operating instructions are active; activate a version with POST /api/v2/storefront/operating-instructions/{version}/activate',
  );

/** Docs: activating a version the storefront does not have is a validation error, not 404. */
export const unknownVersionToActivate = (version: number) =>
  invalid(
    `This storefront has no operating instructions version ${version}; list them with GET /api/v2/storefront/operating-instructions`,
    'version',
  );
