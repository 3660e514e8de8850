/** Activity: the append-only setup log of each storefront (who changed what, and when). */
export { createActivityService } from './service.js';
export type { ActivityService } from './service.js';
export { activityEntrySchema, activityListSchema, activityQuery } from './schemas.js';
export type { ActivityEntry, NewActivity } from './schemas.js';
export { changed, changesOf, describeChanges } from './changes.js';
export type { Changes } from './changes.js';
