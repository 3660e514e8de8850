import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

/**
 * multipart/form-data for the routes declared `multipart` (file uploads): the handler streams
 * the file part (request.file()) under its own size limit; nothing is buffered or written to
 * disk by the plugin.
 */
export async function registerMultipart(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { limits: { files: 1, fields: 20, fieldSize: 64 * 1024 } });
}
