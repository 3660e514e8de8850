import type { z } from 'zod';
import type { Feeds } from '../feeds/service.js';
import type { createCatalog } from '../buys/catalog.js';
import type { Lifecycle } from '../lifecycle/service.js';
import type {
  availsFeedSchema,
  availsUploadSchema,
  capabilitiesSchema,
  commitSchema,
  previewSchema,
  projectionSchema,
} from './responses.js';

/**
 * Compile-time: the closed response schemas declare every top-level key their operation serves
 * (a closed schema strips an undeclared key from the answer). Each line fails to compile when a
 * service starts serving a key its schema does not name.
 */
type Undeclared<Served, Schema extends z.ZodType> = Exclude<
  keyof Awaited<Served>,
  keyof z.infer<Schema>
>;
type Declared<T extends never> = T;

export type ServedKeysDeclared = [
  Declared<Undeclared<ReturnType<Lifecycle['project']>, typeof projectionSchema>>,
  Declared<Undeclared<ReturnType<Feeds['availsFeed']>, typeof availsFeedSchema>>,
  Declared<Undeclared<ReturnType<Feeds['availsUpload']>, typeof availsUploadSchema>>,
  Declared<Undeclared<ReturnType<Feeds['previewJson']>, typeof previewSchema>>,
  Declared<Undeclared<ReturnType<Feeds['commit']>, typeof commitSchema>>,
  Declared<
    Undeclared<
      ReturnType<ReturnType<typeof createCatalog>['capabilities']>,
      typeof capabilitiesSchema
    >
  >,
];
