import { AppError, notFound } from '../../platform/errors.js';

export const storefrontNotFound = () => notFound('Storefront');
export const noStorefront = () =>
  new AppError(
    'not_found',
    'This account has no storefront; create one with POST /api/v2/storefront',
  );
export const storefrontArchived = () =>
  new AppError('conflict', 'This storefront is archived; restore it with POST /api/v2/storefront');
export const notReadyToActivate = (blocking: { id: string; name: string; details?: string }[]) =>
  new AppError('conflict', 'The storefront cannot go live until readiness is ready', {
    details: { blockingChecks: blocking },
  });
export const cannotHideUnlisted = () =>
  new AppError('conflict', 'Only a listed storefront can be hidden; list it first');
