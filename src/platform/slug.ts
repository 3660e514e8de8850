import { randomBytes } from 'node:crypto';

/**
 * URL-safe lowercase slugs from display names (`Acme Sports Network` → `acme-sports-network`),
 * used for storefront platformIds, source ids and join-link slugs.
 */
export function slugify(name: string, maxLength = 100): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}

/** A variant of a taken slug; random so concurrent creators do not pick the same one. */
export function withRandomSuffix(slug: string, maxLength = 100): string {
  const suffix = randomBytes(3).toString('hex');
  return `${slug.slice(0, maxLength - suffix.length - 1).replace(/-+$/g, '')}-${suffix}`;
}
