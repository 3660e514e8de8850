import { formatId as formatIdSchema, type ProductFormatDeclaration } from '../schemas/formats.js';

/*
 * AdCP 3.1's canonical creative formats for products that name 3.0 formats: the v1 → v2
 * projection of registries/v1-canonical-mapping.json (version 1.3.1, 2026-08-05), its
 * `format_id_glob` entries, in its order (the first match wins). Its structural entries match a
 * format's asset slots, which a product's format_ids do not carry: not applied here.
 */

type Mapping = readonly [glob: string, kind: string, params?: Record<string, unknown>];

const mappings: readonly Mapping[] = [
  ['display_static', 'image'],
  ['display_300x250', 'image', { width: 300, height: 250 }],
  ['display_728x90', 'image', { width: 728, height: 90 }],
  ['display_320x50', 'image', { width: 320, height: 50 }],
  ['display_300x600', 'image', { width: 300, height: 600 }],
  ['display_970x250', 'image', { width: 970, height: 250 }],
  ['display_250x250', 'image', { width: 250, height: 250 }],
  ['display_200x200', 'image', { width: 200, height: 200 }],
  ['display_300x50', 'image', { width: 300, height: 50 }],
  ['display_320x480', 'image', { width: 320, height: 480 }],
  ['display_320x400', 'image', { width: 320, height: 400 }],
  ['display_320x320', 'image', { width: 320, height: 320 }],
  ['display_320x250', 'image', { width: 320, height: 250 }],
  ['display_300x250_image_2x', 'image', { width: 300, height: 250, pixel_ratios: [2] }],
  ['display_728x90_image_2x', 'image', { width: 728, height: 90, pixel_ratios: [2] }],
  ['display_320x50_image_2x', 'image', { width: 320, height: 50, pixel_ratios: [2] }],
  ['display_160x600_image_2x', 'image', { width: 160, height: 600, pixel_ratios: [2] }],
  ['display_336x280_image_2x', 'image', { width: 336, height: 280, pixel_ratios: [2] }],
  ['display_300x600_image_2x', 'image', { width: 300, height: 600, pixel_ratios: [2] }],
  ['display_970x250_image_2x', 'image', { width: 970, height: 250, pixel_ratios: [2] }],
  [
    'display_300x250_image_1x_2x',
    'image',
    {
      width: 300,
      height: 250,
      pixel_ratios: [1, 2],
      slots: [
        {
          asset_group_id: 'image_main',
          asset_type: 'image',
          required: true,
          min: 2,
          max: 2,
          pixel_ratios: [1, 2],
          required_pixel_ratios: [1, 2],
        },
      ],
    },
  ],
  [
    'display_728x90_image_1x_2x',
    'image',
    {
      width: 728,
      height: 90,
      pixel_ratios: [1, 2],
      slots: [
        {
          asset_group_id: 'image_main',
          asset_type: 'image',
          required: true,
          min: 2,
          max: 2,
          pixel_ratios: [1, 2],
          required_pixel_ratios: [1, 2],
        },
      ],
    },
  ],
  [
    'display_320x50_image_1x_2x',
    'image',
    {
      width: 320,
      height: 50,
      pixel_ratios: [1, 2],
      slots: [
        {
          asset_group_id: 'image_main',
          asset_type: 'image',
          required: true,
          min: 2,
          max: 2,
          pixel_ratios: [1, 2],
          required_pixel_ratios: [1, 2],
        },
      ],
    },
  ],
  [
    'display_160x600_image_1x_2x',
    'image',
    {
      width: 160,
      height: 600,
      pixel_ratios: [1, 2],
      slots: [
        {
          asset_group_id: 'image_main',
          asset_type: 'image',
          required: true,
          min: 2,
          max: 2,
          pixel_ratios: [1, 2],
          required_pixel_ratios: [1, 2],
        },
      ],
    },
  ],
  [
    'display_336x280_image_1x_2x',
    'image',
    {
      width: 336,
      height: 280,
      pixel_ratios: [1, 2],
      slots: [
        {
          asset_group_id: 'image_main',
          asset_type: 'image',
          required: true,
          min: 2,
          max: 2,
          pixel_ratios: [1, 2],
          required_pixel_ratios: [1, 2],
        },
      ],
    },
  ],
  [
    'display_300x600_image_1x_2x',
    'image',
    {
      width: 300,
      height: 600,
      pixel_ratios: [1, 2],
      slots: [
        {
          asset_group_id: 'image_main',
          asset_type: 'image',
          required: true,
          min: 2,
          max: 2,
          pixel_ratios: [1, 2],
          required_pixel_ratios: [1, 2],
        },
      ],
    },
  ],
  [
    'display_970x250_image_1x_2x',
    'image',
    {
      width: 970,
      height: 250,
      pixel_ratios: [1, 2],
      slots: [
        {
          asset_group_id: 'image_main',
          asset_type: 'image',
          required: true,
          min: 2,
          max: 2,
          pixel_ratios: [1, 2],
          required_pixel_ratios: [1, 2],
        },
      ],
    },
  ],
  ['video_30s', 'video_hosted', { duration_ms_exact: 30000 }],
  ['video_15s', 'video_hosted', { duration_ms_exact: 15000 }],
  ['video_pre_roll_30s', 'video_hosted', { duration_ms_exact: 30000 }],
  ['video_pre_roll_15s', 'video_hosted', { duration_ms_exact: 15000 }],
  ['video_640x480', 'video_hosted', { width: 640, height: 480 }],
  ['video_300x250', 'video_hosted', { width: 300, height: 250 }],
  ['video_16x9_30s', 'video_hosted', { aspect_ratio: '16:9', duration_ms_exact: 30000 }],
  ['video_640x360_vast', 'video_vast', { width: 640, height: 360 }],
  ['audio_15s', 'audio_hosted', { duration_ms_exact: 15000 }],
];

const globPattern = (glob: string) =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
const compiled = mappings.map(([glob, kind, params]) => ({
  test: globPattern(glob),
  kind,
  params,
}));

/** The registry's canonical for one v1 format id, or undefined when it maps none. */
export function projectionOf(
  id: string,
): { kind: string; params: Record<string, unknown> } | undefined {
  const match = compiled.find((mapping) => mapping.test.test(id));
  return match && { kind: match.kind, params: { ...match.params } };
}

/**
 * A product's `format_options` for its `format_ids`, index for index (the dual-emission rule:
 * `format_options[i]` is the declaration `format_ids[i]` resolves to, linked back by
 * `v1_format_ref`), each named (`format_option_id`) by the v1 format id it was projected from
 * (option-ids.ts settles a clash), or undefined when any of them has no projection: the spec
 * forbids emitting format_options for such a product (only format_ids ship).
 */
export function formatOptionsOf(formatIds: unknown): ProductFormatDeclaration[] | undefined {
  if (!Array.isArray(formatIds) || formatIds.length === 0) return undefined;
  const options: ProductFormatDeclaration[] = [];
  for (const raw of formatIds) {
    const formatId = formatIdSchema.safeParse(raw);
    if (!formatId.success) return undefined;
    const match = projectionOf(formatId.data.id);
    if (!match) return undefined;
    options.push({
      format_option_id: formatId.data.id,
      format_kind: match.kind,
      params: match.params,
      v1_format_ref: [formatId.data],
    });
  }
  return options;
}
