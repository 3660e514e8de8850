import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { ADCP_ENVELOPE_FIELDS as envelope } from '@adcp/sdk';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { spec31Dir } from '../../scripts/compliance/spec31.js';
import { yamlFiles } from '../../scripts/compliance/storyboard-tools.js';
import { readBeyondSpec } from '../../src/agents/hosting/tool-schemas/beyond-spec.js';
import { publishedSchema } from '../../src/agents/hosting/tool-schemas/published.js';

/**
 * @adcp/sdk's client sends a tool only the arguments its listed schema names (SingleAgentClient
 * strips the rest), so an argument a storyboard sends beside AdCP's request schema never reaches
 * the agent unless the listing names it. Every such argument in the 3.0.6 and 3.1.19 storyboards
 * is either listed because a tool here reads it (tool-schemas/beyond-spec.ts) or below, with why
 * no tool reads it. A new storyboard release that sends another fails here until it is decided.
 */
const notRead: Record<string, string> = {
  'comply_test_controller.brand': 'the controller scopes by the account, not a brand beside it',
  'create_media_buy.media_buy_id':
    'the seller assigns the buy id; a caller-chosen one is not taken',
  'get_media_buys.brand': 'buys are read by the caller and account, not a brand beside them',
  'get_products.required_capabilities': 'no capability filter is offered on get_products',
  'list_creative_formats.account': 'formats are not per account (creatives/lists.ts drops it)',
  'list_creative_formats.channels': 'formats are filtered by the spec filters the schema names',
  'list_creative_formats.type': 'formats are filtered by the spec filters the schema names',
  'list_creatives.brand': 'creatives are read by the caller and account, not a brand',
  'list_creatives.creative_ids': 'the spec names ids under filters.creative_ids, which is read',
  'provide_performance_feedback.account': 'feedback names its media buy, which fixes the account',
  'sync_accounts.brand': 'each account names its brand inside accounts[]',
  'sync_creatives.brand': 'creatives are synced on the account the request names',
  'update_media_buy.brand': 'the buy named fixes the account and brand',
  // AdCP 3.0.6 governance and rights tools no storefront serves.
  'acquire_rights.account': 'not served by a storefront',
  'calibrate_content.account': 'not served by a storefront',
  'create_content_standards.account': 'not served by a storefront',
  'get_content_standards.account': 'not served by a storefront',
  'get_rights.buyer': 'not served by a storefront',
  'list_content_standards.account': 'not served by a storefront',
  'report_usage.account': 'not served by a storefront',
  'update_content_standards.account': 'not served by a storefront',
  'validate_content_delivery.account': 'not served by a storefront',
};

type Step = { task: string; sample_request: Record<string, unknown> };

function stepsOf(node: unknown, found: Step[] = []): Step[] {
  if (Array.isArray(node)) for (const child of node) stepsOf(child, found);
  else if (node && typeof node === 'object') {
    const step = node as Partial<Step>;
    if (
      typeof step.task === 'string' &&
      step.sample_request &&
      typeof step.sample_request === 'object'
    )
      found.push(step as Step);
    for (const child of Object.values(node)) stepsOf(child, found);
  }
  return found;
}

/** `tool.argument` of every storyboard argument the release's listing does not name. */
function unlisted(dir: string, release: '3.0' | '3.1'): Set<string> {
  const out = new Set<string>();
  for (const file of yamlFiles(dir)) {
    let doc: unknown;
    try {
      doc = parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // not a storyboard (the runner reports what matters)
    }
    for (const step of stepsOf(doc)) {
      const schema = publishedSchema(step.task, release)?.schema;
      const named = schema?.['properties'] as Record<string, unknown> | undefined;
      if (!named || Object.keys(named).length === 0) continue;
      for (const argument of Object.keys(step.sample_request)) {
        if (!(argument in named) && !envelope.has(argument)) out.add(`${step.task}.${argument}`);
      }
    }
  }
  return out;
}

const sdkStoryboards = join(
  dirname(createRequire(import.meta.url).resolve('@adcp/sdk/package.json')),
  'compliance',
  'cache',
  '3.0.6',
);

describe("the storyboards' arguments beyond AdCP's request schemas", () => {
  it('are listed where a tool reads them, and named with why where none does', () => {
    const found = new Set([...unlisted(sdkStoryboards, '3.0'), ...unlisted(spec31Dir(), '3.1')]);
    // The scan reads something: the 3.1.19 storyboards send preview_creative an account.
    expect(publishedSchema('preview_creative', '3.1')?.schema['properties']).toHaveProperty(
      'account',
    );
    const undecided = [...found].filter((key) => !(key in notRead)).sort();
    expect(undecided).toEqual([]);
    // Each addition is in its listing, and each exception is still sent by some storyboard.
    const listed = Object.entries(readBeyondSpec).flatMap(([tool, args]) =>
      Object.keys(args).map((argument) => `${tool}.${argument}`),
    );
    for (const key of listed) expect(found.has(key), key).toBe(false);
    expect(Object.keys(notRead).filter((key) => !found.has(key))).toEqual([]);
  });
});
