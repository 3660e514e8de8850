import { describe, expect, it } from 'vitest';
import { formatOptionsOf, formatOptionsOfProduct } from '../../src/agents/adcp31/index.js';

/*
 * AdCP 3.1's canonical formats projected from 3.0 format ids (registries/v1-canonical-mapping.json);
 * on a storefront's products: adcp31-actions.test.ts.
 */

const agent = 'https://creative.example/mcp';
const id = (name: string) => ({ agent_url: agent, id: name });

describe('canonical formats of 3.0 format ids', () => {
  it('projects each id, index for index, linked back by v1_format_ref', () => {
    expect(formatOptionsOf([id('display_300x250'), id('video_30s'), id('audio_15s')])).toEqual([
      {
        format_option_id: 'display_300x250',
        format_kind: 'image',
        params: { width: 300, height: 250 },
        v1_format_ref: [id('display_300x250')],
      },
      {
        format_option_id: 'video_30s',
        format_kind: 'video_hosted',
        params: { duration_ms_exact: 30_000 },
        v1_format_ref: [id('video_30s')],
      },
      {
        format_option_id: 'audio_15s',
        format_kind: 'audio_hosted',
        params: { duration_ms_exact: 15_000 },
        v1_format_ref: [id('audio_15s')],
      },
    ]);
    expect(formatOptionsOf([id('display_static')])).toEqual([
      {
        format_option_id: 'display_static',
        format_kind: 'image',
        params: {},
        v1_format_ref: [id('display_static')],
      },
    ]);
  });

  it('projects nothing for a product with any format the mapping does not know', () => {
    expect(formatOptionsOf([id('display_300x250'), id('display_160x600')])).toBeUndefined();
    expect(formatOptionsOf([])).toBeUndefined();
    expect(formatOptionsOf(undefined)).toBeUndefined();
    expect(formatOptionsOf([{ id: 'display_300x250' }])).toBeUndefined();
  });
});

describe('format_option_id on every format option of a product', () => {
  const ids = (product: object) =>
    formatOptionsOfProduct(product)?.map((option) => option['format_option_id']);

  it('keeps a source’s own ids and names the rest by their v1 format, else kind and size', () => {
    expect(
      ids({
        format_options: [
          { format_option_id: 'homepage_mrec', format_kind: 'image', params: {} },
          { format_kind: 'image', params: {}, v1_format_ref: [id('display_728x90')] },
          { format_kind: 'image', params: { width: 300, height: 600 } },
          { format_kind: 'video_hosted', params: { duration_ms_exact: 15_000 } },
          { format_kind: 'html5', params: {} },
        ],
      }),
    ).toEqual(['homepage_mrec', 'display_728x90', 'image_300x600', 'video_hosted_15s', 'html5']);
  });

  it('settles a clash within the product in order, never taking a name a source gave', () => {
    expect(
      ids({
        format_options: [
          { format_kind: 'image', params: {} },
          { format_kind: 'image', params: {} },
          { format_option_id: 'image_2', format_kind: 'image', params: {} },
        ],
      }),
    ).toEqual(['image', 'image_3', 'image_2']);
    // The same format id of two creative agents.
    expect(
      ids({
        format_ids: [
          id('display_300x250'),
          { agent_url: 'https://other.example', id: 'display_300x250' },
        ],
      }),
    ).toEqual(['display_300x250', 'display_300x250_2']);
  });

  it('is the same however often it is asked', () => {
    const product = { format_ids: [id('display_300x250'), id('video_30s')] };
    expect(formatOptionsOfProduct(product)).toEqual(formatOptionsOfProduct(product));
    expect(formatOptionsOfProduct({ format_ids: [id('display_160x600')] })).toBeUndefined();
  });
});
