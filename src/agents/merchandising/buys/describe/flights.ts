import { InvalidRequestError } from '@adcp/sdk/server';
import { candidateOfProduct } from '../../../../sources/brief/index.js';
import type { SalesRequest } from '../../adcp.js';
import type { DescribedPackage } from './packages.js';

/*
 * Flights (issue 68, item 3): a package runs within its product's flight, as its source
 * describes it (`ext.interchange.available`: a spreadsheet avail's start and end). A package
 * whose flight (its own `start_time`/`end_time`, else the buy's) starts before its product's or
 * ends after it is refused at that package's field, before the buy is recorded or anything is
 * booked anywhere; it is never booked for a person to sort out. An `asap` start is the first
 * moment the product runs, so it is never early. A product that says no flight is not checked.
 */

type FlightRequest = Pick<SalesRequest<'createMediaBuy'>, 'start_time' | 'end_time'>;

const iso = (at: Date) => at.toISOString();

/** Refuses the first package of `described` whose flight runs outside its product's. */
export function refuseOutsideFlights(
  described: readonly DescribedPackage[],
  request: FlightRequest,
): void {
  for (const entry of described) {
    const window = entry.product ? candidateOfProduct(entry.product).available : null;
    if (!window) continue;
    const own = entry.pkg as { start_time?: unknown; end_time?: unknown };
    const startAsked = typeof own.start_time === 'string' ? own.start_time : request.start_time;
    const endAsked = typeof own.end_time === 'string' ? own.end_time : request.end_time;
    const start = startAsked === 'asap' ? null : new Date(String(startAsked));
    const end = new Date(String(endAsked));
    const product = entry.asked.productId;
    if (window.end && !Number.isNaN(end.getTime()) && end > window.end) {
      throw new InvalidRequestError(
        `${entry.at}.end_time`,
        `The flight of ${entry.at} ends ${iso(end)}, after product ${product} stops running at ${iso(window.end)}: end it by then, or choose another product`,
      );
    }
    if (window.start && start && !Number.isNaN(start.getTime()) && start < window.start) {
      throw new InvalidRequestError(
        `${entry.at}.start_time`,
        `The flight of ${entry.at} starts ${iso(start)}, before product ${product} runs from ${iso(window.start)}: start it then or later, or choose another product`,
      );
    }
  }
}
