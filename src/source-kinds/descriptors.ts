import type { KindDescriptor } from './kind-descriptor.js';
import { agentDescriptor } from './agent/descriptor.js';
import { linkedStorefrontDescriptor } from './linked-storefront/descriptor.js';
import { modularDescriptor } from './modular/descriptor.js';
import { adServerDescriptor } from './ad-server/descriptor.js';
import { providerDescriptor } from './provider/descriptor.js';

export type {
  ConsoleSectionName,
  KindDescriptor,
  SetupField,
  SetupForm,
} from './kind-descriptor.js';
export { isSetupForm } from './kind-descriptor.js';

/**
 * Every kind of inventory source, one descriptor each, in the order the console offers them:
 * the list the source registry (registry.ts: one opener per descriptor), the console's source
 * pages, inventory-sources, readiness and the demo sandbox read. A new kind adds its line here.
 */
const descriptors = [
  agentDescriptor,
  linkedStorefrontDescriptor,
  modularDescriptor,
  adServerDescriptor,
  providerDescriptor,
] as const satisfies readonly KindDescriptor[];
export const kindDescriptors: readonly KindDescriptor[] = descriptors;

/** The executionType of every described kind. */
export type KindName = (typeof descriptors)[number]['executionType'];

/** The descriptor of a source's executionType; undefined for a kind this instance does not know. */
export const descriptorOf = (executionType: string): KindDescriptor | undefined =>
  kindDescriptors.find((d) => d.executionType === executionType);

export {
  agentDescriptor,
  linkedStorefrontDescriptor,
  modularDescriptor,
  adServerDescriptor,
  providerDescriptor,
};
