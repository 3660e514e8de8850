import type { ConsoleUpload } from '../../upload-forward.js';

/*
 * A Google service account's JSON key, uploaded as a file on the console's Ad Manager forms. The
 * console only turns the file into the JSON object the API's serviceAccountKey takes; whether it
 * is a usable key (client_email, private_key) is the API's to judge, and its refusal comes back
 * at the file field. A key is a few kilobytes: the file is read up to a bound, never whole.
 */

/** Larger than any service-account key (the API takes a private_key of at most 16 KiB). */
export const maxKeyFileBytes = 64 * 1024;

export type KeyFile =
  { ok: true; value: Record<string, unknown> | undefined } | { ok: false; message: string };

/** The key file's JSON object; undefined when no file was chosen (an empty file part). */
export async function readKeyFile(
  upload: Pick<ConsoleUpload, 'file' | 'filename'>,
): Promise<KeyFile> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of upload.file) {
    size += (chunk as Buffer).length;
    // Past the bound the rest is drained unread (the stream must end for the request to).
    if (size <= maxKeyFileBytes) chunks.push(chunk as Buffer);
  }
  if (size === 0 && !upload.filename) return { ok: true, value: undefined };
  if (size > maxKeyFileBytes) {
    return {
      ok: false,
      message: `The file is larger than ${maxKeyFileBytes / 1024} KiB: choose the service account’s JSON key file`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return {
      ok: false,
      message:
        'The file is not JSON: choose the JSON key file Google Cloud gave for the service account (Keys → Add key → JSON)',
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      message:
        'The file is JSON but not a key: a service account’s key is an object with client_email and private_key',
    };
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}
