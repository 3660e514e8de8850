import { slugify } from '../../platform/slug.js';

/** A platformId (2–100 chars, `^[a-z0-9][a-z0-9-]*[a-z0-9]$`) from a storefront name. */
export function platformIdFromName(name: string): string {
  const slug = slugify(name, 100);
  return slug.length >= 2 ? slug : `storefront${slug ? `-${slug}` : ''}`;
}
