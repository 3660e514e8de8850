import { displayRender, FormatAsset } from '@adcp/sdk';
import type { ListCreativeFormatsResponse } from '@adcp/sdk/types';

export type DemoFormat = ListCreativeFormatsResponse['formats'][number];

/** The demo seller's creative formats; products reference them by id. */
export type DemoFormatId =
  | 'display_300x250'
  | 'display_728x90'
  | 'display_160x600'
  | 'display_300x600'
  | 'display_320x50'
  | 'display_970x250'
  | 'video_15s'
  | 'video_30s'
  | 'video_outstream'
  | 'ctv_15s'
  | 'ctv_30s'
  | 'audio_15s'
  | 'audio_30s'
  | 'audio_60s';

const displaySizes: Array<[DemoFormatId, string, number, number]> = [
  ['display_300x250', 'Medium rectangle 300x250', 300, 250],
  ['display_728x90', 'Leaderboard 728x90', 728, 90],
  ['display_160x600', 'Wide skyscraper 160x600', 160, 600],
  ['display_300x600', 'Half page 300x600', 300, 600],
  ['display_320x50', 'Mobile banner 320x50', 320, 50],
  ['display_970x250', 'Billboard 970x250', 970, 250],
];

const videoFormats: Array<[DemoFormatId, string, number, number]> = [
  ['video_15s', 'Instream video 15s (VAST)', 15, 1080],
  ['video_30s', 'Instream video 30s (VAST)', 30, 1080],
  ['video_outstream', 'Outstream video up to 30s (VAST)', 30, 720],
  ['ctv_15s', 'CTV non-skippable 15s (VAST)', 15, 2160],
  ['ctv_30s', 'CTV non-skippable 30s (VAST)', 30, 2160],
];

const audioFormats: Array<[DemoFormatId, string, number]> = [
  ['audio_15s', 'Streaming audio spot 15s', 15],
  ['audio_30s', 'Streaming audio spot 30s', 30],
  ['audio_60s', 'Podcast host-read or produced spot 60s', 60],
];

/** Every format the demo seller accepts, with the asset slots a creative must fill. */
export function buildDemoFormats(agentUrl: string): DemoFormat[] {
  const clickUrl = FormatAsset.url({ asset_id: 'click_url', required: true });
  const display = displaySizes.map(([id, name, width, height]) => ({
    format_id: { agent_url: agentUrl, id },
    name,
    renders: [displayRender({ role: 'primary', dimensions: { width, height, unit: 'px' } })],
    assets: [FormatAsset.image({ asset_id: 'image', required: true }), clickUrl],
  }));
  const video = videoFormats.map(([id, name, seconds, height]) => ({
    format_id: { agent_url: agentUrl, id },
    name,
    description: `${seconds}-second video delivered as a VAST tag or a hosted file`,
    renders: [
      displayRender({
        role: 'primary',
        dimensions: { width: Math.round((height * 16) / 9), height, unit: 'px' },
      }),
    ],
    assets: [FormatAsset.vast({ asset_id: 'vast', required: true }), clickUrl],
  }));
  // Audio has no render surface; duration lives in the format itself.
  const audio = audioFormats.map(([id, name, seconds]) => ({
    format_id: { agent_url: agentUrl, id },
    name,
    description: `${seconds}-second audio spot`,
    assets: [FormatAsset.audio({ asset_id: 'audio', required: true })],
  }));
  return [...display, ...video, ...audio];
}
