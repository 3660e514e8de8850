/*
 * The fake's Ad Manager network: a generated ad-unit tree of any size (made on demand, id by id,
 * so 100,000 ad units cost nothing until read), a few placements, custom targeting keys and
 * values, advertisers, and what the code under test writes (orders, line items, creatives,
 * associations).
 */

export type Obj = Record<string, unknown>;

export const firstAdUnitId = 10_000;
export const rootAdUnitId = 9_999;
const topLevelCount = 20;
const sizes = [
  [300, 250],
  [728, 90],
  [300, 600],
] as const;

export interface FakeNetwork {
  networkCode: string;
  displayName: string;
  currencyCode: string;
  adUnitCount: number;
  placements: Obj[];
  keys: Obj[];
  values: Obj[];
  companies: Obj[];
  users: Obj[];
  orders: Map<string, Obj>;
  lineItems: Map<string, Obj>;
  creatives: Map<string, Obj>;
  associations: Obj[];
}

export function adUnitAt(index: number): Obj {
  const id = firstAdUnitId + index;
  const top = index < topLevelCount;
  const [width, height] = sizes[index % sizes.length]!;
  return {
    id,
    parentId: top ? rootAdUnitId : firstAdUnitId + (index % topLevelCount),
    hasChildren: top,
    name: top ? `Section ${index + 1}` : `Slot ${index + 1}`,
    adUnitCode: `slot_${index + 1}`,
    status: 'ACTIVE',
    adUnitSizes: [{ size: { width, height, isAspectRatio: false }, environmentType: 'BROWSER' }],
  };
}

export function makeNetwork(networkCode: string, adUnitCount: number): FakeNetwork {
  const placements = [
    {
      id: 501,
      name: 'Homepage',
      description: 'Homepage slots',
      status: 'ACTIVE',
      targetedAdUnitIds: [firstAdUnitId, firstAdUnitId + 1],
    },
    {
      id: 502,
      name: 'Sports section',
      description: 'Sports pages',
      status: 'ACTIVE',
      targetedAdUnitIds: [firstAdUnitId + 2],
    },
    {
      id: 503,
      name: 'Retired',
      description: 'Old',
      status: 'INACTIVE',
      targetedAdUnitIds: [firstAdUnitId + 3],
    },
  ];
  const keys = [
    { id: 701, name: 'section', displayName: 'Section', type: 'PREDEFINED', status: 'ACTIVE' },
    { id: 702, name: 'audience', displayName: 'Audience', type: 'PREDEFINED', status: 'ACTIVE' },
  ];
  const values = [
    {
      customTargetingKeyId: 701,
      id: 80001,
      name: 'sports',
      displayName: 'Sports',
      matchType: 'EXACT',
      status: 'ACTIVE',
    },
    {
      customTargetingKeyId: 701,
      id: 80002,
      name: 'news',
      displayName: 'News',
      matchType: 'EXACT',
      status: 'ACTIVE',
    },
    {
      customTargetingKeyId: 702,
      id: 80003,
      name: 'outdoors',
      displayName: 'Outdoors',
      matchType: 'EXACT',
      status: 'ACTIVE',
    },
  ];
  return {
    networkCode,
    displayName: `Network ${networkCode}`,
    currencyCode: 'USD',
    adUnitCount,
    placements,
    keys,
    values,
    companies: [{ id: 4001, name: 'House advertiser', type: 'ADVERTISER' }],
    users: [{ id: 3001, name: 'API user', email: 'api@fake', roleName: 'Trafficker' }],
    orders: new Map(),
    lineItems: new Map(),
    creatives: new Map(),
    associations: [],
  };
}
