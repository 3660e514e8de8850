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

/**
 * A signup or an admin-created customer named an email a user already has. Identity never merges
 * by email: whoever knows an address must not gain that user's memberships, so the person signs
 * in with the key they hold instead.
 */
export const emailTaken = () =>
  new AppError(
    'conflict',
    'An account already uses this email address. Sign in with the API key you were given, ' +
      'or sign up with another address: a signup never joins an existing account',
    { field: 'email', code: 'EMAIL_ALREADY_REGISTERED' },
  );

/** Sponsored buyers are confined to one storefront; children would be a way out of it. */
export const sponsoredCannotCreateChildren = () =>
  new AppError(
    'forbidden',
    'A sponsored buyer account cannot create child accounts; it is confined to the storefront that sponsors it',
    { code: 'SPONSORED_BUYER_RESTRICTED' },
  );
