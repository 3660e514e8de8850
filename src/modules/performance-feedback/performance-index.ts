import type { CountedEvent } from '../event-sources/index.js';

/** The campaign's primary event goal with a target feedback can be measured against. */
export interface FeedbackGoal {
  counted: CountedEvent[];
  target: { kind: 'cost_per' | 'per_ad_spend'; value: number };
}

/**
 * The primary (lowest priority number, then first) event goal with a cost_per or per_ad_spend
 * target; undefined when the campaign has none (metric goals and maximize_value have no target
 * a conversion count can be weighed against).
 */
export function feedbackGoalOf(goals: Record<string, unknown>[]): FeedbackGoal | undefined {
  const ranked = goals
    .map((g, i) => ({ g, i, p: typeof g['priority'] === 'number' ? g['priority'] : 1e9 }))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  for (const { g } of ranked) {
    const target = g['target'] as { kind?: string; value?: unknown } | undefined;
    if (g['kind'] !== 'event' || !target || typeof target.value !== 'number') continue;
    if (target.kind !== 'cost_per' && target.kind !== 'per_ad_spend') continue;
    if (target.value <= 0) continue;
    const sources = (g['eventSources'] ?? []) as Record<string, unknown>[];
    const counted = sources.flatMap((s) =>
      typeof s['eventSourceId'] === 'string' && typeof s['eventType'] === 'string'
        ? [{ eventSourceId: s['eventSourceId'], eventType: s['eventType'] }]
        : [],
    );
    if (counted.length > 0) return { counted, target: { kind: target.kind, value: target.value } };
  }
  return undefined;
}

/**
 * 1.0 = on target, above 1 better. cost_per: target CPA / achieved CPA (spend / conversions);
 * per_ad_spend: achieved ROAS (conversion value / spend) / target ROAS. Rounded to 4 places.
 */
export function performanceIndexOf(
  goal: FeedbackGoal,
  spend: number,
  conversions: { count: number; value: number },
): number {
  const achieved =
    goal.target.kind === 'cost_per'
      ? goal.target.value / (spend / conversions.count)
      : conversions.value / spend / goal.target.value;
  return Math.round(achieved * 10_000) / 10_000;
}
