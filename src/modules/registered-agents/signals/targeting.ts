import { z } from 'zod';

/**
 * Signals a campaign targets or suppresses: the fields `audienceConfig` takes beside its audience
 * ids (issue 32 item 3b), and what they become in each package's targeting overlay.
 *
 * A signal id is the `signalId` discovery answers: `{data_provider_domain}:{id}` for a catalog
 * signal. AdCP 3.0 defines signal targeting (core/signal-targeting.json) as `{signal_id,
 * value_type, value}`, a binary signal included with `value: true` and excluded with
 * `value: false`; its targeting overlay has no field of its own for it (it admits additional
 * properties), so packages carry the list as `targeting_overlay.signal_targeting`.
 */
const catalogSignalId = z
  .string()
  .trim()
  .max(255)
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*:[A-Za-z0-9_-]+$/,
    'must be a catalog signal id, {data_provider_domain}:{id}, as signal discovery answers it',
  );
const signalIds = z.array(catalogSignalId).max(100);

export const signalConfigFields = {
  targetSignalIds: signalIds.optional(),
  suppressSignalIds: signalIds.optional(),
};

/** A signal both targeted and suppressed is refused, naming the suppressed entry. */
export function signalsWithoutOverlap(
  config: { targetSignalIds?: string[]; suppressSignalIds?: string[] },
  ctx: z.RefinementCtx,
): void {
  const targeted = new Set(config.targetSignalIds ?? []);
  (config.suppressSignalIds ?? []).forEach((id, i) => {
    if (targeted.has(id))
      ctx.addIssue({
        code: 'custom',
        path: ['suppressSignalIds', i],
        message: 'is also in targetSignalIds: a signal is targeted or suppressed, not both',
      });
  });
}

export const signalConfigInput = z.object(signalConfigFields).superRefine(signalsWithoutOverlap);
export type SignalConfig = z.output<typeof signalConfigInput>;

/** AdCP signal targeting of one binary catalog signal. */
function targetingOf(signalId: string, include: boolean) {
  const at = signalId.lastIndexOf(':');
  return {
    signal_id: {
      source: 'catalog',
      data_provider_domain: signalId.slice(0, at),
      id: signalId.slice(at + 1),
    },
    value_type: 'binary',
    value: include,
  };
}

/** The overlay a package carries for the campaign's signals; undefined when it has none. */
export function signalOverlay(
  config: SignalConfig | null | undefined,
): { signal_targeting: Array<ReturnType<typeof targetingOf>> } | undefined {
  const targeting = [
    ...(config?.targetSignalIds ?? []).map((id) => targetingOf(id, true)),
    ...(config?.suppressSignalIds ?? []).map((id) => targetingOf(id, false)),
  ];
  return targeting.length > 0 ? { signal_targeting: targeting } : undefined;
}
