/** Join links: seller-minted signup URLs that turn advertisers into sponsored buyers. */
export { createJoinLinksService, invalidContext } from './service.js';
export type { JoinLinksService } from './service.js';
export { joinLinkRoutes } from './routes.js';
export { signupBody, slugSchema } from './schemas.js';
export type { JoinContext, JoinLinkView, SignupResult } from './schemas.js';
