/** The optional language-model rewrite of a brief into the matcher's ask (issue 47, item 1). */
export { createBriefRewriter, type BriefRewriter, type BriefRewriterOptions } from './rewriter.js';
