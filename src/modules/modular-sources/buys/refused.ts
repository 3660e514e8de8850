/**
 * A buy the source refused: an AdCP error code, a message the buyer can act on, the request
 * field it names (AdCP error.field, e.g. `packages[0].budget`) and details with the numbers.
 */
export class BuyRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly field?: string,
  ) {
    super(message);
  }
}
