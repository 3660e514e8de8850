/** A buy the source refused: an AdCP error code and a message the buyer can act on. */
export class BuyRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
