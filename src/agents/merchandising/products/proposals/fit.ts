import { type BriefAsk, candidateOfProduct, readingOf } from '../../../../sources/brief/index.js';
import type { Product } from '../../types.js';

/** The format words an ask names that a proposal keeps to: families and sizes. */
const isFormatTerm = (term: string) =>
  term.startsWith('size:') || ['video', 'audio', 'native', 'display'].includes(term);

/**
 * Whether a product is within the channels and formats a brief asks for, as a proposal must be
 * (issue 68, item 2): the ranked answer may show other products below the matches, but a plan
 * never moves a video brief's budget into display banners because they are cheaper. A product
 * is within a channel asked when the channels it declares (else those its name and formats
 * imply) include one; within a format asked when its formats or words name one; and it runs
 * for the brief's whole flight. What the brief does not ask, or the product does not say, does
 * not leave it out.
 */
export function withinAsk(ask: BriefAsk, product: Product): boolean {
  const candidate = candidateOfProduct(product);
  const reading = readingOf(candidate);
  const channels = candidate.channels?.length ? candidate.channels : reading.impliedChannels;
  const formats = ask.formats.filter(isFormatTerm);
  const channelFit =
    ask.channels.length === 0
      ? undefined
      : channels.length === 0
        ? undefined
        : ask.channels.some((c) => channels.includes(c));
  const formatFit = formats.length === 0 ? undefined : formats.some((f) => reading.formats.has(f));
  if (channelFit === false || !coversFlight(ask, candidate.available)) return false;
  // A product in a channel asked whose formats do not say theirs is kept (its formats unknown).
  return formatFit !== false || channelFit === true;
}

/**
 * Whether a product runs for the whole of the brief's flight, as its source says (issue 68, item
 * 3): a proposal books the brief's flight, and a package running past its product's is refused
 * (buys/describe/flights.ts), so a product that starts late or stops early is not allocated. A
 * product that says no flight is not left out.
 */
function coversFlight(
  ask: BriefAsk,
  available: ReturnType<typeof candidateOfProduct>['available'],
): boolean {
  const flight = ask.flight;
  if (!flight || !available) return true;
  const startsInTime = !available.start || !flight.start || available.start <= flight.start;
  const lastsLongEnough = !available.end || !flight.end || available.end >= flight.end;
  return startsInTime && lastsLongEnough;
}
