import { AppError, invalid, notFound } from '../../platform/errors.js';

export const sourceNotFound = () => notFound('Inventory source');

export const authRequired = (authenticationType: string) =>
  invalid(
    `authenticationType ${authenticationType} needs auth (or requiresCredentials: true when buyers bring their own)`,
    'auth',
  );

export const authNotAllowed = (authenticationType: string) =>
  invalid(`Omit auth for authenticationType ${authenticationType}`, 'auth');

export const authTypeMismatch = (authenticationType: string, authType: string) =>
  invalid(
    `auth.type ${authType} does not match authenticationType ${authenticationType}`,
    'auth.type',
  );

export const badTransition = (from: string, to: string) =>
  new AppError('invalid', `A source cannot go from ${from} to ${to}`, {
    field: 'status',
    details: { allowed: allowedTransitions[from] ?? [] },
  });

export const cannotActivate = (reason: string, probe: { code: string; message: string }) =>
  new AppError('invalid', `The source cannot be ACTIVE: ${reason}`, {
    field: 'status',
    details: { probe },
  });

/** Docs: PENDING→ACTIVE, PENDING→DISABLED, ACTIVE↔DISABLED; nothing returns to PENDING. */
export const allowedTransitions: Record<string, string[]> = {
  PENDING: ['ACTIVE', 'DISABLED'],
  ACTIVE: ['DISABLED'],
  DISABLED: ['ACTIVE'],
};

export const draftCannotActivate = () =>
  invalid('A draft source cannot be ACTIVE: give it an endpointUrl first', 'endpointUrl');

/**
 * The generic update edits an AGENT source's connection; a source of another kind (a modular
 * source) is set up through its own endpoints and takes only its name, description and status.
 */
export function assertKindUpdate(row: { executionType: string }, input: object): void {
  const kept = new Set(['name', 'description', 'status', 'type', 'executionType']);
  const field = Object.keys(input).find(
    (key) => !kept.has(key) && (input as Record<string, unknown>)[key] !== undefined,
  );
  if (field !== undefined) {
    throw invalid(
      `A ${row.executionType} source has no ${field}: set it up through its own endpoints`,
      field,
    );
  }
}
