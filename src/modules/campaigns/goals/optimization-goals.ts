import { z } from 'zod';
import { isRecord } from '../../../platform/is-record.js';
import { optimizationMetrics } from '../../../sources/answers.js';
import { eventTypeSchema } from '../../event-sources/index.js';
import type { BookedPackage, GoalSupport, PerformanceConfig } from '../tables.js';

/**
 * Performance goals (issue 32, item 4). A campaign's hosted `performanceConfig` (camelCase) is
 * carried to sellers as AdCP `optimization_goals` on each package whose product declares it can
 * optimise for the goal (`metric_optimization`, `conversion_tracking`, `max_optimization_goals`);
 * a goal a product cannot take is left off that package and named to the buyer, never dropped
 * silently. updateMediaBuy's `optimization_goals` are already AdCP-shaped (snake_case).
 */

type Json = Record<string, unknown>;

const reachUnits = [
  'individuals',
  'households',
  'devices',
  'accounts',
  'cookies',
  'custom',
] as const;

const positive = z.number().gt(0, 'must be above 0').max(1e12);
const priority = z.number().int().min(1).max(1000);
const duration = z.object({
  interval: z.number().int().min(1).max(1_000_000),
  unit: z.enum(['minutes', 'hours', 'days', 'campaign']),
});
const costPer = z.object({ kind: z.literal('cost_per'), value: positive });
const perAdSpend = z.object({ kind: z.literal('per_ad_spend'), value: positive });
const maximizeValue = z.object({ kind: z.literal('maximize_value') });
const thresholdRate = z.object({ kind: z.literal('threshold_rate'), value: positive });
const name = z.string().trim().min(1).max(255);

const eventGoal = z
  .object({
    kind: z.literal('event'),
    eventSources: z
      .array(
        z.object({
          eventSourceId: name,
          eventType: eventTypeSchema,
          customEventName: name.optional(),
          valueField: name.optional(),
          valueFactor: z.number().min(-1e6).max(1e6).optional(),
        }),
      )
      .min(1)
      .max(20),
    target: z.discriminatedUnion('kind', [costPer, perAdSpend, maximizeValue]).optional(),
    attributionWindow: z.object({ postClick: duration, postView: duration.optional() }).optional(),
    priority: priority.optional(),
  })
  .superRefine((goal, ctx) => {
    goal.eventSources.forEach((source, i) => {
      if (source.eventType === 'custom' && !source.customEventName) {
        ctx.addIssue({
          code: 'custom',
          message: "is required when eventType is 'custom'",
          path: ['eventSources', i, 'customEventName'],
        });
      }
    });
    const valued = goal.target?.kind === 'per_ad_spend' || goal.target?.kind === 'maximize_value';
    if (valued && !goal.eventSources.some((s) => s.valueField)) {
      ctx.addIssue({
        code: 'custom',
        message: `a ${goal.target?.kind} target needs valueField on at least one event source`,
        path: ['eventSources', 0, 'valueField'],
      });
    }
  });

const metricGoal = z
  .object({
    kind: z.literal('metric'),
    metric: z.enum(optimizationMetrics),
    viewDurationSeconds: positive.optional(),
    /** Ours (AdCP reach_unit): required for a reach goal, which AdCP sellers refuse without it. */
    reachUnit: z.enum(reachUnits).optional(),
    target: z.discriminatedUnion('kind', [costPer, thresholdRate]).optional(),
    priority: priority.optional(),
  })
  .superRefine((goal, ctx) => {
    if (goal.viewDurationSeconds !== undefined && goal.metric !== 'completed_views') {
      ctx.addIssue({
        code: 'custom',
        message: 'applies only to a completed_views goal',
        path: ['viewDurationSeconds'],
      });
    }
    if (goal.metric === 'reach' && !goal.reachUnit) {
      ctx.addIssue({
        code: 'custom',
        message: 'is required for a reach goal',
        path: ['reachUnit'],
      });
    }
  });

/** Hosted PerformanceConfig: at least one goal, by kind. */
export const performanceConfigInput = z.object({
  optimizationGoals: z
    .array(z.discriminatedUnion('kind', [eventGoal, metricGoal]))
    .min(1)
    .max(20),
});
export type PerformanceConfigInput = z.output<typeof performanceConfigInput>;

/** AdCP OptimizationGoal as updateMediaBuy takes it (snake_case); [] clears the buy's goals. */
const adcpEventGoal = z.object({
  kind: z.literal('event'),
  event_sources: z
    .array(
      z.object({
        event_source_id: name,
        event_type: eventTypeSchema,
        custom_event_name: name.optional(),
        value_field: name.optional(),
        value_factor: z.number().min(-1e6).max(1e6).optional(),
      }),
    )
    .min(1)
    .max(20),
  target: z.discriminatedUnion('kind', [costPer, perAdSpend, maximizeValue]).optional(),
  attribution_window: z.object({ post_click: duration, post_view: duration.optional() }).optional(),
  priority: priority.optional(),
});
const adcpMetricGoal = z.object({
  kind: z.literal('metric'),
  metric: z.enum(optimizationMetrics),
  reach_unit: z.enum(reachUnits).optional(),
  target_frequency: z
    .object({
      min: z.number().min(1).optional(),
      max: z.number().min(1).optional(),
      window: z.object({
        interval: z.number().min(1),
        unit: z.enum(['seconds', 'minutes', 'hours', 'days', 'campaign']),
      }),
    })
    .optional(),
  view_duration_seconds: positive.optional(),
  target: z.discriminatedUnion('kind', [costPer, thresholdRate]).optional(),
  priority: priority.optional(),
});
export const adcpGoalsInput = z
  .array(z.discriminatedUnion('kind', [adcpEventGoal, adcpMetricGoal]))
  .max(20);

const defined = (o: Json): Json =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The AdCP optimization_goals of a hosted performanceConfig. */
export function adcpGoalsOf(config: PerformanceConfig | null): Json[] {
  if (!config) return [];
  return config.optimizationGoals.map((goal) => {
    const g = goal as PerformanceConfigInput['optimizationGoals'][number];
    if (g.kind === 'metric') {
      return defined({
        kind: 'metric',
        metric: g.metric,
        reach_unit: g.reachUnit,
        view_duration_seconds: g.viewDurationSeconds,
        target: g.target,
        priority: g.priority,
      });
    }
    return defined({
      kind: 'event',
      event_sources: g.eventSources.map((s) =>
        defined({
          event_source_id: s.eventSourceId,
          event_type: s.eventType,
          custom_event_name: s.customEventName,
          value_field: s.valueField,
          value_factor: s.valueFactor,
        }),
      ),
      target: g.target,
      attribution_window: g.attributionWindow && {
        post_click: g.attributionWindow.postClick,
        ...(g.attributionWindow.postView && { post_view: g.attributionWindow.postView }),
      },
      priority: g.priority,
    });
  });
}

/** What an AdCP product declares about goals, as a package keeps it. */
export function goalSupportOf(product: Json): GoalSupport | undefined {
  const metric = product['metric_optimization'];
  const conversion = product['conversion_tracking'];
  const max = product['max_optimization_goals'];
  const support: GoalSupport = {
    ...(isRecord(metric) && { metric_optimization: metric }),
    ...(isRecord(conversion) && { conversion_tracking: conversion }),
    ...(typeof max === 'number' && max >= 1 && { max_optimization_goals: max }),
  };
  return Object.keys(support).length > 0 ? support : undefined;
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

const describe = (goal: Json) =>
  goal['kind'] === 'metric'
    ? `metric ${String(goal['metric'])}`
    : `event ${strings(
        (Array.isArray(goal['event_sources']) ? goal['event_sources'] : [])
          .filter(isRecord)
          .map((s) => s['event_type']),
      ).join('+')}`;

/** Why a product cannot take a goal (AdCP: what its capabilities declare), or undefined. */
function refusal(goal: Json, support: GoalSupport | undefined): string | undefined {
  const target = isRecord(goal['target']) ? String(goal['target']['kind']) : undefined;
  if (goal['kind'] === 'metric') {
    const declared = support?.metric_optimization;
    if (!declared) return 'it declares no metric optimization';
    if (!strings(declared['supported_metrics']).includes(String(goal['metric']))) {
      return `it does not optimise for ${String(goal['metric'])}`;
    }
    // AdCP: without supported_targets only target-less metric goals are taken.
    if (target && !strings(declared['supported_targets']).includes(target)) {
      return `it takes no ${target} target`;
    }
    const durations = declared['supported_view_durations'];
    const seconds = goal['view_duration_seconds'];
    if (Array.isArray(durations) && seconds !== undefined && !durations.includes(seconds)) {
      return `it takes no ${String(seconds)}-second completed view`;
    }
    const units = declared['supported_reach_units'];
    if (goal['metric'] === 'reach' && !strings(units).includes(String(goal['reach_unit']))) {
      return `it does not measure reach in ${String(goal['reach_unit'])}`;
    }
    return undefined;
  }
  const declared = support?.conversion_tracking;
  if (!declared) return 'it declares no conversion tracking';
  const targets = declared['supported_targets'];
  if (target && Array.isArray(targets) && !strings(targets).includes(target)) {
    return `it takes no ${target} target`;
  }
  return undefined;
}

/** The goals a package carries, and why each goal left off was (one line each). */
export function goalsForPackage(
  goals: Json[],
  support: GoalSupport | undefined,
): { sent: Json[]; leftOut: string[] } {
  const leftOut: string[] = [];
  const taken = goals.filter((goal) => {
    const why = refusal(goal, support);
    if (why) leftOut.push(`${describe(goal)}: ${why}`);
    return !why;
  });
  const max = support?.max_optimization_goals;
  if (max === undefined || taken.length <= max) return { sent: taken, leftOut };
  // AdCP: a seller taking fewer uses the highest priority (lowest number, else array order).
  const ranked = taken
    .map((goal, i) => ({ goal, rank: typeof goal['priority'] === 'number' ? goal['priority'] : i }))
    .sort((a, b) => a.rank - b.rank);
  for (const { goal } of ranked.slice(max)) {
    leftOut.push(`${describe(goal)}: it takes ${max} goal(s) per package, by priority`);
  }
  return { sent: ranked.slice(0, max).map((r) => r.goal), leftOut };
}

/**
 * Each package with the goals its product takes, and what was left off, once per product and
 * reason (a product's period packages share them).
 */
export function withGoals(
  packages: BookedPackage[],
  goals: Json[],
): { packages: BookedPackage[]; leftOut: string[] } {
  const leftOut = new Set<string>();
  const withTheirs = packages.map((p) => {
    const { sent, leftOut: off } = goalsForPackage(goals, p.goalSupport);
    for (const why of off) leftOut.add(`${why} (product ${p.productName})`);
    const { optimizationGoals: _old, ...rest } = p;
    return sent.length > 0 ? { ...rest, optimizationGoals: sent } : rest;
  });
  return { packages: withTheirs, leftOut: [...leftOut] };
}
