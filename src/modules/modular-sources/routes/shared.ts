import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { invalid } from '../../../platform/errors.js';
import type { UploadedFile } from '../feeds/service.js';

export const base = '/api/v2/storefront/inventory-sources';
export const tags = ['Modular sources'];

/**
 * The uploaded file of a multipart request, streamed (never buffered), with the form fields
 * sent before it; a request that is not multipart, or has no file part, is refused.
 */
export async function uploadedFile(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ file: UploadedFile; fields: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw invalid('Send the file as multipart/form-data with a part named file', 'file');
  }
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 20 } });
  if (!part || part.fieldname !== 'file') {
    part?.file.resume();
    throw invalid('A part named file is required', 'file');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field && field.type === 'field' && name !== 'file') fields[name] = String(field.value);
  }
  return {
    file: {
      stream: part.file,
      fileName: part.filename,
      mimetype: part.mimetype,
      truncated: () => part.file.truncated,
    },
    fields,
  };
}
