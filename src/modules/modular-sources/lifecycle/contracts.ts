import { type ModularSetup, modesOf, trafficKindOf } from '../setup/modes.js';

/**
 * The built-in modules a modular source is made of, and the lifecycle stages each implements:
 * AUTOMATED (Interchange does it) or HITL (a human does it through a work item of `workItemKind`).
 * Which modules a source has, and the mode of each stage, follow the modes it was created with.
 */
export const stages = [
  'LIST_ACCOUNTS',
  'INGEST_AVAILS',
  'SYNC_INVENTORY',
  'GET_PRODUCTS',
  'GET_MEDIA_BUYS',
  'GET_ACCOUNT_RESOURCES',
  'RESERVE_AVAILS',
  'FINALIZE_BOOKING',
  'RELEASE_BOOKING',
  'RECONCILE_DELIVERY',
  'SYNC_CREATIVES',
  'TRAFFIC_CAMPAIGN',
  'UPDATE_CAMPAIGN',
  'SYNC_STATUS',
  'IMPORT_REPORTING',
] as const;
export type Stage = (typeof stages)[number];

export const moduleKinds = [
  'INVENTORY_FEED',
  'BOOKING_LEDGER',
  'TRAFFICKING',
  'STATUS_SYNC',
  'REPORTING_IMPORT',
] as const;
export type ModuleKind = (typeof moduleKinds)[number];

export const fieldSources = [
  'MODULE_CONFIG',
  'INVENTORY_FEED',
  'PRODUCT_METADATA',
  'MEDIA_BUY_INPUT',
  'CREATIVE_INPUT',
  'REPORTING_UPLOAD',
  'SYSTEM',
  'MODULE_RESULT',
] as const;
export type FieldSource = (typeof fieldSources)[number];

export interface FieldSpec {
  key: string;
  label: string;
  description: string;
  source: FieldSource;
  valueType: 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATE' | 'DATETIME' | 'ENUM' | 'OBJECT' | 'ARRAY';
  required: boolean;
  requiredFor: Stage[];
  enumValues?: string[];
  /** A NUMBER's bounds: above `above`, at most `atMost`. */
  range?: { above: number; atMost: number };
}

export interface StageSpec {
  stage: Stage;
  mode: 'AUTOMATED' | 'HITL';
  description: string;
  workItemKind?: string;
  outputKeys: string[];
  /** What the stage needs at run time beyond setup (avails, a report …). */
  runtime?: FieldSource;
  /** What completing its work item must carry in `result`. */
  requiredResultKeys?: string[];
}

export interface ModuleSpec {
  moduleInstanceId: string;
  kind: ModuleKind;
  name: string;
  contract: {
    contractId: string;
    version: string;
    moduleType: string;
    primaryKind: ModuleKind;
    provider: string;
    displayName: string;
    description: string;
    constraints: string[];
  };
  setupFields: FieldSpec[];
  stages: StageSpec[];
  /** The config a new module starts with (from the setup the source was created with). */
  initialConfig: Record<string, unknown>;
}

const contract = (
  contractId: string,
  kind: ModuleKind,
  displayName: string,
  description: string,
  constraints: string[],
) => ({
  contractId,
  version: '1',
  moduleType: contractId.split(':')[0]!,
  primaryKind: kind,
  provider: 'interchange',
  displayName,
  description,
  constraints,
});

/** Each module's config, by module instance id (what the operator set since creation). */
export type ModuleConfigs = Record<string, Record<string, unknown> | undefined>;

/** The modules a source created with `setup` has, in order (stages follow their config). */
export function modulesFor(setup: ModularSetup, configs: ModuleConfigs = {}): ModuleSpec[] {
  const modes = modesOf(setup);
  const configured = configs['execution']?.['systemName'];
  const systemName = typeof configured === 'string' && configured ? configured : undefined;
  const out: ModuleSpec[] = [availsFeed()];
  if (setup.includeBookingLedger) out.push(bookingLedger(modes.booking, setup.booking.systemName));
  else out.push(bookingDesk());
  if (modes.execution !== 'none' || modes.creative !== 'none') {
    out.push(execution(setup, systemName ?? setup.execution.systemName));
  }
  out.push(statusSync());
  if (modes.reporting !== 'none') out.push(reportingImport(setup));
  return out;
}

function availsFeed(): ModuleSpec {
  return {
    moduleInstanceId: 'avails-feed',
    kind: 'INVENTORY_FEED',
    name: 'Avails feed',
    contract: contract(
      'static-avails-feed:v1',
      'INVENTORY_FEED',
      'Avails feed',
      'Avails from an uploaded or pushed CSV, JSON or XLSX feed: previewed, then committed',
      ['A commit applies exactly the previewed revision', 'Only ACTIVE avails are sold'],
    ),
    setupFields: [
      {
        key: 'formatsAgentUrl',
        label: 'Formats agent',
        description:
          'The creative agent whose format ids the feed names (default: the AdCP reference agent)',
        source: 'MODULE_CONFIG',
        valueType: 'STRING',
        required: false,
        requiredFor: ['GET_PRODUCTS'],
      },
      {
        key: 'maxCpm',
        label: 'CPM ceiling',
        description:
          'The highest CPM a feed row may carry, in its currency; a row above it is refused (default: INTERCHANGE_FEED_MAX_CPM, 1000)',
        source: 'MODULE_CONFIG',
        valueType: 'NUMBER',
        required: false,
        requiredFor: [],
        // The cpm column is numeric(14, 4).
        range: { above: 0, atMost: 9_999_999_999.9999 },
      },
    ],
    stages: [
      {
        stage: 'INGEST_AVAILS',
        mode: 'AUTOMATED',
        description: 'Preview and commit avails from a feed file or push',
        outputKeys: ['activeAvailCount'],
        runtime: 'INVENTORY_FEED',
      },
      {
        stage: 'GET_PRODUCTS',
        mode: 'AUTOMATED',
        description: 'Active avails with capacity left are sold as products',
        outputKeys: ['products'],
        runtime: 'INVENTORY_FEED',
      },
    ],
    initialConfig: {},
  };
}

function bookingLedger(
  mode: 'booking_ledger' | 'manual' | 'upstream_oms',
  systemName: string | undefined,
): ModuleSpec {
  const confirm: StageSpec =
    mode === 'booking_ledger'
      ? {
          stage: 'FINALIZE_BOOKING',
          mode: 'AUTOMATED',
          description: 'A hold is booked at once',
          outputKeys: ['bookingId'],
        }
      : {
          stage: 'FINALIZE_BOOKING',
          mode: 'HITL',
          description:
            mode === 'manual'
              ? 'A person confirms the held avails; the buy is then booked'
              : `A person books the buy in ${systemName ?? 'the order management system'}, then confirms it`,
          workItemKind: mode === 'manual' ? 'CONFIRM_AVAILS' : 'EXECUTE_UPSTREAM_BOOKING',
          outputKeys: ['bookingId'],
          requiredResultKeys: mode === 'manual' ? [] : ['upstreamOrderId'],
        };
  return {
    moduleInstanceId: 'booking-ledger',
    kind: 'BOOKING_LEDGER',
    name: 'Booking ledger',
    contract: contract(
      'booking-ledger:v1',
      'BOOKING_LEDGER',
      'Booking ledger',
      'Holds and books avail capacity so it is never sold twice',
      ['Capacity is settled in the database', 'A hold not confirmed in time is released'],
    ),
    setupFields: [
      {
        key: 'holdMinutes',
        label: 'Hold minutes',
        description: 'How long a hold waits for confirmation before its capacity is released',
        source: 'MODULE_CONFIG',
        valueType: 'NUMBER',
        required: false,
        requiredFor: ['RESERVE_AVAILS'],
      },
    ],
    stages: [
      {
        stage: 'RESERVE_AVAILS',
        mode: 'AUTOMATED',
        description: 'A media buy holds capacity on the avails it buys',
        outputKeys: ['bookingId'],
        runtime: 'INVENTORY_FEED',
      },
      confirm,
      {
        stage: 'RELEASE_BOOKING',
        mode: 'AUTOMATED',
        description: 'A canceled or rejected buy, or an expired hold, gives its capacity back',
        outputKeys: [],
      },
    ],
    initialConfig: { holdMinutes: 1440, bookingMode: mode },
  };
}

function bookingDesk(): ModuleSpec {
  return {
    moduleInstanceId: 'booking-desk',
    kind: 'BOOKING_LEDGER',
    name: 'Manual booking desk',
    contract: contract(
      'manual-booking:v1',
      'BOOKING_LEDGER',
      'Manual booking desk',
      'Without a ledger Interchange holds no capacity: a person confirms every booking',
      ['No capacity is held or checked'],
    ),
    setupFields: [],
    stages: [
      {
        stage: 'FINALIZE_BOOKING',
        mode: 'HITL',
        description: 'A person confirms the avails the buy asks for',
        workItemKind: 'CONFIRM_AVAILS',
        outputKeys: ['bookingId'],
      },
    ],
    initialConfig: {},
  };
}

function execution(setup: ModularSetup, systemName: string | undefined): ModuleSpec {
  const modes = modesOf(setup);
  const stagesOf: StageSpec[] = [];
  if (modes.execution !== 'none') {
    stagesOf.push({
      stage: 'TRAFFIC_CAMPAIGN',
      mode: 'HITL',
      description: `A person traffics the booked buy in ${systemName ?? 'the ad server'}; the buy then goes live`,
      workItemKind: trafficKindOf(systemName),
      outputKeys: ['upstreamCampaignId'],
      requiredResultKeys: ['upstreamCampaignId'],
    });
  }
  if (modes.creative !== 'none') {
    stagesOf.push({
      stage: 'SYNC_CREATIVES',
      mode: 'HITL',
      description: 'A person maps each creative of a buy to its reference upstream',
      workItemKind: 'MAP_CREATIVE_REF',
      outputKeys: ['creativeRef'],
      requiredResultKeys: ['creativeRef'],
      runtime: 'CREATIVE_INPUT',
    });
  }
  return {
    moduleInstanceId: 'execution',
    kind: 'TRAFFICKING',
    name: 'Execution handoff',
    contract: contract(
      'execution-handoff:v1',
      'TRAFFICKING',
      'Execution handoff',
      'Booked buys are handed to people who traffic them and map their creatives upstream',
      ['Nothing is written to an upstream system by Interchange'],
    ),
    setupFields:
      modes.execution === 'upstream_system'
        ? [
            {
              key: 'systemName',
              label: 'Upstream system',
              description:
                'The system buys are trafficked in (names the TRAFFIC_TO_<system> queue)',
              source: 'MODULE_CONFIG',
              valueType: 'STRING',
              required: true,
              requiredFor: ['TRAFFIC_CAMPAIGN'],
            },
          ]
        : [],
    stages: stagesOf,
    initialConfig: {
      ...(setup.execution.systemName && { systemName: setup.execution.systemName }),
      executionMode: modes.execution,
      creativeMode: modes.creative,
    },
  };
}

function statusSync(): ModuleSpec {
  return {
    moduleInstanceId: 'status-sync',
    kind: 'STATUS_SYNC',
    name: 'Status sync',
    contract: contract(
      'ledger-status-sync:v1',
      'STATUS_SYNC',
      'Status sync',
      "Buys' statuses as the ledger and the work items leave them, read by the storefront",
      [],
    ),
    setupFields: [],
    stages: [
      {
        stage: 'GET_MEDIA_BUYS',
        mode: 'AUTOMATED',
        description: 'Placed buys with their statuses',
        outputKeys: ['mediaBuys'],
      },
      {
        stage: 'SYNC_STATUS',
        mode: 'AUTOMATED',
        description: 'Status changes reach buyers through the storefront (status sync, webhooks)',
        outputKeys: ['status'],
      },
    ],
    initialConfig: {},
  };
}

function reportingImport(setup: ModularSetup): ModuleSpec {
  return {
    moduleInstanceId: 'reporting-import',
    kind: 'REPORTING_IMPORT',
    name: 'Final report upload',
    contract: contract(
      'final-report-upload:v1',
      'REPORTING_IMPORT',
      'Final report upload',
      `A person uploads each buy's final report${setup.reporting.systemName ? ` from ${setup.reporting.systemName}` : ''}; its rows become delivery`,
      ['Rows name a day, impressions and spend (clicks optional)'],
    ),
    setupFields: [],
    stages: [
      {
        stage: 'IMPORT_REPORTING',
        mode: 'HITL',
        description: 'A person uploads the final report of a booked buy',
        workItemKind: 'UPLOAD_FINAL_REPORT',
        outputKeys: ['deliveryRows'],
        requiredResultKeys: ['rows'],
      },
      {
        stage: 'RECONCILE_DELIVERY',
        mode: 'AUTOMATED',
        description: 'Uploaded rows are delivery buyers and the storefront read',
        outputKeys: ['delivery'],
        runtime: 'REPORTING_UPLOAD',
      },
    ],
    initialConfig: { reportingMode: setup.reporting.mode ?? 'upload' },
  };
}
