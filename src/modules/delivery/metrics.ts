/**
 * The delivery figures Interchange records and reports, in one list: their names on our wire
 * (camelCase) and in AdCP answers and our tables (snake_case), and whether they are money (to
 * the cent, never summed across currencies) or counts. Parsing sellers' reports, storing them
 * and reporting them all go by this list.
 */
export const deliveryMetrics = [
  { key: 'impressions', column: 'impressions', money: false },
  { key: 'clicks', column: 'clicks', money: false },
  { key: 'views', column: 'views', money: false },
  { key: 'completedViews', column: 'completed_views', money: false },
  { key: 'conversions', column: 'conversions', money: false },
  { key: 'conversionValue', column: 'conversion_value', money: true },
  { key: 'spend', column: 'spend', money: true },
] as const;

export type DeliveryMetric = (typeof deliveryMetrics)[number];
export type MetricKey = DeliveryMetric['key'];
/** One figure per delivery metric. */
export type Metrics = Record<MetricKey, number>;
