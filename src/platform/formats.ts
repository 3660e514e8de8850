import { z } from 'zod';

/** Wire formats shared by several modules, so each rule is written once. */
const hostnamePattern = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** A lowercase DNS hostname such as `example.com` (input is lowercased first). */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'must be at most 253 characters')
  .regex(hostnamePattern, 'must be a domain name such as example.com');

/** Positive integer path ids within the JS safe range, as the docs require. */
export const positiveIdSchema = z.coerce
  .number()
  .int('must be a positive integer')
  .positive('must be a positive integer')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

export const isoDate = (d: Date) => d.toISOString();
export const isoDateOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);
