/**
 * The unsigned path of a signed download (platform/signed-urls.ts signs it): `base`, the file
 * name, and what the download holds (its owner included) as `?report=` base64url JSON. The
 * signature over the whole path is what makes that payload trustworthy.
 */
export function downloadPathOf(base: string, fileName: string, payload: unknown): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${base}/${encodeURIComponent(fileName)}?report=${encoded}`;
}

/** The payload a download path carries (read it only once the signature is verified). */
export function payloadOfDownload(path: string): unknown {
  const match = /[?&]report=([A-Za-z0-9_-]+)/.exec(path);
  if (!match) return undefined;
  try {
    return JSON.parse(Buffer.from(match[1] as string, 'base64url').toString()) as unknown;
  } catch {
    return undefined;
  }
}
