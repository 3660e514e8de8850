import { z } from 'zod';
import { limitOffsetQuery } from '../../platform/http/pagination.js';
import { formatChannels } from './channels.js';

export const listFormatsQuery = limitOffsetQuery({ defaultLimit: 50, maxLimit: 250 }).extend({
  channel: z.enum(formatChannels as [string, ...string[]]).optional(),
  salesAgentId: z.string().min(1).max(200).optional(),
});
export type ListFormatsQuery = z.output<typeof listFormatsQuery>;

export const formatListSchema = z.object({
  items: z.array(
    z.object({
      salesAgentId: z.string(),
      salesAgentName: z.string(),
      storefrontId: z.number().int().nullable().describe('null for a remote agent'),
      channel: z.string(),
      /** The AdCP format as the agent answered it (snake_case, as AdCP defines it). */
      format: z.record(z.string(), z.unknown()),
    }),
  ),
  total: z.number().int(),
  hasMore: z.boolean(),
  nextOffset: z.number().int().nullable(),
  agents: z.array(
    z.object({
      salesAgentId: z.string(),
      salesAgentName: z.string(),
      formatCount: z.number().int(),
      fetchedAt: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
