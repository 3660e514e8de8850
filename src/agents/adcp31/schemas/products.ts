import { z } from 'zod';
import { formatId, productFormatDeclaration } from './formats.js';

/*
 * What AdCP 3.1.19 changed of a product (core/product.json) against 3.0.6, written from the
 * spec's JSON schemas: the parts a 3.1 caller's products are judged by beside 3.0.6's schema of
 * everything 3.1 kept (merchandising/products/product-check.ts). 3.1 declares formats by
 * `format_ids`, `format_options` or both (the check requires one of them), types the product
 * cards inline (no format_id / manifest), measures delivery by `vendors` (`provider`
 * deprecated, no longer required), and keys postal systems by country. The values 3.1 added to
 * other enums a product carries are 3.1's by construction of the 3.0 reading that leaves them out
 * (sources/releases/values30.ts). Objects stay open, as the spec's are.
 */

/** core/assets/image-asset.json. */
const imageAsset = z.looseObject({
  asset_type: z.literal('image'),
  url: z.url(),
  width: z.int().min(1),
  height: z.int().min(1),
  format: z.string().optional(),
  alt_text: z.string().optional(),
});

/** core/brand-ref.json (`domain`; the rest as the spec's brand registry reads it). */
const brandRef = z.looseObject({
  domain: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/),
  brand_id: z.string().optional(),
});

/** core/product.json `product_card`. */
const productCard = z.looseObject({
  image: imageAsset.optional(),
  title: z.string().max(60).optional(),
  description: z.string().max(200).optional(),
  price_label: z.string().max(30).optional(),
  cta_label: z.string().max(25).optional(),
});

/** core/product.json `product_card_detailed`. */
const productCardDetailed = z.looseObject({
  hero_image: imageAsset.optional(),
  carousel_images: z.array(imageAsset).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  specifications: z
    .array(z.looseObject({ label: z.string().max(60), value: z.string().max(200) }))
    .optional(),
  price_label: z.string().optional(),
  cta_label: z.string().optional(),
});

/** core/product.json `delivery_measurement`. */
const deliveryMeasurement = z.looseObject({
  vendors: z.array(brandRef).min(1).optional(),
  provider: z.string().optional(),
  notes: z.string().optional(),
});

/**
 * core/postal-area-support.json's country-keyed systems: a country's own, or `postal_code` /
 * `custom` for another ISO 3166-1 alpha-2 code. The legacy country-fused booleans beside them are
 * 3.0.6's, judged by its schema.
 */
const postalSystems: Readonly<Record<string, readonly string[]>> = {
  US: ['zip', 'zip_plus_four'],
  GB: ['outward', 'full'],
  CA: ['fsa', 'full'],
  DE: ['plz'],
  CH: ['plz'],
  AT: ['plz'],
  FR: ['code_postal'],
  AU: ['postcode'],
  BR: ['cep'],
  IN: ['pin'],
  ZA: ['postal_code'],
};
const postalArea = z.record(z.string(), z.unknown()).check((ctx) => {
  for (const [key, value] of Object.entries(ctx.value)) {
    if (!Array.isArray(value)) continue;
    const allowed =
      postalSystems[key] ?? (/^[A-Z]{2}$/.test(key) ? ['postal_code', 'custom'] : undefined);
    const ok =
      allowed !== undefined &&
      value.length > 0 &&
      new Set(value).size === value.length &&
      value.every((system) => allowed.includes(String(system)));
    if (!ok) {
      ctx.issues.push({
        code: 'invalid_value',
        values: [...(allowed ?? [])],
        path: [key],
        message: allowed
          ? `must be a non-empty list of distinct ${allowed.join(', ')}`
          : 'must be an ISO 3166-1 alpha-2 country code',
        input: value,
      });
    }
  }
});

/**
 * The product fields whose 3.1.19 schema differs from 3.0.6's in what it accepts, and 3.1's rule
 * that signal targeting options or rules declare `signal_targeting_allowed: true`.
 */
export const productChanged31 = z
  .looseObject({
    format_ids: z.array(formatId).optional(),
    format_options: z.array(productFormatDeclaration).min(1).optional(),
    product_card: productCard.optional(),
    product_card_detailed: productCardDetailed.optional(),
    delivery_measurement: deliveryMeasurement.optional(),
    signal_targeting_allowed: z.boolean().optional(),
    reporting_capabilities: z
      .looseObject({
        supports_geo_breakdown: z.looseObject({ postal_area: postalArea.optional() }).optional(),
      })
      .optional(),
  })
  .check((ctx) => {
    const product = ctx.value;
    const targets = 'signal_targeting_options' in product || 'signal_targeting_rules' in product;
    if (targets && product.signal_targeting_allowed !== true) {
      ctx.issues.push({
        code: 'invalid_value',
        values: [true],
        path: ['signal_targeting_allowed'],
        message: 'must be true when signal_targeting_options or signal_targeting_rules is given',
        input: product.signal_targeting_allowed,
      });
    }
  });
