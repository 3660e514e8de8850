import type { KindDescriptor, SetupField } from '../kind-descriptor.js';

const systemName = (stage: string, label: string): SetupField => ({
  name: `${stage}.systemName`,
  label,
  hint: 'Optional: the system a person works in (GAM, an OMS…); it names the work items.',
});

/** POST …/inventory-sources/modular/feed, field by field (modules/modular-sources setup/modes.ts). */
const fields: SetupField[] = [
  { name: 'name', label: 'Name' },
  {
    name: 'sourceId',
    label: 'Source id (optional)',
    hint: 'Lowercase letters, digits, - and _; made from the name when left empty.',
  },
  {
    name: 'includeBookingLedger',
    label:
      'Keep bookings in Interchange’s booking ledger (capacity settled here, never overbooked)',
    kind: 'checkbox',
  },
  {
    name: 'booking.mode',
    label: 'Booking',
    kind: 'select',
    options: [
      { value: 'booking_ledger', label: 'Booked at once by the ledger' },
      { value: 'manual', label: 'A person confirms each booking (CONFIRM_AVAILS)' },
      {
        value: 'upstream_oms',
        label: 'A person books it in an order system (EXECUTE_UPSTREAM_BOOKING)',
      },
    ],
  },
  systemName('booking', 'Order system'),
  {
    name: 'execution.mode',
    label: 'Execution (trafficking)',
    kind: 'select',
    options: [
      { value: 'none', label: 'Nothing to traffic: live once booked' },
      { value: 'manual', label: 'A person traffics each buy (TRAFFIC_TO_…)' },
      { value: 'upstream_system', label: 'A person traffics it in an ad server (TRAFFIC_TO_…)' },
    ],
  },
  systemName('execution', 'Ad server'),
  {
    name: 'reporting.mode',
    label: 'Reporting',
    kind: 'select',
    options: [
      { value: 'upload', label: 'A person uploads the final report (UPLOAD_FINAL_REPORT)' },
      { value: 'manual', label: 'A person enters the final report (UPLOAD_FINAL_REPORT)' },
      { value: 'upstream_export', label: 'Exported from a system, then uploaded' },
      { value: 'api', label: 'Read from a system’s API, then uploaded' },
      { value: 'none', label: 'No delivery reporting' },
    ],
  },
  {
    name: 'creative.mode',
    label: 'Creatives',
    kind: 'select',
    options: [
      { value: 'none', label: 'Creatives travel with the buy: nothing to map' },
      { value: 'manual', label: 'A person records each creative’s reference (MAP_CREATIVE_REF)' },
      {
        value: 'upstream_system',
        label: 'Mapped to a creative in the ad server (MAP_CREATIVE_REF)',
      },
    ],
  },
  { name: 'notes', label: 'Notes (optional)', kind: 'textarea' },
];

/** MODULAR_SOURCE: served by Interchange itself from avails feeds and a booking ledger. */
export const modularDescriptor = {
  executionType: 'MODULAR_SOURCE',
  label: 'Modular source',
  servedBy: 'Interchange itself: avails feed, booking ledger and work queue (no agent to call)',
  setup: { route: 'POST /api/v2/storefront/inventory-sources/modular/feed' },
  capabilities: { declaredBy: 'self-report', may: ['media_buy'] },
  console: {
    section: 'modular',
    create: {
      title: 'A modular source (avails from a spreadsheet, no agent needed)',
      note: 'Interchange sells from the avails you upload. Each stage you say a person does becomes a work item in the source’s queue; the rest is automated. The source is active at once: it sells as soon as avails are committed.',
      id: 'add-modular',
      action: 'new-modular',
      fields,
      submit: 'Create the modular source',
      values: { includeBookingLedger: true },
      notice: 'modular-source-added',
      createdName: 'projection.inventorySource.name',
    },
  },
} as const satisfies KindDescriptor;
