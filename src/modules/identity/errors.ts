import { AppError, notFound } from '../../platform/errors.js';

export const customerNotFound = () => notFound('Customer');
export const apiKeyNotFound = () => notFound('API key');

export const adminRequired = () =>
  new AppError('forbidden', 'Only an ADMIN of this customer can do this', { code: 'FORBIDDEN' });

export const notAMember = () =>
  new AppError('forbidden', 'You are not a member of that customer', { code: 'ACCESS_DENIED' });

export const childCannotHaveChildren = () =>
  new AppError('invalid', 'A child account cannot create children of its own', {
    field: 'customerRole',
  });

export const staleTermsVersion = (current: string) =>
  new AppError('invalid', `Only the current terms (version ${current}) can be accepted`, {
    field: 'version',
    details: { currentVersion: current },
  });
