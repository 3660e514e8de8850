import {
  geoTargets,
  googleError,
  type FakeKind,
  type FakeObject,
  type GoogleAdsState,
} from './state.js';

/*
 * GoogleAdsService.Mutate for the fake ("Mutate", https://developers.google.com/google-ads/api/
 * rest/reference/rest/v26/customers.googleAds/mutate, and "Temporary resource names",
 * …/docs/mutating/best-practices): operations applied in order, a negative id in a create's
 * resourceName naming the object for later operations of the same request; the request is
 * atomic (partialFailure false): the first refusal answers 400 with its operation's index and
 * nothing of the request is kept. Checked as Google checks them: campaign names unique among an
 * account's campaigns that are not removed (campaignError DUPLICATE_CAMPAIGN_NAME), budgets in
 * whole cents of micros, a campaign's EU political advertising declaration, the Display
 * campaign's dates as "yyyy-MM-dd HH:mm:ss", locations that are geo target constants, image
 * assets whose bytes are an image, ads with a final URL and an image asset.
 */

const operationKinds: Record<string, { kind: FakeKind; path: string; result: string }> = {
  campaignBudgetOperation: {
    kind: 'campaignBudget',
    path: 'campaignBudgets',
    result: 'campaignBudgetResult',
  },
  campaignOperation: { kind: 'campaign', path: 'campaigns', result: 'campaignResult' },
  campaignCriterionOperation: {
    kind: 'campaignCriterion',
    path: 'campaignCriteria',
    result: 'campaignCriterionResult',
  },
  assetOperation: { kind: 'asset', path: 'assets', result: 'assetResult' },
  adGroupOperation: { kind: 'adGroup', path: 'adGroups', result: 'adGroupResult' },
  adGroupAdOperation: { kind: 'adGroupAd', path: 'adGroupAds', result: 'adGroupAdResult' },
};

class Refused extends Error {
  constructor(
    readonly errorCode: Record<string, string>,
    message: string,
  ) {
    super(message);
  }
}

const dateTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function isImage(base64: unknown): boolean {
  if (typeof base64 !== 'string' || !base64) return false;
  const bytes = Buffer.from(base64, 'base64');
  return (
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ||
    (bytes[0] === 0xff && bytes[1] === 0xd8) ||
    bytes.subarray(0, 3).toString() === 'GIF'
  );
}

export function mutate(state: GoogleAdsState, customerId: string, body: Record<string, unknown>) {
  const operations = Array.isArray(body.mutateOperations) ? body.mutateOperations : [];
  const staged: FakeObject[] = [];
  const changes: Array<() => void> = [];
  const temp = new Map<string, string>();
  const all = () => [...state.objects, ...staged];
  const resolve = (name: unknown, kind: FakeKind) => {
    const real = temp.get(String(name)) ?? String(name);
    const found = all().find(
      (o) => o.kind === kind && o.resourceName === real && o.customerId === customerId,
    );
    if (!found)
      throw new Refused({ mutateError: 'RESOURCE_NOT_FOUND' }, `No ${kind} ${String(name)}`);
    return found;
  };
  const results: Array<Record<string, unknown>> = [];
  for (const [index, operation] of operations.entries()) {
    try {
      const [key, op] =
        Object.entries(operation as Record<string, Record<string, unknown>>)[0] ?? [];
      const meta = key ? operationKinds[key] : undefined;
      if (!meta || !op) throw new Refused({ requestError: 'UNKNOWN' }, 'Unsupported operation');
      if (op.create) {
        const fields = { ...(op.create as Record<string, unknown>) };
        const id = state.newId();
        let resourceName = `customers/${customerId}/${meta.path}/${id}`;
        check(meta.kind, fields, resolve, all, customerId);
        if (meta.kind === 'adGroupAd') {
          const group = resolve(fields.adGroup, 'adGroup');
          fields.adGroup = group.resourceName;
          resourceName = `customers/${customerId}/adGroupAds/${group.id}~${id}`;
          fields.ad = { ...(fields.ad as object), id };
        }
        if (meta.kind === 'campaign')
          fields.campaignBudget = resolve(fields.campaignBudget, 'campaignBudget').resourceName;
        if (meta.kind === 'campaignCriterion' || meta.kind === 'adGroup') {
          fields.campaign = resolve(fields.campaign, 'campaign').resourceName;
        }
        if (typeof fields.resourceName === 'string') temp.set(fields.resourceName, resourceName);
        staged.push({
          kind: meta.kind,
          customerId,
          id,
          resourceName,
          fields: { ...fields, resourceName },
        });
        results.push({ [meta.result]: { resourceName } });
      } else if (op.update) {
        const update = op.update as Record<string, unknown>;
        const found = resolve(update.resourceName, meta.kind);
        const mask = String(op.updateMask ?? '')
          .split(',')
          .filter(Boolean);
        if (found.fields.status === 'REMOVED') {
          throw new Refused(
            { operationAccessDeniedError: 'OPERATION_NOT_PERMITTED_FOR_REMOVED_RESOURCE' },
            'Removed',
          );
        }
        changes.push(() => {
          for (const field of mask) found.fields[field] = update[field];
        });
        results.push({ [meta.result]: { resourceName: found.resourceName } });
      } else if (typeof op.remove === 'string') {
        const found = resolve(op.remove, meta.kind);
        changes.push(() => {
          found.fields.status = 'REMOVED';
        });
        results.push({ [meta.result]: { resourceName: found.resourceName } });
      } else {
        throw new Refused(
          { requestError: 'UNKNOWN' },
          'An operation needs create, update or remove',
        );
      }
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      return googleError(400, 'INVALID_ARGUMENT', error.errorCode, error.message, {
        location: { fieldPathElements: [{ fieldName: 'mutate_operations', index }] },
      });
    }
  }
  state.objects.push(...staged);
  for (const change of changes) change();
  return { status: 200, body: { mutateOperationResponses: results } };
}

function check(
  kind: FakeKind,
  fields: Record<string, unknown>,
  resolve: (name: unknown, kind: FakeKind) => FakeObject,
  all: () => FakeObject[],
  customerId: string,
) {
  const required = (name: string) => {
    if (fields[name] === undefined || fields[name] === '') {
      throw new Refused({ fieldError: 'REQUIRED' }, `${name} is required`);
    }
  };
  if (kind === 'campaignBudget') {
    required('amountMicros');
    if (Number(fields.amountMicros) % 10_000 !== 0 || !(Number(fields.amountMicros) > 0)) {
      throw new Refused({ campaignBudgetError: 'NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT' }, 'Budget');
    }
  }
  if (kind === 'campaign') {
    for (const name of [
      'name',
      'advertisingChannelType',
      'status',
      'campaignBudget',
      'containsEuPoliticalAdvertising',
    ]) {
      required(name);
    }
    const taken = all().some(
      (o) =>
        o.kind === 'campaign' &&
        o.customerId === customerId &&
        o.fields.name === fields.name &&
        o.fields.status !== 'REMOVED',
    );
    if (taken) throw new Refused({ campaignError: 'DUPLICATE_CAMPAIGN_NAME' }, 'Duplicate name');
    for (const name of ['startDateTime', 'endDateTime']) {
      if (fields[name] !== undefined && !dateTime.test(String(fields[name]))) {
        throw new Refused({ dateError: 'INVALID_FIELD_VALUES_IN_DATE_TIME' }, `${name} format`);
      }
    }
    if (!fields.manualCpm && !fields.targetCpm && !fields.manualCpc) {
      throw new Refused({ biddingError: 'BIDDING_STRATEGY_NOT_SUPPORTED' }, 'Bidding strategy');
    }
  }
  if (kind === 'campaignCriterion') {
    const geo = (fields.location as { geoTargetConstant?: string } | undefined)?.geoTargetConstant;
    if (!geo || !Object.values(geoTargets).some((id) => geo === `geoTargetConstants/${id}`)) {
      throw new Refused({ criterionError: 'INVALID_CRITERION_ID' }, 'Location');
    }
  }
  if (kind === 'asset') {
    if (fields.type !== 'IMAGE' || !isImage((fields.imageAsset as { data?: unknown })?.data)) {
      throw new Refused({ imageError: 'INVALID_IMAGE' }, 'The image asset is not an image');
    }
  }
  if (kind === 'adGroup') {
    required('name');
    required('cpmBidMicros');
  }
  if (kind === 'adGroupAd') {
    const ad = (fields.ad ?? {}) as {
      finalUrls?: unknown[];
      imageAd?: { imageAsset?: { asset?: string } };
    };
    if (!ad.finalUrls?.length) throw new Refused({ adError: 'FINAL_URL_REQUIRED' }, 'Final URL');
    const asset = resolve(ad.imageAd?.imageAsset?.asset, 'asset');
    fields.ad = { ...ad, imageAd: { ...ad.imageAd, imageAsset: { asset: asset.resourceName } } };
  }
}
