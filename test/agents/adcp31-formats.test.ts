import { describe, expect, it } from 'vitest';
import { formatOptionsOf } from '../../src/agents/adcp31/index.js';

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
        format_kind: 'image',
        params: { width: 300, height: 250 },
        v1_format_ref: [id('display_300x250')],
      },
      {
        format_kind: 'video_hosted',
        params: { duration_ms_exact: 30_000 },
        v1_format_ref: [id('video_30s')],
      },
      {
        format_kind: 'audio_hosted',
        params: { duration_ms_exact: 15_000 },
        v1_format_ref: [id('audio_15s')],
      },
    ]);
    expect(formatOptionsOf([id('display_static')])).toEqual([
      { format_kind: 'image', params: {}, v1_format_ref: [id('display_static')] },
    ]);
  });

  it('projects nothing for a product with any format the mapping does not know', () => {
    expect(formatOptionsOf([id('display_300x250'), id('display_160x600')])).toBeUndefined();
    expect(formatOptionsOf([])).toBeUndefined();
    expect(formatOptionsOf(undefined)).toBeUndefined();
    expect(formatOptionsOf([{ id: 'display_300x250' }])).toBeUndefined();
  });
});
