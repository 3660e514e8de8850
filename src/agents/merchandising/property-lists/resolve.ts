import { AdcpError } from '@adcp/sdk/server';
import {
  listRefsOf,
  type PropertyListRef,
  type PropertyListResolver,
  type PropertyLists,
} from '../../../sources/property-lists/index.js';
import { testKitList } from './test-kit.js';

/**
 * The property lists `holder` names at `path` (a get_products request, a package's targeting),
 * resolved for `owner`; none named: undefined. A malformed reference is INVALID_REQUEST, a list
 * its agent refuses REFERENCE_NOT_FOUND, an agent that cannot be reached SERVICE_UNAVAILABLE,
 * each with the field that named the list; never a silent ignore.
 */
export async function resolveListsOf(
  resolver: PropertyListResolver | undefined,
  owner: string,
  holder: unknown,
  path: string,
  account: { sandbox?: boolean } = {},
): Promise<PropertyLists | undefined> {
  const read = listRefsOf(holder, path);
  if (!read.ok) {
    throw new AdcpError('INVALID_REQUEST', { message: read.message, field: read.field });
  }
  const named = Object.entries(read.refs);
  if (named.length === 0) return undefined;
  // A sandbox account's lists of the compliance test kit resolve from the kit (test-kit.ts).
  const fromKit = account.sandbox === true ? kitListsOf(named) : undefined;
  if (fromKit) return fromKit;
  if (!resolver) {
    const field = named[0]![1].field;
    throw new AdcpError('UNSUPPORTED_FEATURE', {
      message: 'This storefront does not resolve property lists',
      field,
    });
  }
  const lists: PropertyLists = {};
  const resolved = await Promise.all(
    named.map(async ([side, { ref, field }]) => ({
      side,
      result: await resolver.resolve(owner, ref, field),
    })),
  );
  for (const { side, result } of resolved) {
    if (!result.ok) {
      const { code, message, field, recovery } = result.error;
      throw new AdcpError(code, { message, field, recovery });
    }
    lists[side as keyof PropertyLists] = result.list;
  }
  return lists;
}

/** The lists named, when every one is the test kit's. */
function kitListsOf(
  named: Array<[string, { ref: PropertyListRef; field: string }]>,
): PropertyLists | undefined {
  const lists: PropertyLists = {};
  for (const [side, { ref, field }] of named) {
    const list = testKitList(ref, field);
    if (!list) return undefined;
    lists[side as keyof PropertyLists] = list;
  }
  return lists;
}

/** Whose cached lists a call reads: the buyer's, on every storefront it buys on. */
export const listOwnerOf = (customerId: number) => `buyer:${customerId}`;
