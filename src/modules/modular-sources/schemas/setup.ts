import { z } from 'zod';
import {
  availsSourceSchema,
  bookingSchema,
  creativeSchema,
  executionSchema,
  reportingSchema,
} from '../setup/modes.js';
import { columnMappingSchema } from './feeds.js';

export const modularParams = z.object({ sourceId: z.string().min(1).max(255) });
export const moduleParams = modularParams.extend({
  moduleInstanceId: z.string().min(1).max(255),
});
export const credentialParams = moduleParams.extend({
  credentialId: z.string().min(1).max(255),
});

export const createFeedSourceBody = z
  .object({
    sourceId: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, - or _')
      .optional(),
    name: z.string().trim().min(1).max(255),
    includeBookingLedger: z.boolean().default(true),
    availsSource: availsSourceSchema.optional(),
    booking: bookingSchema.optional(),
    execution: executionSchema.optional(),
    reporting: reportingSchema.optional(),
    creative: creativeSchema.optional(),
    notes: z.string().min(1).max(2000).optional(),
    columnMapping: columnMappingSchema.optional(),
  })
  .strict();
export type CreateFeedSourceInput = z.infer<typeof createFeedSourceBody>;

export const moduleConfigBody = z
  .object({
    config: z.record(z.string().min(1).max(255), z.unknown()),
    merge: z.boolean().default(true),
    status: z.enum(['CONFIGURING', 'DISABLED', 'ERROR']).optional(),
    /** Interchange addition: why a module is set to ERROR (shown as its lastError). */
    error: z.string().min(1).max(2000).optional(),
  })
  .strict();
export type ModuleConfigInput = z.infer<typeof moduleConfigBody>;

export const credentialBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    secret: z.string().min(1).max(8192),
  })
  .strict();
export const rotateCredentialBody = z.object({ secret: z.string().min(1).max(8192) }).strict();

export const credentialSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['ACTIVE', 'REVOKED']),
    createdAt: z.iso.datetime(),
    rotatedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ModularModuleCredential' });
