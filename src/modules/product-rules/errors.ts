import { AppError, conflict } from '../../platform/errors.js';

export const ruleNotFound = () => new AppError('not_found', 'Product rule not found');

export const packageIdTaken = (productId: string) =>
  conflict(
    `Another package rule of this storefront already shows its products as "${productId}"; choose another action.productId`,
    'action.productId',
  );
