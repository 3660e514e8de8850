import { z } from 'zod';

/**
 * How a publisher works, as it said when creating the source (hosted create-feed-modular-source):
 * which stages Interchange automates and which become human work. Descriptions of upstream
 * systems are kept as non-secret metadata only; no arbitrary adapter is attached.
 */
export const availsSourceSchema = z
  .object({
    type: z.enum(['upload', 'spreadsheet', 'api', 'manual', 'unknown']).optional(),
    cadence: z.string().min(1).max(2000).optional(),
    description: z.string().min(1).max(2000).optional(),
  })
  .strict();

export const bookingSchema = z
  .object({
    /** booking_ledger: the ledger books at once; manual / upstream_oms: a human confirms. */
    mode: z.enum(['booking_ledger', 'manual', 'upstream_oms']).optional(),
    systemName: z.string().min(1).max(255).optional(),
    notes: z.string().min(1).max(2000).optional(),
  })
  .strict();

export const executionSchema = z
  .object({
    /** manual / upstream_system: trafficking is a work item (TRAFFIC_TO_<system>); none: live at booking. */
    mode: z.enum(['manual', 'upstream_system', 'none']).optional(),
    systemName: z.string().min(1).max(255).optional(),
    notes: z.string().min(1).max(2000).optional(),
  })
  .strict();

export const reportingSchema = z
  .object({
    /** Anything but none: the final report is uploaded by a human (UPLOAD_FINAL_REPORT). */
    mode: z.enum(['upload', 'manual', 'upstream_export', 'api', 'none']).optional(),
    systemName: z.string().min(1).max(255).optional(),
    sampleAvailable: z.boolean().optional(),
    notes: z.string().min(1).max(2000).optional(),
  })
  .strict();

export const creativeSchema = z
  .object({
    /** manual / upstream_system: each creative is mapped to the system's reference (MAP_CREATIVE_REF). */
    mode: z.enum(['manual', 'upstream_system', 'none']).optional(),
    systemName: z.string().min(1).max(255).optional(),
    notes: z.string().min(1).max(2000).optional(),
  })
  .strict();

export interface ModularSetup {
  includeBookingLedger: boolean;
  availsSource: z.infer<typeof availsSourceSchema>;
  booking: z.infer<typeof bookingSchema>;
  execution: z.infer<typeof executionSchema>;
  reporting: z.infer<typeof reportingSchema>;
  creative: z.infer<typeof creativeSchema>;
  notes: string | null;
}

/** The modes in force, defaults filled in (hosted defaults: the ledger books; nothing else is manual). */
export function modesOf(setup: ModularSetup) {
  return {
    booking: setup.includeBookingLedger ? (setup.booking.mode ?? 'booking_ledger') : 'manual',
    execution: setup.execution.mode ?? 'none',
    reporting: setup.reporting.mode ?? 'upload',
    creative: setup.creative.mode ?? 'none',
  } as const;
}

/** A system's name as a work item kind's suffix: GAM, CADENT, AD_SERVER when unnamed. */
const systemSlug = (systemName: string | undefined) =>
  (systemName ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40) || 'AD_SERVER';

/** TRAFFIC_TO_<SYSTEM>: the work item kind for trafficking into a named system (seed 003). */
export function trafficKindOf(systemName: string | undefined): string {
  return `TRAFFIC_TO_${systemSlug(systemName)}`;
}

/** UPDATE_IN_<SYSTEM>: a buyer paused or resumed a buy a person trafficked in that system. */
export function updateKindOf(systemName: string | undefined): string {
  return `UPDATE_IN_${systemSlug(systemName)}`;
}

/**
 * A buyer canceled a buy a person booked or trafficked upstream by hand: they take it down
 * there and confirm it (hosted's kind of the same name).
 */
export const cancellationKind = 'APPROVE_MEDIA_BUY_CANCELLATION';
