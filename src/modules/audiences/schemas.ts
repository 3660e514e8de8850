import { z } from 'zod';
import { advertiserParams } from '../advertisers/index.js';
import { memberToAdd } from './identifiers.js';

export { advertiserParams };

const consentBasis = z.enum(['consent', 'legitimate_interest', 'contract', 'legal_obligation']);

/** Hosted AudienceItem: members to add or remove, or the whole audience deleted. */
const audienceItem = z.object({
  audienceId: z.string().trim().min(1).max(255),
  name: z.string().max(255).optional(),
  add: z.array(memberToAdd).max(100_000).optional(),
  remove: z
    .array(z.object({ externalId: z.string().min(1).max(255) }))
    .max(100_000)
    .optional(),
  delete: z.boolean().optional(),
  consentBasis: consentBasis.optional(),
});
export type AudienceItem = z.output<typeof audienceItem>;

/** Hosted SyncAudiencesBody. */
export const syncAudiencesBody = z
  .object({
    audiences: z.array(audienceItem).min(1).max(100),
    deleteMissing: z.boolean().optional(),
    /** Accepted in the hosted shape; progress is polled (GET /tasks/{taskId}), nothing is pushed. */
    pushNotificationConfig: z.object({ url: z.string().url() }).passthrough().optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.audiences.forEach((a, i) => {
      if (seen.has(a.audienceId))
        ctx.addIssue({
          code: 'custom',
          path: ['audiences', i, 'audienceId'],
          message: 'names an audience already in this request',
        });
      seen.add(a.audienceId);
    });
    const members = body.audiences.reduce(
      (n, a) => n + (a.add?.length ?? 0) + (a.remove?.length ?? 0),
      0,
    );
    if (members > 200_000)
      ctx.addIssue({
        code: 'custom',
        path: ['audiences'],
        message: 'at most 200,000 members (added and removed) per sync: split it',
      });
  });
export type SyncAudiencesInput = z.output<typeof syncAudiencesBody>;

/** Hosted SyncAudiencesResponse (202). */
export const syncAudiencesAnswer = z.object({
  success: z.boolean(),
  accountId: z.string(),
  operationId: z.string(),
  taskId: z.string(),
});

export const listAudiencesQuery = z.object({
  take: z.coerce.number().int().min(1).max(250).default(50),
  skip: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** Hosted AudienceSummary. */
export const audienceSummary = z.object({
  audienceId: z.string(),
  name: z.string().nullable(),
  accountId: z.string(),
  status: z.enum(['PROCESSING', 'ERROR', 'READY', 'TOO_SMALL']),
  deleted: z.boolean(),
  uploadedCount: z.number().nullable(),
  matchedCount: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Hosted AudienceListResponse. */
export const audienceListAnswer = z.object({
  audiences: z.array(audienceSummary),
  total: z.number(),
  take: z.number(),
  skip: z.number(),
});
