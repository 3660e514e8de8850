import { z } from 'zod';
import { AppError, notFound } from '../../platform/errors.js';
import type { RefusalReason } from '../../platform/guard/guard.js';

/*
 * What the console's forms accept and how it words refusals: the sign-in form's messages for
 * the guard's refusals of a key, the review decision form, and the ids in form URLs.
 */

export const decisionForm = z.object({
  status: z.enum(['approved', 'rejected']),
  notes: z.string().max(2000).optional(),
});
export const idParam = z.string().min(1).max(255);

/** How the sign-in form words the guard's refusals of a key (a seller's is the one it takes). */
export const signInRefusals: Partial<Record<RefusalReason, [number, string]>> = {
  invalid_key: [401, 'That API key is not valid or has been revoked.'],
  customer_only: [
    403,
    'A platform admin key acts for no storefront. Sign in with a seller API key.',
  ],
  seller_only: [
    403,
    "This is a buyer's API key. The console is for storefront operators: sign in with a seller API key.",
  ],
};

export const signInReasons: Record<string, string> = {
  'signed-out': 'Sign in to continue.',
  revoked: 'Your session ended: the API key was revoked or is no longer a seller key.',
  ended: 'Your session ended (signed out or ended from another session). Sign in again.',
};

export function parseDecision(body: Record<string, unknown>) {
  const parsed = decisionForm.safeParse(body);
  if (!parsed.success) {
    throw new AppError('invalid', 'Choose Approve or Reject; notes are at most 2000 characters.');
  }
  return parsed.data;
}

export function idOf(value: string): string {
  if (!idParam.safeParse(value).success) throw notFound('Review entry');
  return value;
}
