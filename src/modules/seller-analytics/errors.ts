import { AppError, notFound } from '../../platform/errors.js';

/** Unknown id and another storefront's id answer the same: existence does not leak. */
export const runNotFound = () => notFound('Intelligence run');
export const badPeriod = () =>
  new AppError('invalid', 'startDate must not be after endDate', { field: 'startDate' });
export const acceptanceNotFound = () => notFound('Posture acceptance');
