import { z } from 'zod';
import { domainSchema } from '../../platform/formats.js';
import { countriesOfMarket } from '../../sources/brief/index.js';

const words = (what: string) =>
  z
    .string()
    .trim()
    .max(1000, 'must be at most 1000 characters')
    .nullable()
    .optional()
    .transform((v) => v || null)
    .describe(what);

/** A site's profile as written: countries as ISO codes or names, the seller's words. */
export const propertyProfileBody = z
  .object({
    countries: z
      .array(z.string().trim().min(1).max(100))
      .max(250)
      .optional()
      .describe(
        'The countries the site sells in: ISO 3166-1 codes (GB, DEU) or names (United Kingdom), or regions (DACH); empty or absent: not said',
      )
      .superRefine((list, ctx) => {
        (list ?? []).forEach((written, i) => {
          if (countriesOfMarket(written) === null)
            ctx.addIssue({
              code: 'custom',
              path: [i],
              message: `"${written.slice(0, 60)}" is not a country: use an ISO code such as GB or a country name`,
            });
        });
      })
      .transform((list) => [...new Set((list ?? []).flatMap((c) => countriesOfMarket(c) ?? []))]),
    audience: words('Whom the site reaches, in your words ("motoring enthusiasts, men 35-54")'),
    content: words('What the site is about, in your words ("car reviews, road tests")'),
  })
  .strict();
export type PropertyProfileInput = z.infer<typeof propertyProfileBody>;

export const propertyProfileParams = z.object({ domain: domainSchema });

export const propertyProfileSchema = z.object({
  publisherDomain: z.string(),
  countries: z.array(z.string()),
  audience: z.string().nullable(),
  content: z.string().nullable(),
  updatedAt: z.string(),
});
export type PropertyProfile = z.infer<typeof propertyProfileSchema>;
