import type { z } from 'zod';

/**
 * A request body that refuses, by name and with the reason, the hosted API's fields this
 * deployment does not serve (docs/hosted-compatibility.md): a hosted client sending one gets a
 * 400 naming the field instead of having it silently dropped. Other unknown keys are ignored,
 * as before.
 */
export function refusingHostedFields<S extends z.ZodObject>(
  schema: S,
  refused: Record<string, string>,
): S {
  const checked = schema.loose().superRefine((body, ctx) => {
    for (const [field, why] of Object.entries(refused)) {
      if ((body as Record<string, unknown>)[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: why });
      }
    }
  });
  // The loose copy's output type admits any key; callers keep their schema's own body type.
  // cast: typed as the schema itself, since the keys the loose copy lets through are never read.
  return checked as unknown as S;
}
