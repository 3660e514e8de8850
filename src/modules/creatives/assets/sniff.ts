import { imageSize } from 'image-size';
import type { AssetType } from '../tables.js';

/** What the bytes of an upload turned out to be. */
export interface Sniffed {
  assetType: AssetType;
  contentType: string;
  width?: number;
  height?: number;
}

/** Content types an upload may declare, and the asset type each is. */
export const uploadTypes: Record<string, AssetType> = {
  'image/png': 'IMAGE',
  'image/jpeg': 'IMAGE',
  'image/gif': 'IMAGE',
  'image/webp': 'IMAGE',
  'video/mp4': 'VIDEO',
  'video/webm': 'VIDEO',
  'audio/mpeg': 'AUDIO',
  'audio/mp4': 'AUDIO',
  'audio/wav': 'AUDIO',
  'audio/ogg': 'AUDIO',
};

// image-size's names for the image types we take.
const imageTypes: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

const starts = (bytes: Buffer, ascii: string, at = 0) =>
  bytes.subarray(at, at + ascii.length).toString('latin1') === ascii;

/** The media type the leading bytes of audio or video announce, if any. */
function mediaTypeOf(bytes: Buffer): string | undefined {
  if (starts(bytes, 'ftyp', 4)) return starts(bytes, 'M4A', 8) ? 'audio/mp4' : 'video/mp4';
  if (bytes.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))) return 'video/webm';
  if (starts(bytes, 'ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) {
    return 'audio/mpeg';
  }
  if (starts(bytes, 'RIFF') && starts(bytes, 'WAVE', 8)) return 'audio/wav';
  if (starts(bytes, 'OggS')) return 'audio/ogg';
  return undefined;
}

/**
 * Checks that the bytes are what the upload declares and reads an image's dimensions. Answers
 * the problem as a sentence when they are not (the route reports it on `file`).
 */
export function sniff(bytes: Buffer, declared: string): Sniffed | string {
  const assetType = uploadTypes[declared];
  if (!assetType) {
    return `Content type ${declared} is not accepted; send one of ${Object.keys(uploadTypes).join(', ')}`;
  }
  if (bytes.length === 0) return 'The file is empty';
  if (assetType === 'IMAGE') {
    let size: ReturnType<typeof imageSize> | undefined;
    try {
      size = imageSize(bytes);
    } catch {
      size = undefined;
    }
    const actual = size?.type ? imageTypes[size.type] : undefined;
    if (!size || actual !== declared) {
      return `The file is not a ${declared} image${actual ? ` (it is ${actual})` : ''}`;
    }
    return { assetType, contentType: declared, width: size.width, height: size.height };
  }
  const actual = mediaTypeOf(bytes);
  if (actual !== declared) {
    return `The file is not ${declared}${actual ? ` (it is ${actual})` : ''}`;
  }
  return { assetType, contentType: declared };
}
