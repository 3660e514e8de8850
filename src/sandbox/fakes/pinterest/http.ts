/* The request and answer helpers every part of this fake shares (apart, so they import no cycle). */
export { replyJson as reply } from '../listen.js';
export type { GrantedRequest as Request } from '../oauth-book.js';
