import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';

export const advertiserNotFound = () => notFound('Advertiser');
export const cohortNotFound = () => notFound('Test cohort');
export const linkNotFound = () => notFound('Linked account');

export const sandboxFixed = () =>
  invalid('sandbox is fixed when the advertiser is created; create another advertiser', 'sandbox');

export const archivedAdvertiser = () =>
  conflict('This advertiser is archived: restore it first (POST …/restore)', 'advertiserId');

export const accountNotAvailable = (field: string, accountId: string, sourceId: string) =>
  invalid(
    `Account "${accountId}" is not among the accounts your credential sees on source "${sourceId}" (GET …/accounts/available)`,
    field,
  );

export const alreadyLinked = () =>
  new AppError('conflict', 'This account is already linked to the advertiser', {
    field: 'accountId',
  });
